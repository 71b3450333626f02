package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.io.DType;
import io.github.rnnlab.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, run in-process: each case exits with 1 or 2, prints exactly one line on standard error (no stack
 * trace), and leaves nothing in the output folder it was given.
 */
class BadInputTest {
    @TempDir
    Path dir;

    private Path text;
    private Path out;

    @BeforeEach
    void files() throws IOException {
        text = Fixtures.textFile(dir.resolve("small.txt"), 3000);
        out = dir.resolve("out");
    }

    /** Runs {@code rnnlab args}, checks the one-line contract, and returns the line. */
    private String fails(int exitCode, String... args) throws IOException {
        CliRun r = CliRun.run(args);
        assertEquals(exitCode, r.exitCode(), () -> "exit code of " + Arrays.toString(args) + "\n" + r.err() + r.out());
        String line = r.oneErrorLine();
        assertTrue(line.startsWith("rnnlab: "), line);
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
        assertFalse(Files.exists(out), "nothing left in " + out + ": " + listing(out));
        return line;
    }

    private static List<Path> listing(Path p) throws IOException {
        if (!Files.exists(p)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.toList();
        }
    }

    /** {@code train} with small settings and {@code more}; {@code --seq-len} is 8 unless {@code more} gives it. */
    private String[] train(String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--hidden", "8", "--batch", "2", "--steps", "4",
                "--out", out.toString(), "--progress", "none"));
        if (!List.of(more).contains("--seq-len")) {
            a.addAll(List.of("--seq-len", "8"));
        }
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void unknownCellSuggestsTheClosestAndListsThemAll() throws IOException {
        String line = fails(ExitCodes.USAGE, train("--data", text.toString(), "--cell", "lstn"));
        assertTrue(line.contains("--cell: unknown cell 'lstn'"), line);
        assertTrue(line.contains("Did you mean 'lstm'?"), line);
        assertTrue(line.contains("Available: gru, lstm, rnn_relu, rnn_tanh"), line);
    }

    @Test
    void unknownOptionIsAUsageError() throws IOException {
        String line = fails(ExitCodes.USAGE, train("--data", text.toString(), "--hiden", "8"));
        assertTrue(line.contains("'--hiden'"), line);
        assertTrue(line.contains("Did you mean '--hidden'"), line);
    }

    @Test
    void missingDataFile() throws IOException {
        String line = fails(ExitCodes.FAILURE, train("--data", dir.resolve("nope.txt").toString()));
        assertTrue(line.contains("--data: no such file: " + dir.resolve("nope.txt")), line);
        assertTrue(line.endsWith("Check the path given to --data."), line);
    }

    @Test
    void emptyDataFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        String line = fails(ExitCodes.FAILURE, train("--data", empty.toString()));
        assertTrue(line.contains("is empty"), line);
    }

    @Test
    void dataThatIsNotUtf8() throws IOException {
        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, "caf\u00e9 au lait, na\u00efve r\u00e9sum\u00e9 ".repeat(50).getBytes(StandardCharsets.ISO_8859_1));
        String line = fails(ExitCodes.FAILURE, train("--data", latin1.toString()));
        assertTrue(line.contains("UTF-8"), line);
        assertTrue(line.contains("0xE9"), "names the bad byte: " + line);
        assertTrue(line.contains("iconv"), line);
    }

    @Test
    void sequencesLongerThanTheData() throws IOException {
        String line = fails(ExitCodes.FAILURE, train("--data", text.toString(), "--seq-len", "5000"));
        assertTrue(line.contains("--seq-len 5000 and --batch 2 need at least 10,002 characters of training text"), line);
        assertTrue(line.contains("has 2,700"), line);
        assertTrue(line.contains("Use a shorter --seq-len or a smaller --batch, or give more text."), line);
        String random = fails(ExitCodes.FAILURE, train("--data", text.toString(), "--seq-len", "5000", "--batching", "random"));
        assertTrue(random.contains("--seq-len 5000 needs at least 5,001 characters"), random);
    }

    @Test
    void resumingACheckpointOfAnotherCell() throws IOException {
        Path gru = checkpoint("gru");
        String line = fails(ExitCodes.FAILURE, train("--resume", gru.toString(), "--cell", "lstm"));
        assertTrue(line.contains("cell: expected lstm, got gru"), line);
        assertTrue(line.contains("Leave out --cell"), line);
    }

    @Test
    void resumingWithOptionsThatChangeTheRun() throws IOException {
        Path ckpt = checkpoint("lstm");
        CliRun r = CliRun.run("train", "--resume", ckpt.toString(), "--hidden", "32", "--lr", "0.1", "--out", out.toString());
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
        assertTrue(r.oneErrorLine().contains("--hidden 32 (the checkpoint has 8), --lr (fixed by the checkpoint)"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void resumingOnAnotherText() throws IOException {
        Path ckpt = checkpoint("lstm");
        Path other = Fixtures.textFile(dir.resolve("other.txt"), 2999);
        String line = fails(ExitCodes.FAILURE, train("--resume", ckpt.toString(), "--data", other.toString()));
        assertTrue(line.contains("is not the text the checkpoint was trained on"), line);
        Files.delete(text);
        String gone = fails(ExitCodes.FAILURE, "train", "--resume", ckpt.toString(), "--out", out.toString());
        assertTrue(gone.contains("the checkpoint was trained on " + text + ", which is not there any more"), gone);
        assertTrue(gone.endsWith("Give the same text with --data."), gone);
    }

    @Test
    void resumingARunThatIsDone() throws IOException {
        Path ckpt = checkpoint("lstm");
        String line = fails(ExitCodes.USAGE, "train", "--resume", ckpt.toString(), "--out", out.toString());
        assertTrue(line.contains("the checkpoint is at step 3, the run's last (3)"), line);
        assertTrue(line.contains("Give a larger --steps"), line);
    }

    @Test
    void aTruncatedCheckpoint() throws IOException {
        Path ckpt = checkpoint("lstm");
        byte[] bytes = Files.readAllBytes(ckpt);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        String line = fails(ExitCodes.FAILURE, train("--resume", cut.toString()));
        assertTrue(line.contains("--resume: "), line);
        assertTrue(line.contains("damaged"), line);
        String sample = fails(ExitCodes.FAILURE, "sample", "--model", cut.toString());
        assertTrue(sample.contains("--model: "), sample);
        assertTrue(sample.contains("damaged"), sample);
    }

    @Test
    void aCheckpointWhoseBytesWereChanged() throws IOException {
        Path ckpt = checkpoint("lstm");
        byte[] bytes = Files.readAllBytes(ckpt);
        bytes[bytes.length - 3] ^= 0x55; // a parameter value, after the header
        Path bad = dir.resolve("flipped.safetensors");
        Files.write(bad, bytes);
        String line = fails(ExitCodes.FAILURE, "sample", "--model", bad.toString());
        assertTrue(line.contains("checksum"), line);
    }

    @Test
    void aSafetensorsFileThatIsNotACheckpoint() throws IOException {
        Path stateDict = dir.resolve("state_dict.safetensors");
        new SafetensorsWriter().add("weight_ih_l0", DType.F32, new int[] {4, 3}, new float[12], 0).write(stateDict);
        String line = fails(ExitCodes.FAILURE, "sample", "--model", stateDict.toString());
        assertTrue(line.contains("expected metadata format rnnlab-checkpoint"), line);
        assertTrue(line.contains("rnnlab forward"), line);
        fails(ExitCodes.FAILURE, train("--resume", stateDict.toString()));
    }

    @Test
    void aMissingCheckpoint() throws IOException {
        String line = fails(ExitCodes.FAILURE, "sample", "--model", dir.resolve("none.safetensors").toString());
        assertTrue(line.contains("--model: no such file"), line);
    }

    @Test
    void anOutputFolderThatCannotBeWritten() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        out = file.resolve("run");
        String line = fails(ExitCodes.FAILURE, train("--data", text.toString()));
        assertTrue(line.contains("cannot write to " + out), line);
        assertTrue(line.contains("is a file, not a folder"), line);
        assertTrue(line.endsWith("Choose another --out."), line);
        assertEquals("x", Files.readString(file));
    }

    @Test
    void contradictoryOrOutOfRangeOptions() throws IOException {
        assertTrue(fails(ExitCodes.USAGE, train("--data", text.toString(), "--epochs", "1")).contains("give one of them"));
        assertTrue(fails(ExitCodes.USAGE, train("--data", text.toString(), "--dropout", "1")).contains("--dropout must be in [0, 1)"));
        assertTrue(fails(ExitCodes.USAGE, train("--data", text.toString(), "--bptt", "x")).contains("--bptt"));
        assertTrue(fails(ExitCodes.USAGE, train("--data", text.toString(), "--time", "soon")).contains("90s, 5m"));
        assertTrue(fails(ExitCodes.USAGE, train("--data", text.toString(), "--option", "beta=1")).contains("beta"));
    }

    @Test
    void sampleWithACharacterTheModelNeverSaw() throws IOException {
        Path ckpt = checkpoint("lstm");
        String line = fails(ExitCodes.USAGE, "sample", "--model", ckpt.toString(), "--prime", "the ZEBRA");
        assertTrue(line.contains("--prime: the character 'Z' (U+005A) at position 4 never occurs"), line);
    }

    // ---- train --task, compare, diagnose, experiment ----

    /** {@code train} of a task with small settings and {@code more}; {@code --seq-len} is 6 unless {@code more} gives it. */
    private String[] task(String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--hidden", "8", "--batch", "4", "--steps", "3",
                "--out", out.toString(), "--progress", "none"));
        if (!List.of(more).contains("--seq-len")) {
            a.addAll(List.of("--seq-len", "6"));
        }
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private String[] compare(String... more) {
        List<String> a = new ArrayList<>(List.of("compare", "--hidden", "4", "--seq-len", "4", "--steps", "2",
                "--out", out.toString(), "--progress", "none"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private String[] diagnose(String... more) {
        List<String> a = new ArrayList<>(List.of("diagnose", "--hidden", "4", "--seq-len", "4", "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void anUnknownTaskSuggestsTheClosest() throws IOException {
        String line = fails(ExitCodes.USAGE, task("--task", "addding"));
        assertTrue(line.contains("--task: unknown task 'addding'"), line);
        assertTrue(line.contains("Did you mean 'adding'? Tasks: adding, copy, reber, parity"), line);
        assertTrue(fails(ExitCodes.USAGE, compare("--task", "sorting")).contains("--task: unknown task 'sorting'"));
        assertTrue(fails(ExitCodes.USAGE, diagnose("--task", "partiy")).contains("Did you mean 'parity'?"));
    }

    @Test
    void aTaskAndATextExcludeEachOther() throws IOException {
        String line = fails(ExitCodes.USAGE, task("--task", "adding", "--data", text.toString()));
        assertTrue(line.contains("--task and --data both say what to train on; give one of them"), line);
        assertTrue(fails(ExitCodes.USAGE, diagnose("--task", "adding", "--data", text.toString())).contains("give one of them"));
    }

    @Test
    void textOptionsAreRefusedForATask() throws IOException {
        String line = fails(ExitCodes.USAGE, task("--task", "copy", "--embedding", "4", "--bptt", "2"));
        assertTrue(line.contains("--embedding, --bptt are for character models, not for --task runs"), line);
        assertTrue(fails(ExitCodes.USAGE, task("--task", "copy", "--seq-len", "0")).contains("--seq-len must be at least 1"));
        assertTrue(fails(ExitCodes.USAGE, train("--data", text.toString(), "--eval-batches", "2")).contains("--eval-batches is for --task"));
    }

    @Test
    void badInitializers() throws IOException {
        String block = fails(ExitCodes.USAGE, task("--task", "adding", "--init", "weight_xx=orthogonal"));
        assertTrue(block.contains("--init: no parameter named weight_xx to initialise; the cell has [bias_hh, bias_ih, weight_hh, weight_ih]"),
                block);
        String form = fails(ExitCodes.USAGE, task("--task", "adding", "--init", "weight_hh=orthogonl"));
        assertTrue(form.contains("--init weight_hh=orthogonl: unknown initializer"), form);
        assertTrue(fails(ExitCodes.USAGE, train("--data", text.toString(), "--init", "weight_hh=zeros(1)")).contains("takes no argument"));
        assertTrue(fails(ExitCodes.USAGE, compare("--task", "adding", "--cells", "gru", "--init", "weight_xx=zeros"))
                .contains("cell gru: no parameter named weight_xx"));
    }

    @Test
    void compareRefusesABadListOfCells() throws IOException {
        String typo = fails(ExitCodes.USAGE, compare("--task", "adding", "--cells", "lstm,grux"));
        assertTrue(typo.contains("--cells: unknown cell 'grux'"), typo);
        assertTrue(typo.contains("Did you mean 'gru'?"), typo);
        String empty = fails(ExitCodes.USAGE, compare("--task", "adding", "--cells", ","));
        assertTrue(empty.contains("--cells: expected a list of cell ids such as lstm,gru"), empty);
        assertTrue(fails(ExitCodes.USAGE, compare("--task", "adding", "--cells", "lstm,gru,lstm")).contains("--cells lists lstm twice"));
        assertTrue(fails(ExitCodes.USAGE, compare("--cells", "lstm")).contains("--task"), "the task is required");
        assertTrue(fails(ExitCodes.USAGE, diagnose("--cells", "lstm,rnn_tnah")).contains("Did you mean 'rnn_tanh'?"));
    }

    @Test
    void compareRefusesAZeroTimeBudget() throws IOException {
        String line = fails(ExitCodes.USAGE, compare("--task", "adding", "--cells", "lstm", "--time-per-cell", "0s"));
        assertTrue(line.contains("invalid value for option '--time-per-cell': expected a positive duration"), line);
    }

    @Test
    void compareAndDiagnoseWithAnOutputFolderThatCannotBeWritten() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Path bad = file.resolve("run");
        for (String[] args : new String[][] {
                {"compare", "--task", "adding", "--cells", "lstm", "--steps", "2", "--out", bad.toString()},
                {"diagnose", "--cells", "lstm", "--seq-len", "4", "--out", bad.toString()},
                {"experiment", "vanishing", "--quick", "--out", bad.toString()}}) {
            String line = fails(ExitCodes.FAILURE, args);
            assertTrue(line.contains("cannot write to " + bad) && line.endsWith("Choose another --out."), line);
        }
        assertEquals("x", Files.readString(file));
    }

    @Test
    void diagnoseAFreshModelOrACheckpointNotBoth() throws IOException {
        Path ckpt = checkpoint("lstm");
        String line = fails(ExitCodes.USAGE, diagnose("--model", ckpt.toString(), "--cells", "gru"));
        assertTrue(line.contains("--cells, --hidden describe a fresh model, but --model diagnoses the checkpoint's"), line);
        String task = fails(ExitCodes.USAGE, "diagnose", "--model", ckpt.toString(), "--task", "adding", "--out", out.toString());
        assertTrue(task.contains("is of a character model"), task);
    }

    @Test
    void anUnknownExperiment() throws IOException {
        String line = fails(ExitCodes.USAGE, "experiment", "exploding", "--out", out.toString());
        assertTrue(line.contains("exploding"), line);
        assertTrue(line.contains("vanishing"), line);
    }

    /** A small checkpoint of {@code cell}, in its own folder (not {@link #out}). */
    private Path checkpoint(String cell) throws IOException {
        Path run = dir.resolve("ckpt-" + cell);
        CliRun r = CliRun.run("train", "--cell", cell, "--data", text.toString(), "--hidden", "8", "--seq-len", "8",
                "--batch", "2", "--steps", "3", "--out", run.toString(), "--progress", "none", "--sample-length", "0");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        return run.resolve("checkpoint.safetensors");
    }
}
