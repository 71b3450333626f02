package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.checkpoint.Checkpoint;
import io.github.rnnlab.checkpoint.TrainingState;
import io.github.rnnlab.numeric.F32Ops;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnnlab train} in-process with tiny settings: outputs, the loss curve, resuming, limits, plugins. */
class TrainCommandTest {
    @TempDir
    Path dir;

    private Path text() throws IOException {
        return Fixtures.textFile(dir.resolve("small.txt"), 6000);
    }

    /** The CSV rows as {step, train, val, lr} strings; asserts the header and the shape of every row. */
    static List<String[]> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(LossLog.HEADER, lines.get(0));
        List<String[]> rows = new ArrayList<>();
        long previous = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertEquals(6, f.length, line);
            long step = Long.parseLong(f[0]);
            assertTrue(step > previous, "steps increase: " + line);
            previous = step;
            for (int i = 1; i < 6; i++) {
                if (!f[i].isEmpty()) {
                    assertTrue(Double.isFinite(Double.parseDouble(f[i])), line);
                }
            }
            rows.add(f);
        }
        return rows;
    }

    @Test
    void trainsWritesTheOutputsAndLearns() throws IOException {
        Path out = dir.resolve("run");
        CliRun r = CliRun.run("train", "--data", text().toString(), "--hidden", "16", "--seq-len", "8", "--batch", "4",
                "--steps", "60", "--out", out.toString(), "--progress", "none");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertTrue(Files.isRegularFile(out.resolve("checkpoint.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("loss.png")));
        assertEquals(1000, ImageIO.read(out.resolve("loss.png").toFile()).getWidth());

        List<String[]> rows = csv(out.resolve("loss.csv"));
        assertEquals(60, rows.size(), "a row per step (--log-every defaults to steps/200, at least 1)");
        assertEquals("60", rows.get(59)[0]);
        double first = mean(rows.subList(0, 10), 1);
        double last = mean(rows.subList(50, 60), 1);
        assertTrue(last < first - 0.5, "the training loss falls: " + first + " -> " + last);
        long evaluated = rows.stream().filter(f -> !f[2].isEmpty()).count();
        assertEquals(10, evaluated, "validation every 6 steps (a tenth of the steps)");
        assertFalse(rows.get(59)[2].isEmpty(), "validation at the last step");

        // the unigram baseline of this text is about 2.6 nats; the structure makes it easy to beat
        String summary = r.out().lines().filter(l -> l.startsWith("validation loss")).findFirst().orElseThrow();
        double val = Double.parseDouble(summary.split(" ")[2]);
        double baseline = Double.parseDouble(summary.replaceAll(".*unigram baseline ([0-9.]+).*", "$1"));
        assertTrue(val < baseline - 0.5, summary);
        assertTrue(r.out().contains("sample at step 6:"), r.out());
        assertTrue(r.out().contains("done: step 60 of 60"), r.out());

        TrainingState s = Checkpoint.load(out.resolve("checkpoint.safetensors"), CellRegistry.load(getClass().getClassLoader()),
                "lstm", F32Ops.standard());
        assertEquals(60, s.step());
        assertEquals(16, s.config().model().rnn().hiddenSize());
    }

    private static double mean(List<String[]> rows, int column) {
        return rows.stream().mapToDouble(f -> Double.parseDouble(f[column])).average().orElseThrow();
    }

    @Test
    void aResumedRunContinuesBitForBit() throws IOException {
        Path data = text();
        List<String> common = List.of("--data", data.toString(), "--hidden", "12", "--layers", "2", "--dropout", "0.2",
                "--seq-len", "8", "--batch", "3", "--steps", "24", "--eval-every", "4", "--sample-length", "0",
                "--progress", "none");
        Path straight = dir.resolve("straight");
        CliRun a = CliRun.run(args(common, "--out", straight.toString()));
        assertEquals(ExitCodes.OK, a.exitCode(), a.err());

        Path split = dir.resolve("split");
        CliRun b1 = CliRun.run(args(common, "--out", split.toString(), "--stop-at", "12"));
        assertEquals(ExitCodes.OK, b1.exitCode(), b1.err());
        assertTrue(b1.out().contains("stopped at --stop-at: step 12 of 24"), b1.out());
        assertEquals(12, csv(split.resolve("loss.csv")).size());
        CliRun b2 = CliRun.run("train", "--resume", split.resolve("checkpoint.safetensors").toString(), "--progress", "none",
                "--sample-length", "0");
        assertEquals(ExitCodes.OK, b2.exitCode(), b2.err());
        assertTrue(b2.out().contains("resuming at step 12 of 24 steps"), b2.out());

        List<String[]> expected = csv(straight.resolve("loss.csv"));
        List<String[]> resumed = csv(split.resolve("loss.csv"));
        assertEquals(24, expected.size());
        assertEquals(expected.size(), resumed.size());
        for (int i = 0; i < expected.size(); i++) {
            // step, training loss, validation loss and learning rate; throughput and time differ
            assertArrayEquals(Arrays.copyOf(expected.get(i), 4), Arrays.copyOf(resumed.get(i), 4), "row " + i);
        }
        assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoint.safetensors")),
                Files.readAllBytes(split.resolve("checkpoint.safetensors")), "the final checkpoints are identical");
    }

    private static String[] args(List<String> common, String... more) {
        List<String> all = new ArrayList<>();
        all.add("train");
        all.addAll(common);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void onATerminalTheBarIsRedrawnAndMessagesGoAboveIt() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stream = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8);
        Terminal terminal = Terminal.of(stream, stream).withInteractive(true, 100);
        int code = Main.run(new String[] {"train", "--data", text().toString(), "--hidden", "8", "--seq-len", "8",
                "--batch", "2", "--steps", "20", "--out", dir.resolve("bar").toString(), "--sample-length", "10"}, terminal);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.OK, code, out);
        assertTrue(out.contains("\r[") && out.contains("] 20/20  loss "), out);
        // a validation line starts at the beginning of a line even though the bar was drawn before it
        for (String line : out.split("\n")) {
            if (line.contains("validation loss") && line.contains("step ")) {
                String visible = line.substring(line.lastIndexOf('\r') + 1);
                assertTrue(visible.startsWith("step "), "message above the bar: " + line.replace("\r", "<CR>"));
            }
        }
        assertFalse(out.contains("ETA --  step"), out);
    }

    @Test
    void theTimeLimitStopsCleanlyAndStillWritesEverything() throws IOException {
        Path out = dir.resolve("timed");
        CliRun r = CliRun.run("train", "--data", text().toString(), "--hidden", "8", "--seq-len", "8", "--batch", "2",
                "--steps", "10000000", "--time", "1s", "--out", out.toString(), "--progress", "lines", "--sample-length", "20");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("stopped at the time limit (1.0s)"), r.out());
        assertTrue(r.out().contains("validation loss"), r.out());
        assertTrue(Files.isRegularFile(out.resolve("checkpoint.safetensors")));
        List<String[]> rows = csv(out.resolve("loss.csv"));
        long last = Long.parseLong(rows.get(rows.size() - 1)[0]);
        assertTrue(last > 0 && last < 10_000_000, "stopped early at " + last);
    }

    @Test
    void epochsCountPassesOverTheTrainingText() throws IOException {
        // 6000 characters, 600 held out: 5400 in 4 streams of 1350; batches of 9 steps: ceil(1349 / 9) = 150
        Path out = dir.resolve("epochs");
        CliRun r = CliRun.run("train", "--data", text().toString(), "--hidden", "8", "--seq-len", "9", "--batch", "4",
                "--epochs", "0.1", "--out", out.toString(), "--progress", "none", "--sample-length", "0");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("15 steps of 4 x 9 characters"), r.out());
    }

    @Test
    void theCheckpointCanGoElsewhere() throws IOException {
        Path out = dir.resolve("out");
        Path ckpt = dir.resolve("elsewhere/model.safetensors");
        CliRun r = CliRun.run("train", "--data", text().toString(), "--hidden", "8", "--seq-len", "8", "--batch", "2",
                "--steps", "5", "--out", out.toString(), "--checkpoint", ckpt.toString(), "--progress", "none");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(Files.isRegularFile(ckpt));
        assertFalse(Files.exists(out.resolve("checkpoint.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("loss.csv")));
    }

    @Test
    void anyCellTrainsIncludingAPluginCell() throws IOException {
        Path plugins = Fixtures.examplePluginFolder(dir.resolve("plugins"));
        for (String cell : List.of("gru", "rnn_tanh", "janet")) {
            Path out = dir.resolve("cell-" + cell);
            CliRun r = CliRun.run("train", "--cell", cell, "--plugins", plugins.toString(), "--data", text().toString(),
                    "--hidden", "8", "--seq-len", "8", "--batch", "2", "--steps", "8", "--out", out.toString(),
                    "--progress", "none", "--sample-length", "0");
            assertEquals(ExitCodes.OK, r.exitCode(), cell + ": " + r.err());
            assertTrue(r.out().startsWith("rnnlab train: " + cell + ", 1 layer of 8"), r.out());
            assertTrue(Files.isRegularFile(out.resolve("checkpoint.safetensors")), cell);
        }
    }

    @Test
    void theDefaultOutputFolderIsUnderRunsAndIsNamedByTheTime() {
        // only the naming is checked here: the default main job itself is measured, not unit-tested
        CliRun r = CliRun.run("train", "--help");
        assertEquals(ExitCodes.OK, r.exitCode());
        assertTrue(r.out().contains("runs/<date-time>"), r.out());
        assertTrue(r.out().contains("--resume"), r.out());
        assertTrue(r.out().contains("--task=NAME"), r.out());
        assertTrue(r.out().contains("Synthetic tasks (--task):"), r.out());
    }

    @Test
    void theRunNamesItsSettingsAndTheBaseline() throws IOException {
        Path out = dir.resolve("header");
        CliRun r = CliRun.run("train", "--data", text().toString(), "--hidden", "8", "--seq-len", "8", "--batch", "2",
                "--steps", "4", "--optimizer", "sgd", "--lr", "0.5", "--schedule", "constant", "--warmup", "0",
                "--bptt", "4", "--out", out.toString(), "--progress", "none", "--sample-length", "0");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(2).startsWith("unigram baseline: "), lines.get(2));
        assertTrue(lines.get(3).contains("bptt 4); sgd lr 0.5 (constant)"), lines.get(3));
        // truncated every 4 of 8 steps: two updates per batch
        assertTrue(r.out().contains("done: step 4 of 4"), r.out());
        assertEquals(List.of("2", "4"), csvSteps(out));
    }

    private static List<String> csvSteps(Path out) throws IOException {
        return csv(out.resolve("loss.csv")).stream().map(f -> f[0]).toList();
    }

    @Test
    void differentSeedsGiveDifferentRuns() throws IOException {
        Path data = text();
        String[] losses = new String[2];
        for (int i = 0; i < 2; i++) {
            Path out = dir.resolve("seed" + i);
            CliRun r = CliRun.run("train", "--data", data.toString(), "--hidden", "8", "--seq-len", "8", "--batch", "2",
                    "--steps", "3", "--seed", Integer.toString(i + 1), "--out", out.toString(), "--progress", "none",
                    "--sample-length", "0");
            assertEquals(ExitCodes.OK, r.exitCode(), r.err());
            losses[i] = csv(out.resolve("loss.csv")).get(2)[1];
        }
        assertNotEquals(losses[0], losses[1]);
    }
}
