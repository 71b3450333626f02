package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.io.SafetensorsReader;
import io.github.rnnlab.io.SafetensorsWriter;
import io.github.rnnlab.numeric.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnnlab forward} on a PyTorch LSTM {@code state_dict}: the outputs are those of PyTorch's equations
 * (computed here by hand in float64), in both precisions; bad files are one error line and no output file.
 */
class ForwardCommandTest {
    private static final int N = 3;
    private static final int H = 2;
    private static final int T = 4;
    private static final int B = 2;

    @TempDir
    Path dir;

    private double[] wih;
    private double[] whh;
    private double[] bih;
    private double[] bhh;
    private double[] x;
    private Path model;
    private Path input;

    @BeforeEach
    void files() throws IOException {
        Rng rng = new Rng(42);
        wih = random(rng, 4 * H * N);
        whh = random(rng, 4 * H * H);
        bih = random(rng, 4 * H);
        bhh = random(rng, 4 * H);
        x = random(rng, T * B * N);
        model = dir.resolve("lstm.safetensors");
        new SafetensorsWriter().add("weight_ih_l0", new int[] {4 * H, N}, wih).add("weight_hh_l0", new int[] {4 * H, H}, whh)
                .add("bias_ih_l0", new int[] {4 * H}, bih).add("bias_hh_l0", new int[] {4 * H}, bhh).write(model);
        input = dir.resolve("input.safetensors");
        new SafetensorsWriter().add("input", new int[] {T, B, N}, x).write(input);
    }

    private static double[] random(Rng rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.uniform(-0.8, 0.8);
        }
        return a;
    }

    /** PyTorch's LSTM (gates i, f, g, o), float64: output (T, B, H) then h_n and c_n (B, H). */
    private double[][] reference() {
        double[] out = new double[T * B * H];
        double[] h = new double[B * H];
        double[] c = new double[B * H];
        for (int t = 0; t < T; t++) {
            double[] hNext = new double[B * H];
            for (int b = 0; b < B; b++) {
                double[] g = new double[4 * H];
                for (int r = 0; r < 4 * H; r++) {
                    double s = bih[r] + bhh[r];
                    for (int k = 0; k < N; k++) {
                        s += wih[r * N + k] * x[(t * B + b) * N + k];
                    }
                    for (int k = 0; k < H; k++) {
                        s += whh[r * H + k] * h[b * H + k];
                    }
                    g[r] = s;
                }
                for (int j = 0; j < H; j++) {
                    double i = sigmoid(g[j]);
                    double f = sigmoid(g[H + j]);
                    double gg = Math.tanh(g[2 * H + j]);
                    double o = sigmoid(g[3 * H + j]);
                    c[b * H + j] = f * c[b * H + j] + i * gg;
                    hNext[b * H + j] = o * Math.tanh(c[b * H + j]);
                    out[(t * B + b) * H + j] = hNext[b * H + j];
                }
            }
            h = hNext;
        }
        return new double[][] {out, h, c};
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    @Test
    void writesWhatPyTorchsLstmComputesInBothPrecisions() throws IOException {
        double[][] want = reference();
        for (String precision : new String[] {"f64", "f32"}) {
            Path output = dir.resolve("sub/out-" + precision + ".safetensors");
            CliRun r = CliRun.run("forward", "--model", model.toString(), "--input", input.toString(), "--output",
                    output.toString(), "--precision", precision);
            assertEquals(ExitCodes.OK, r.exitCode(), r.err());
            assertEquals("", r.err());
            assertTrue(r.out().startsWith("lstm, 1 layer, input 3, hidden 2; T=4, B=2, " + precision
                    + ": wrote output, h_n, c_n to "), r.out());
            double tolerance = precision.equals("f64") ? 1e-12 : 1e-6;
            try (SafetensorsReader got = SafetensorsReader.open(output)) {
                assertArrayEquals(want[0], got.readDoubles("output"), tolerance);
                assertArrayEquals(want[1], got.readDoubles("h_n"), tolerance);
                assertArrayEquals(want[2], got.readDoubles("c_n"), tolerance);
            }
        }
    }

    @Test
    void aMissingTensorIsOneLineAndNoOutput() throws IOException {
        Path broken = dir.resolve("broken.safetensors");
        new SafetensorsWriter().add("weight_ih_l0", new int[] {4 * H, N}, wih).add("weight_hh_l0", new int[] {4 * H, H}, whh)
                .add("bias_ih_l0", new int[] {4 * H}, bih).write(broken);
        Path output = dir.resolve("new/out.safetensors");
        CliRun r = CliRun.run("forward", "--model", broken.toString(), "--input", input.toString(), "--output", output.toString());
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        String line = r.oneErrorLine();
        assertTrue(line.contains("bias_hh_l0"), line);
        assertFalse(Files.exists(output.getParent()), "no output folder left behind");
    }

    @Test
    void anInputOfTheWrongWidthNamesTheShapes() throws IOException {
        Path wide = dir.resolve("wide.safetensors");
        new SafetensorsWriter().add("input", new int[] {T, B, N + 1}, new double[T * B * (N + 1)]).write(wide);
        Path output = dir.resolve("out.safetensors");
        CliRun r = CliRun.run("forward", "--model", model.toString(), "--input", wide.toString(), "--output", output.toString());
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        assertTrue(r.oneErrorLine().contains("input"), r.err());
        assertFalse(Files.exists(output));
    }

    @Test
    void aMissingModelFile() {
        CliRun r = CliRun.run("forward", "--model", dir.resolve("none.safetensors").toString(), "--input", input.toString(),
                "--output", dir.resolve("o.safetensors").toString());
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        assertTrue(r.oneErrorLine().contains("--model: no such file"), r.err());
    }
}
