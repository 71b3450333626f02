package io.github.rnnlab.interop;

import io.github.rnnlab.interop.Fixtures.Tensor;
import io.github.rnnlab.interop.StateDictException.Problem;
import io.github.rnnlab.io.DType;
import io.github.rnnlab.io.SafetensorsReader;
import io.github.rnnlab.io.SafetensorsWriter;
import io.github.rnnlab.numeric.Precision;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The input file of {@link TorchForward}: what it accepts, what it refuses, and what it writes. */
class TorchForwardTest {
    @TempDir
    Path dir;
    private Map<String, Tensor> fixture;
    private Path model;
    private Path output;

    @BeforeEach
    void lstm() throws IOException {
        fixture = Fixtures.tensors("lstm_l2_bi_f64");   // n = 4, H = 6, D·L = 4, T = 5, B = 3
        model = Fixtures.write(dir.resolve("model.safetensors"), fixture, Fixtures::isParameter, Map.of("cell", "lstm"));
        output = dir.resolve("output.safetensors");
    }

    private Path input(Map<String, Tensor> tensors) throws IOException {
        return Fixtures.write(dir.resolve("input.safetensors"), tensors, k -> true, Map.of());
    }

    private Map<String, Tensor> inputs(String... names) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, fixture.get(n));
        }
        return m;
    }

    private StateDictException failure(Map<String, Tensor> tensors) throws IOException {
        Path in = input(tensors);
        return assertThrows(StateDictException.class, () -> TorchForward.run(model, in, output, Precision.F32, Fixtures.REGISTRY));
    }

    private static Tensor zeros(DType dtype, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return new Tensor(dtype, shape, new double[n]);
    }

    @Test
    void withoutGradientsOnlyTheForwardResultsAreWritten() throws IOException {
        TorchForward.Report r = TorchForward.run(model, input(inputs("input", "h0", "c0")), output, Precision.F64, Fixtures.REGISTRY);
        assertFalse(r.gradients());
        assertEquals(List.of("output", "h_n", "c_n"), r.written());
        try (SafetensorsReader out = SafetensorsReader.open(output)) {
            assertEquals(List.of("c_n", "h_n", "output"), out.names());
            assertTrue(Fixtures.relativeError(out.readDoubles("c_n"), fixture.get("c_n").values()) < 1e-12);
            assertEquals("lstm", out.metadata().get("cell"));
            assertEquals("f64", out.metadata().get("precision"));
            assertEquals(TorchForward.FORMAT, out.metadata().get("format"));
        }
    }

    @Test
    void absentInitialStatesAndUpstreamGradientsAreZeros() throws IOException {
        Map<String, Tensor> zeroState = inputs("input", "grad_h_n");
        zeroState.put("h0", zeros(DType.F64, 4, 3, 6));
        zeroState.put("c0", zeros(DType.F64, 4, 3, 6));
        zeroState.put("grad_output", zeros(DType.F64, 5, 3, 12));
        zeroState.put("grad_c_n", zeros(DType.F64, 4, 3, 6));
        TorchForward.run(model, input(zeroState), output, Precision.F64, Fixtures.REGISTRY);
        Map<String, double[]> explicit = readAll(output);
        TorchForward.Report r = TorchForward.run(model, input(inputs("input", "grad_h_n")), output, Precision.F64, Fixtures.REGISTRY);
        assertTrue(r.gradients());
        Map<String, double[]> implicit = readAll(output);
        assertEquals(explicit.keySet(), implicit.keySet());
        explicit.forEach((k, v) -> assertArrayEquals(v, implicit.get(k), k));
        assertTrue(implicit.containsKey("grad.c0") && implicit.containsKey("grad.weight_hh_l1_reverse"));
    }

    @Test
    void halfPrecisionInputsAreWidened() throws IOException {
        double[] x = fixture.get("input").values();
        float[] xf = new float[x.length];
        double[] rounded = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xf[i] = (float) x[i];
        }
        Path half = dir.resolve("half.safetensors");
        new SafetensorsWriter().add("input", DType.BF16, new int[]{5, 3, 4}, xf, 0).write(half);
        try (SafetensorsReader r = SafetensorsReader.open(half)) {
            r.readDoubles("input", rounded, 0);
        }
        TorchForward.run(model, half, output, Precision.F64, Fixtures.REGISTRY);
        double[] fromHalf = readAll(output).get("output");
        TorchForward.run(model, input(Map.of("input", new Tensor(DType.F64, new int[]{5, 3, 4}, rounded))), output, Precision.F64, Fixtures.REGISTRY);
        assertArrayEquals(readAll(output).get("output"), fromHalf);
    }

    @Test
    void emptySequencesAndBatches() throws IOException {
        TorchForward.Report r = TorchForward.run(model, input(Map.of("input", zeros(DType.F32, 0, 3, 4),
                "h0", fixture.get("h0"), "grad_output", zeros(DType.F32, 0, 3, 12))), output, Precision.F32, Fixtures.REGISTRY);
        assertEquals(0, r.steps());
        Map<String, double[]> out = readAll(output);
        assertEquals(0, out.get("output").length);
        double[] h0 = fixture.get("h0").values();
        double[] hn = out.get("h_n");
        for (int i = 0; i < h0.length; i++) {
            assertEquals((float) h0[i], hn[i], 0.0, "no steps: h_n is h0");
        }
        TorchForward.run(model, input(Map.of("input", zeros(DType.F32, 5, 0, 4))), output, Precision.F32, Fixtures.REGISTRY);
        assertEquals(0, readAll(output).get("h_n").length);
    }

    @Test
    void inputOfTheWrongRankOrWidth() throws IOException {
        StateDictException e = failure(Map.of("input", zeros(DType.F32, 5, 3, 5)));
        assertEquals(Problem.SHAPE, e.problem());
        assertEquals("input: expected shape [T, B, 4], got [5, 3, 5]", e.getMessage());
        assertEquals("input: expected shape [T, B, 4], got [15, 4]", failure(Map.of("input", zeros(DType.F32, 15, 4))).getMessage());
    }

    @Test
    void statesAndGradientsOfTheWrongShape() throws IOException {
        Map<String, Tensor> m = inputs("input");
        m.put("h0", zeros(DType.F32, 4, 2, 6));
        assertEquals("h0: expected shape [4, 3, 6], got [4, 2, 6]", failure(m).getMessage());
        m = inputs("input", "h0");
        m.put("c0", zeros(DType.F32, 2, 3, 6));
        assertEquals("c0: expected shape [4, 3, 6], got [2, 3, 6]", failure(m).getMessage());
        m = inputs("input");
        m.put("grad_output", zeros(DType.F32, 5, 3, 6));
        assertEquals("grad_output: expected shape [5, 3, 12], got [5, 3, 6]", failure(m).getMessage());
        m = inputs("input", "grad_output");
        m.put("grad_c_n", zeros(DType.F32, 4, 3, 7));
        assertEquals("grad_c_n: expected shape [4, 3, 6], got [4, 3, 7]", failure(m).getMessage());
    }

    @Test
    void unknownMissingAndNonFloatTensors() throws IOException {
        Map<String, Tensor> m = inputs("input", "grad_output");
        m.put("grad_hn", fixture.get("grad_h_n"));
        StateDictException e = failure(m);
        assertEquals(Problem.UNEXPECTED_TENSOR, e.problem());
        assertTrue(e.getMessage().startsWith("grad_hn: unexpected tensor; the input of a lstm stack of 2 layers, bidirectional,"
                + " input 4, hidden 6 holds input, h0, c0, grad_output, grad_h_n, grad_c_n"), e.getMessage());
        StateDictException missing = failure(inputs("h0"));
        assertEquals(Problem.MISSING_TENSOR, missing.problem());
        assertEquals("input: expected a tensor of shape [T, B, 4], got none", missing.getMessage());
        Path ints = dir.resolve("ints.safetensors");
        new SafetensorsWriter().add("input", new int[]{1, 1, 4}, new int[4]).write(ints);
        StateDictException dtype = assertThrows(StateDictException.class,
                () -> TorchForward.run(model, ints, output, Precision.F32, Fixtures.REGISTRY));
        assertEquals(Problem.DTYPE, dtype.problem());
    }

    @Test
    void aFailedRunLeavesAnEarlierOutputAlone() throws IOException {
        Files.writeString(output, "previous result");
        failure(Map.of("input", zeros(DType.F32, 5, 3, 5)));
        assertEquals("previous result", Files.readString(output));
        Path badModel = Fixtures.write(dir.resolve("bad.safetensors"), fixture, k -> Fixtures.isParameter(k) && !k.equals("bias_ih_l1"), Map.of());
        Path in = input(inputs("input"));
        assertThrows(StateDictException.class, () -> TorchForward.run(badModel, in, output, Precision.F64, Fixtures.REGISTRY));
        assertEquals("previous result", Files.readString(output));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(), "no temporary file left");
        }
    }

    private static Map<String, double[]> readAll(Path file) throws IOException {
        Map<String, double[]> m = new LinkedHashMap<>();
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            for (String n : r.names()) {
                m.put(n, r.readDoubles(n));
            }
        }
        return m;
    }
}
