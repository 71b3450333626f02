package io.github.rnnlab.cli;

import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.checkpoint.Checkpoint;
import io.github.rnnlab.checkpoint.CheckpointException;
import io.github.rnnlab.checkpoint.TrainingState;
import io.github.rnnlab.io.SafetensorsException;
import io.github.rnnlab.numeric.Ops;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loading a checkpoint named on the command line, each problem turned into one line with a remedy. */
final class Checkpoints {
    private Checkpoints() {
    }

    /**
     * Loads {@code file}, given by {@code option}.
     *
     * @param expectedCell the cell the checkpoint must be of, or null for any
     * @param mismatch     the remedy when it is of another cell
     * @throws CliException for a missing, unreadable, damaged or foreign file, or a checkpoint of another cell
     */
    static TrainingState load(Path file, String option, CellRegistry registry, String expectedCell, String mismatch,
                              Ops<float[]> ops) {
        requireFile(file, option);
        try {
            return Checkpoint.load(file, registry, expectedCell, ops);
        } catch (CheckpointException e) {
            throw problem(e, option, mismatch);
        } catch (SafetensorsException e) {
            throw new CliException(option + ": checkpoint " + file + " is damaged: " + e.getMessage(),
                    "Use another checkpoint (an earlier one, or train again)", e);
        } catch (IOException e) {
            throw new CliException(option + ": cannot read " + file + ": " + ErrorReport.reason(e), "", e);
        }
    }

    /** The configuration and progress of {@code file} without its tensors. */
    static Checkpoint.Summary inspect(Path file, String option) {
        requireFile(file, option);
        try {
            return Checkpoint.inspect(file);
        } catch (CheckpointException e) {
            throw problem(e, option, "");
        } catch (SafetensorsException e) {
            throw new CliException(option + ": checkpoint " + file + " is damaged: " + e.getMessage(),
                    "Use another checkpoint (an earlier one, or train again)", e);
        } catch (IOException e) {
            throw new CliException(option + ": cannot read " + file + ": " + ErrorReport.reason(e), "", e);
        }
    }

    static void requireFile(Path file, String option) {
        if (!Files.exists(file)) {
            throw new CliException(option + ": no such file: " + file, "Check the path given to " + option);
        }
        if (!Files.isRegularFile(file)) {
            throw new CliException(option + ": " + file + " is not a file", "Give a checkpoint file written by 'rnnlab train'");
        }
    }

    private static CliException problem(CheckpointException e, String option, String mismatch) {
        String remedy = switch (e.problem()) {
            case CORRUPT, MALFORMED -> "The file is damaged; use another checkpoint (an earlier one, or train again)";
            case NOT_A_CHECKPOINT -> "Give a checkpoint written by 'rnnlab train' (a PyTorch state_dict goes to 'rnnlab forward')";
            case VERSION -> "Use the rnnlab version that wrote it";
            case CELL_MISMATCH -> mismatch;
            case UNKNOWN_CELL -> "Add the cell's plugin with --plugins DIR or " + Cells.ENV + ", see 'rnnlab cells'";
        };
        return new CliException(option + ": " + e.getMessage(), remedy, e);
    }
}
