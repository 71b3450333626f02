package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.diagnose.LectureExperiment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnnlab experiment vanishing --quick} in-process, as a user runs it (about 15 s on one thread): every part
 * runs, the tables are printed, every file is written, and the lecture's qualitative claims hold at the quick sizes
 * (T = 50, H = 32, 1000 Adam updates, seed 2024, one thread, so the same numbers on every run of one JDK).
 *
 * <p>Margins: the claims are asserted with room (the figures of the quick run are in the comments), so that the
 * small differences between JDKs and between the SIMD and scalar kernels do not decide them.
 */
class ExperimentCommandTest {
    @TempDir
    Path dir;

    /**
     * The part-1 row (diagnosis at initialisation) of {@code run}'s state {@code state}, split into its columns: run,
     * cell, layer, state, rho(W_hh), sigma1(W_hh), rate/step, log10 change, |g| d=1, |g| d=T, sigma1(J), rms(J)[, verdict].
     */
    private static String[] part1(String out, String run, String state) {
        String part = out.substring(out.indexOf("1. Gradient of a loss at T"), out.indexOf("2. Training"));
        return part.lines().map(l -> l.trim().split("\\s{2,}"))
                .filter(f -> f.length >= 12 && f[0].equals(run) && f[3].equals(state)).findFirst()
                .orElseThrow(() -> new AssertionError("no part-1 row of " + run + ", state " + state + " in:\n" + part));
    }

    private static double column(String out, String run, String state, int column) {
        return Double.parseDouble(part1(out, run, state)[column]);
    }

    private static final int RATE = 6, RMS_J = 11, VERDICT = 12;

    /** Part 2's leaderboard row of {@code run} from adding/compare.csv (no run name there has a comma). */
    private static String[] trained(Path out, String run) throws IOException {
        return Files.readAllLines(out.resolve(LectureExperiment.ADDING_DIR).resolve("compare.csv"), StandardCharsets.UTF_8).stream()
                .map(l -> l.split(",", -1)).filter(f -> f[1].equals(run)).findFirst()
                .orElseThrow(() -> new AssertionError("no training row of " + run));
    }

    @Test
    void theQuickExperimentRunsEveryPartAndShowsTheClaims() throws IOException {
        Path out = dir.resolve("lecture");
        CliRun r = CliRun.run("experiment", "vanishing", "--quick", "--out", out.toString(), "--progress", "none");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals("", r.err());
        String o = r.out();
        assertTrue(o.startsWith("rnnlab experiment vanishing --quick: the adding problem, T = 50, H = 32, batches of 32, seed 2024; "
                + "1 thread"), o);
        assertTrue(o.contains("2. Training, same budget: 1000 updates of Adam"), o);
        assertTrue(o.contains("3. Clipping: rnn_relu, orthogonal weight_hh x 2.0, plain SGD"), o);
        assertTrue(o.contains("wrote 16 files under "), o);
        for (String f : LectureExperiment.fileNames()) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }

        // 1. at initialisation: the vanilla RNN's gradient vanishes (rate 0.58 per step), the exploding rnn_relu's
        // grows (1.43)
        assertEquals("vanishing", part1(o, LectureExperiment.DEFAULT_TANH, "h")[VERDICT]);
        assertTrue(column(o, LectureExperiment.DEFAULT_TANH, "h", RATE) < 0.8, o);
        assertEquals("exploding", part1(o, LectureExperiment.EXPLODING_RELU, "h")[VERDICT]);
        assertTrue(column(o, LectureExperiment.EXPLODING_RELU, "h", RATE) > 1.2, o);
        // an orthogonal weight_hh moves the rate (0.58 -> 0.89) and the step Jacobians' RMS singular value
        // (0.56 -> 0.89) towards 1
        double tanhRate = column(o, LectureExperiment.DEFAULT_TANH, "h", RATE);
        double orthoRate = column(o, LectureExperiment.ORTHOGONAL_TANH, "h", RATE);
        assertTrue(orthoRate > tanhRate + 0.2 && orthoRate < 1, "an orthogonal weight_hh moves the rate towards 1: " + tanhRate
                + " -> " + orthoRate);
        double tanhRms = column(o, LectureExperiment.DEFAULT_TANH, "h", RMS_J);
        double orthoRms = column(o, LectureExperiment.ORTHOGONAL_TANH, "h", RMS_J);
        assertTrue(Math.abs(1 - orthoRms) < Math.abs(1 - tanhRms) - 0.2, "... and the Jacobians' norms: " + tanhRms + " -> " + orthoRms);
        // the chrono-initialised LSTM's cell path keeps the gradient (0.97 per step; PyTorch's init: 0.65)
        double chronoC = column(o, LectureExperiment.LSTM_CHRONO, "c", RATE);
        assertTrue(chronoC > 0.95, "the chrono-initialised LSTM's cell path keeps the gradient: " + chronoC);
        assertTrue(chronoC > column(o, LectureExperiment.LSTM, "c", RATE) + 0.2, o);

        // 2. the same budget: a gated cell learns the adding problem, the vanilla RNN does not beat the baseline.
        // At the quick size the GRU solves it (99% of the gap closed) and the chrono LSTM closes most of the gap (90%);
        // the LSTM with PyTorch's init needs more than 1000 updates (the README's standard run gives it 2000 at T = 100).
        String[] gru = trained(out, LectureExperiment.GRU);
        assertEquals("yes", gru[8], "the GRU solves the adding problem: " + Arrays.toString(gru));
        assertTrue(Double.parseDouble(trained(out, LectureExperiment.LSTM_CHRONO)[7]) > 0.5,
                "the chrono LSTM closes most of the gap: " + Arrays.toString(trained(out, LectureExperiment.LSTM_CHRONO)));
        String[] tanh = trained(out, "rnn_tanh");
        assertEquals("no", tanh[8], Arrays.toString(tanh));
        assertTrue(Double.parseDouble(tanh[7]) < 0.2, "rnn_tanh stays at the baseline: " + Arrays.toString(tanh));

        // 3. clipping: without it plain SGD on the exploding rnn_relu stops at a non-finite loss, with it the run ends
        String clipping = o.substring(o.indexOf("3. Clipping"));
        List<String> lines = clipping.lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.contains(LectureExperiment.UNCLIPPED) && l.contains("diverged after")), clipping);
        assertTrue(lines.stream().anyMatch(l -> l.contains(LectureExperiment.CLIPPED) && l.endsWith("finished")), clipping);
    }

    /** The help's figures of --quick are those of {@link LectureExperiment.Config#quick()}. */
    @Test
    void theQuickHelpTellsTheQuickSizes() {
        LectureExperiment.Config q = LectureExperiment.Config.quick();
        assertEquals(q.steps(), ExperimentCommand.QUICK_T);
        assertEquals(q.hidden(), ExperimentCommand.QUICK_H);
        assertEquals(q.trainSteps(), ExperimentCommand.QUICK_STEPS);
        CliRun r = CliRun.run("experiment", "--help");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        String help = r.out().replaceAll("\\s+", " "); // lines wrapped anywhere
        assertTrue(help.contains("T = " + q.steps() + ", H = " + q.hidden() + ", " + q.trainSteps() + " updates"), r.out());
    }
}
