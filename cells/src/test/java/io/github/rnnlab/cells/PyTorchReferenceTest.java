package io.github.rnnlab.cells;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.tck.ChunkRunner;
import io.github.rnnlab.tck.Fixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The built-in cells against PyTorch 1.13 itself: outputs, final states and every gradient of
 * {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU} in float64, recorded by
 * {@code src/test/python/torch_reference.py} into {@code torch_reference.txt}, for the same
 * parameters, input and initial state (closed formulas of the flat index, rebuilt here), with and
 * without a packed (padded) batch. Matching them pins the equations, the gate order, the parameter
 * layout and the padding semantics to PyTorch's.
 */
class PyTorchReferenceTest {
    private static final int T = 3, B = 2, IN = 3, H = 2;
    private static final int[] LENGTHS = {3, 1};
    private static final Map<String, double[]> REFERENCE = load();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"rnn_tanh, full", "rnn_tanh, masked", "rnn_relu, full", "rnn_relu, masked",
            "lstm, full", "lstm, masked", "gru, full", "gru, masked"})
    void float64MatchesPyTorch(String id, String mode) {
        check(id, mode, F64Ops.INSTANCE, 1e-12);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"rnn_tanh, full", "lstm, masked", "gru, full", "gru, masked"})
    void float32MatchesPyTorchToFloatPrecision(String id, String mode) {
        check(id, mode, F32Ops.standard(), 2e-6);
    }

    private static <A> void check(String id, String mode, Ops<A> ops, double tol) {
        CellProvider p = switch (id) {
            case "rnn_tanh" -> new RnnTanhProvider();
            case "rnn_relu" -> new RnnReluProvider();
            case "lstm" -> new LstmProvider();
            default -> new GruProvider();
        };
        Cell cell = p.create(new CellConfig(IN, H));
        boolean lstm = id.equals("lstm");
        int s = cell.layout().stateSize();
        double[] params = formula(cell.layout().parameterCount(), k -> 0.5 * Math.sin(1.3 * k + 0.7));
        double[] x = formula(T * B * IN, k -> Math.sin(0.9 * k + 0.1));
        double[] h0 = formula(B * H, k -> 0.8 * Math.cos(0.7 * k + 0.3));
        double[] c0 = formula(B * H, k -> 0.6 * Math.sin(0.5 * k + 1.1));
        double[] wo = formula(T * B * H, k -> Math.cos(0.6 * k + 0.2));
        double[] wh = formula(B * H, k -> Math.sin(0.4 * k + 0.5));
        double[] wc = formula(B * H, k -> Math.cos(0.3 * k + 0.9));
        double[] init = new double[B * s], dFinal = new double[B * s];
        for (int b = 0; b < B; b++) {
            System.arraycopy(h0, b * H, init, b * s, H);
            System.arraycopy(wh, b * H, dFinal, b * s, H);
            if (lstm) {
                System.arraycopy(c0, b * H, init, b * s + H, H);
                System.arraycopy(wc, b * H, dFinal, b * s + H, H);
            }
        }
        float[] mask = null;
        if (mode.equals("masked")) {
            mask = new float[T * B];
            for (int t = 0; t < T; t++) {
                for (int b = 0; b < B; b++) {
                    mask[t * B + b] = t < LENGTHS[b] ? 1f : 0f;
                }
            }
        }
        Fixture f = new Fixture(T, B, IN, x, mask, params, init, wo, dFinal, new double[params.length], 1);
        ChunkRunner.Result r = ChunkRunner.run(cell, ops, f, ChunkRunner.Mode.TRAINING);

        String c = id + "/" + mode + " ";
        assertClose(c + "output", ref(c + "output"), r.output(), tol);
        assertClose(c + "h_n", ref(c + "h_n"), state(r.finalState(), s, 0), tol);
        assertClose(c + "grad_h0", ref(c + "grad_h0"), state(r.initialStateGrad(), s, 0), tol);
        if (lstm) {
            assertClose(c + "c_n", ref(c + "c_n"), state(r.finalState(), s, H), tol);
            assertClose(c + "grad_c0", ref(c + "grad_c0"), state(r.initialStateGrad(), s, H), tol);
        }
        for (var block : cell.layout().parameters()) {
            double[] g = java.util.Arrays.copyOfRange(r.parameterGrad(), block.offset(), block.offset() + block.size());
            assertClose(c + "grad_" + block.name(), ref(c + "grad_" + block.name()), g, tol);
        }
        assertClose(c + "grad_input", ref(c + "grad_input"), r.inputGrad(), tol);
    }

    private static double[] state(double[] rows, int s, int offset) {
        double[] out = new double[B * H];
        for (int b = 0; b < B; b++) {
            System.arraycopy(rows, b * s + offset, out, b * H, H);
        }
        return out;
    }

    private static double[] formula(int n, IntToDoubleFunction f) {
        double[] a = new double[n];
        for (int k = 0; k < n; k++) {
            a[k] = f.applyAsDouble(k);
        }
        return a;
    }

    private static double[] ref(String key) {
        double[] v = REFERENCE.get(key);
        assertNotNull(v, "torch_reference.txt has no line " + key);
        return v;
    }

    private static void assertClose(String what, double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tol * (1 + Math.abs(expected[i])))) {
                fail(what + "[" + i + "]: PyTorch " + expected[i] + ", rnnlab " + actual[i]);
            }
        }
    }

    private static Map<String, double[]> load() {
        Map<String, double[]> m = new HashMap<>();
        var in = PyTorchReferenceTest.class.getResourceAsStream("/torch_reference.txt");
        if (in == null) {
            throw new IllegalStateException("torch_reference.txt is missing from the test resources");
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.trim().split("\\s+");
                double[] v = new double[parts.length - 2];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Double.parseDouble(parts[i + 2]);
                }
                m.put(parts[0] + " " + parts[1], v);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }
}
