package io.github.rnnlab.checkpoint;

import io.github.rnnlab.RnnlabException;

/**
 * A checkpoint cannot be loaded: {@link #problem()} says why, the message says what was expected and what
 * the file holds.
 */
public class CheckpointException extends RnnlabException {

    /** Why a checkpoint cannot be loaded. */
    public enum Problem {
        /** The file is not valid safetensors, is truncated, fails its checksum, or its tensors do not fit its configuration. */
        CORRUPT,
        /** The file is valid safetensors but not a checkpoint (e.g. a bare state_dict). */
        NOT_A_CHECKPOINT,
        /** The checkpoint's format version is not one this version of rnnlab reads. */
        VERSION,
        /** The checkpoint is of another cell than the one requested. */
        CELL_MISMATCH,
        /** The checkpoint's cell is not available (no provider with its id). */
        UNKNOWN_CELL,
        /** A metadata value is missing or malformed. */
        MALFORMED
    }

    private final Problem problem;

    public CheckpointException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public CheckpointException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    /** Why the checkpoint cannot be loaded. */
    public Problem problem() {
        return problem;
    }
}
