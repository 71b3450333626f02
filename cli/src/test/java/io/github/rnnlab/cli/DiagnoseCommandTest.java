package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.diagnose.DiagnosticReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnnlab diagnose} in-process at small sizes: fresh cells on a task or a text, checkpoints, the files. */
class DiagnoseCommandTest {
    @TempDir
    Path dir;

    /** The per-step rate of {@code run}'s whole state, layer 0, from gradient_summary.csv. */
    private static double rate(Path out, String run) throws IOException {
        for (String line : Files.readAllLines(out.resolve(DiagnosticReport.SUMMARY_CSV), StandardCharsets.UTF_8)) {
            String[] f = line.split(",", -1);
            if (f[0].equals(run) && f[2].equals("0") && f[3].equals("all")) {
                return Double.parseDouble(f[4]);
            }
        }
        throw new AssertionError("no summary row for " + run);
    }

    @Test
    void diagnosesFreshCellsOnATaskAndWritesTheTablesFiles() throws IOException {
        Path out = dir.resolve("fresh");
        CliRun r = CliRun.run("diagnose", "--cells", "rnn_tanh,lstm", "--task", "adding", "--seq-len", "20", "--hidden", "8",
                "--out", out.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals("", r.err());
        String o = r.out();
        assertTrue(o.startsWith("rnnlab diagnose: 2 fresh models of 1 layer of 8\nbatch: the adding task, T = 20 steps, 32 rows\n"), o);
        assertTrue(o.contains("rho(W_hh)") && o.contains("rate/step") && o.contains("sigma1(J)") && o.contains("verdict"), o);
        List<String> rows = o.lines().filter(l -> l.startsWith("rnn_tanh  ") || l.startsWith("lstm  ")).toList();
        // table: rnn_tanh h; lstm h, c, all; spectra: rnn_tanh's weight_hh, lstm's four gate blocks
        assertEquals(4 + 5, rows.size(), o);
        assertTrue(rows.get(0).endsWith("vanishing"), "rnn_tanh at PyTorch's init, T = 20: " + rows.get(0));
        assertTrue(o.contains("lstm      lstm          0  c "), o);
        assertTrue(o.contains("rnn.weight_hh_l0[gate 1/4]  8x8"), o);
        assertTrue(o.contains("\nrnn_tanh: vanishing (rate "), o);

        for (String f : DiagnosticReport.FILES) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        // one row per (run, state, distance): rnn_tanh h and all, lstm h, c and all; 20 distances each
        assertEquals(1 + 5 * 20, Files.readAllLines(out.resolve(DiagnosticReport.CURVES_CSV)).size());
        assertEquals(1000, ImageIO.read(out.resolve(DiagnosticReport.GRADIENT_PNG).toFile()).getWidth());
        assertTrue(rate(out, "rnn_tanh") < 0.98);
    }

    /** The lecture's claim: an orthogonal weight_hh moves the vanilla RNN's per-step rate towards 1. */
    @Test
    void anOrthogonalRecurrentMatrixSlowsTheVanishing() throws IOException {
        Path uniform = dir.resolve("uniform"), orthogonal = dir.resolve("orthogonal");
        String[] common = {"diagnose", "--cell", "rnn_tanh", "--seq-len", "30", "--hidden", "16", "--batch", "8", "--seed", "3"};
        CliRun a = CliRun.run(concat(common, "--out", uniform.toString()));
        CliRun b = CliRun.run(concat(common, "--init", "weight_hh=orthogonal", "--out", orthogonal.toString()));
        assertEquals(ExitCodes.OK, a.exitCode(), a.err());
        assertEquals(ExitCodes.OK, b.exitCode(), b.err());
        assertTrue(b.out().startsWith("rnnlab diagnose: 1 fresh model of 1 layer of 16, init weight_hh=orthogonal"), b.out());
        double ru = rate(uniform, "rnn_tanh"), ro = rate(orthogonal, "rnn_tanh");
        assertTrue(ro > ru + 0.1, "orthogonal " + ro + " vs uniform " + ru);
        assertTrue(b.out().contains("1.000  "), "spectral radius 1 of an orthogonal matrix: " + b.out());
    }

    @Test
    void diagnosesACheckpointOnItsOwnTaskOrText() throws IOException {
        Path task = dir.resolve("task");
        CliRun t = CliRun.run("train", "--task", "adding", "--seq-len", "10", "--hidden", "8", "--batch", "8", "--steps", "3",
                "--out", task.toString(), "--progress", "none");
        assertEquals(ExitCodes.OK, t.exitCode(), t.err());
        Path out = dir.resolve("ckpt-task");
        CliRun r = CliRun.run("diagnose", "--model", task.resolve("checkpoint.safetensors").toString(), "--objective", "loss",
                "--out", out.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("batch: the adding task, T = 10 steps, 32 rows"), "the checkpoint's own T: " + r.out());
        assertTrue(r.out().contains("loss at T: the model's head and loss"), r.out());
        assertTrue(r.out().contains("lstm (step 3)"), r.out());

        Path text = Fixtures.textFile(dir.resolve("small.txt"), 4000);
        Path chars = dir.resolve("chars");
        CliRun c = CliRun.run("train", "--data", text.toString(), "--hidden", "8", "--seq-len", "8", "--batch", "2", "--steps", "3",
                "--cell", "gru", "--out", chars.toString(), "--progress", "none", "--sample-length", "0");
        assertEquals(ExitCodes.OK, c.exitCode(), c.err());
        Path out2 = dir.resolve("ckpt-text");
        CliRun r2 = CliRun.run("diagnose", "--model", chars.resolve("checkpoint.safetensors").toString(), "--seq-len", "12",
                "--batch", "4", "--out", out2.toString());
        assertEquals(ExitCodes.OK, r2.exitCode(), r2.err());
        assertTrue(r2.out().contains("batch: 4 random windows of 12 characters of " + text), r2.out());
        assertEquals(1 + 2 * 12, Files.readAllLines(out2.resolve(DiagnosticReport.CURVES_CSV)).size());
    }

    @Test
    void aFreshCharacterModelOnAText() throws IOException {
        Path text = Fixtures.textFile(dir.resolve("small.txt"), 4000);
        Path out = dir.resolve("text");
        CliRun r = CliRun.run("diagnose", "--data", text.toString(), "--cells", "gru", "--seq-len", "16", "--hidden", "8",
                "--embedding", "4", "--layers", "2", "--out", out.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("rnnlab diagnose: 1 fresh character model of 2 layers of 8, embedding 4"), r.out());
        // the summary table: one row per layer (a GRU has the one state h), each with its own layer's spectra
        List<String[]> rows = r.out().lines().map(l -> l.trim().split("\\s+"))
                .filter(f -> f.length == 13 && f[0].equals("gru") && f[1].equals("gru")).toList();
        assertEquals(2, rows.size(), "a row per layer: " + r.out());
        List<String[]> spectra = Files.readAllLines(out.resolve(DiagnosticReport.SPECTRA_CSV), StandardCharsets.UTF_8).stream()
                .skip(1).map(l -> l.split(",", -1)).toList();
        assertEquals(6, spectra.size(), "three gate blocks of weight_hh per layer");
        for (int layer = 0; layer < 2; layer++) {
            String[] row = rows.get(layer);
            assertEquals(Integer.toString(layer), row[2]);
            assertEquals("h", row[3]);
            String suffix = "_l" + layer;
            double rho = spectra.stream().filter(f -> f[2].endsWith(suffix)).mapToDouble(f -> Double.parseDouble(f[6])).max().orElseThrow();
            double sigma = spectra.stream().filter(f -> f[2].endsWith(suffix)).mapToDouble(f -> Double.parseDouble(f[7])).max().orElseThrow();
            assertEquals(rho, Double.parseDouble(row[4]), 1e-3 * rho, "layer " + layer + "'s rho(W_hh): " + String.join(" ", row));
            assertEquals(sigma, Double.parseDouble(row[5]), 1e-3 * sigma, "layer " + layer + "'s sigma1(W_hh): " + String.join(" ", row));
        }
        assertTrue(r.out().contains("the worst of 2 layers decides"), r.out());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
