package io.github.rnnlab.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PyTorch fixtures ({@code tools/make_pytorch_fixtures.py}) are all there, read with this package's reader, and
 * hold exactly the tensors the interop tests will need, with PyTorch's names and shapes. Files written by another
 * implementation double as a format interop check: rewritten with {@link SafetensorsWriter}, they come out byte
 * for byte the same; and PyTorch's float16/bfloat16 conversions agree with {@link HalfFloats}. The numerical
 * comparison with rnnlab's cells is the cells module's {@code TorchFixturesTest} (core has no cells); one small
 * forward pass here (an Elman tanh layer, computed directly) shows the files mean what their names say.
 */
class PyTorchFixturesTest {
    static final int T = 5;
    static final int B = 3;
    static final int N = 4;
    static final int H = 6;
    static final List<String> CELLS = List.of("rnn_tanh", "rnn_relu", "lstm", "gru");

    /** File stem → (layers, bidirectional, bias). */
    static final Map<String, int[]> CONFIGS = Map.of(
            "l1", new int[] {1, 0, 1},
            "l2", new int[] {2, 0, 1},
            "bi", new int[] {1, 1, 1},
            "l2_bi", new int[] {2, 1, 1},
            "nobias", new int[] {1, 0, 0});

    static Path dir() {
        try {
            return Path.of(PyTorchFixturesTest.class.getResource("/pytorch/dtypes.safetensors").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static List<String> fixtureNames() {
        List<String> names = new ArrayList<>();
        for (String cell : CELLS) {
            for (String stem : new TreeSet<>(CONFIGS.keySet())) {
                names.add(cell + "_" + stem + "_f64.safetensors");
                if (stem.equals("l2_bi")) {
                    names.add(cell + "_" + stem + "_f32.safetensors");
                }
            }
        }
        return names;
    }

    @Test
    void everyFixtureIsThereAndNothingElse() throws IOException {
        List<String> expected = new ArrayList<>(fixtureNames());
        expected.add("dtypes.safetensors");
        try (var files = Files.list(dir())) {
            assertEquals(new TreeSet<>(expected), new TreeSet<>(files.map(p -> p.getFileName().toString()).toList()));
        }
        long total = 0;
        for (String name : expected) {
            total += Files.size(dir().resolve(name));
        }
        assertTrue(total < 1 << 20, "fixtures should stay well under 1 MB, have " + total);
    }

    private static int gates(String cell) {
        return switch (cell) {
            case "lstm" -> 4;
            case "gru" -> 3;
            default -> 1;
        };
    }

    /** Every name → shape the fixture must hold, from PyTorch's conventions (REFERENCE.md §1). */
    static Map<String, int[]> expectedShapes(String cell, int layers, boolean bidirectional, boolean bias) {
        int d = bidirectional ? 2 : 1;
        int g = gates(cell);
        Map<String, int[]> shapes = new TreeMap<>();
        for (int layer = 0; layer < layers; layer++) {
            int in = layer == 0 ? N : d * H;
            for (int dir = 0; dir < d; dir++) {
                String suffix = "_l" + layer + (dir == 1 ? "_reverse" : "");
                shapes.put("weight_ih" + suffix, new int[] {g * H, in});
                shapes.put("weight_hh" + suffix, new int[] {g * H, H});
                if (bias) {
                    shapes.put("bias_ih" + suffix, new int[] {g * H});
                    shapes.put("bias_hh" + suffix, new int[] {g * H});
                }
            }
        }
        for (String p : new ArrayList<>(shapes.keySet())) {
            shapes.put("grad." + p, shapes.get(p));
        }
        int[] state = {d * layers, B, H};
        int[] seq = {T, B, N};
        int[] out = {T, B, d * H};
        shapes.put("input", seq);
        shapes.put("grad.input", seq);
        shapes.put("output", out);
        shapes.put("grad_output", out);
        for (String s : cell.equals("lstm") ? List.of("h", "c") : List.of("h")) {
            shapes.put(s + "0", state);
            shapes.put(s + "_n", state);
            shapes.put("grad_" + s + "_n", state);
            shapes.put("grad." + s + "0", state);
        }
        return shapes;
    }

    @ParameterizedTest
    @MethodSource("fixtureNames")
    void fixtureHoldsPyTorchNamesShapesAndMetadata(String file) throws IOException {
        String cell = CELLS.stream().filter(c -> file.startsWith(c + "_")).findFirst().orElseThrow();
        String stem = file.substring(cell.length() + 1, file.length() - "_f64.safetensors".length());
        int[] cfg = CONFIGS.get(stem);
        boolean f64 = file.endsWith("_f64.safetensors");
        try (SafetensorsReader r = SafetensorsReader.open(dir().resolve(file))) {
            Map<String, String> m = r.metadata();
            assertEquals("rnnlab-pytorch-fixture/1", m.get("format"));
            assertEquals(cell, m.get("cell"));
            assertEquals(String.valueOf(N), m.get("input_size"));
            assertEquals(String.valueOf(H), m.get("hidden_size"));
            assertEquals(String.valueOf(cfg[0]), m.get("num_layers"));
            assertEquals(cfg[1] == 1 ? "true" : "false", m.get("bidirectional"));
            assertEquals(cfg[2] == 1 ? "true" : "false", m.get("bias"));
            assertEquals(String.valueOf(T), m.get("seq_len"));
            assertEquals(String.valueOf(B), m.get("batch"));
            assertEquals(f64 ? "float64" : "float32", m.get("dtype"));
            assertTrue(m.get("torch_version").startsWith("1."), m.get("torch_version"));

            Map<String, int[]> expected = expectedShapes(cell, cfg[0], cfg[1] == 1, cfg[2] == 1);
            assertEquals(expected.keySet(), new TreeSet<>(r.names()));
            for (TensorInfo t : r.tensors()) {
                assertArrayEquals(expected.get(t.name()), t.intShape(), t::toString);
                assertEquals(f64 ? DType.F64 : DType.F32, t.dtype(), t::toString);
                for (double v : r.readDoubles(t.name())) {
                    assertTrue(Double.isFinite(v), t::toString);
                }
            }
            // the gradients carry information: not all zero
            for (String g : List.of("grad.input", "grad.h0", "grad.weight_ih_l0")) {
                double sum = 0;
                for (double v : r.readDoubles(g)) {
                    sum += Math.abs(v);
                }
                assertTrue(sum > 0, g + " is all zero");
            }
        }
    }

    /** Another implementation's files, rewritten by ours, come out identical (same dtype throughout: same order). */
    @ParameterizedTest
    @MethodSource("fixtureNames")
    void rewritingAFixtureGivesTheSameBytes(String file) throws IOException {
        Path path = dir().resolve(file);
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsReader r = SafetensorsReader.open(path)) {
            w.metadata(r.metadata());
            for (TensorInfo t : r.tensors()) {
                if (t.dtype() == DType.F64) {
                    w.add(t.name(), t.intShape(), r.readDoubles(t.name()));
                } else {
                    w.add(t.name(), t.intShape(), r.readFloats(t.name()));
                }
            }
        }
        assertArrayEquals(Files.readAllBytes(path), w.toBytes());
    }

    /** h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), computed here from the file's own tensors. */
    @Test
    void elmanTanhForwardMatchesTheFile() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(dir().resolve("rnn_tanh_l1_f64.safetensors"))) {
            double[] wih = r.readDoubles("weight_ih_l0"); // (H, N)
            double[] whh = r.readDoubles("weight_hh_l0"); // (H, H)
            double[] bih = r.readDoubles("bias_ih_l0");
            double[] bhh = r.readDoubles("bias_hh_l0");
            double[] x = r.readDoubles("input");          // (T, B, N)
            double[] h = r.readDoubles("h0");             // (1, B, H)
            double[] output = r.readDoubles("output");    // (T, B, H)
            double[] hn = r.readDoubles("h_n");
            for (int t = 0; t < T; t++) {
                double[] next = new double[B * H];
                for (int b = 0; b < B; b++) {
                    for (int j = 0; j < H; j++) {
                        double a = bih[j] + bhh[j];
                        for (int k = 0; k < N; k++) {
                            a += wih[j * N + k] * x[(t * B + b) * N + k];
                        }
                        for (int k = 0; k < H; k++) {
                            a += whh[j * H + k] * h[b * H + k];
                        }
                        next[b * H + j] = Math.tanh(a);
                        assertEquals(output[(t * B + b) * H + j], next[b * H + j], 1e-12, "t=" + t + " b=" + b + " j=" + j);
                    }
                }
                h = next;
            }
            assertArrayEquals(hn, h, 1e-12);
        }
    }

    /** PyTorch's float → float16/bfloat16 conversions of probing values agree with ours bit for bit. */
    @Test
    void halfPrecisionConversionsAgreeWithPyTorch() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(dir().resolve("dtypes.safetensors"))) {
            assertEquals("rnnlab-dtype-fixture/1", r.metadata().get("format"));
            float[] src = r.readFloats("f32_source");
            float[] f16 = r.readFloats("f16");
            float[] bf16 = r.readFloats("bf16");
            assertEquals(DType.F16, r.tensor("f16").dtype());
            assertEquals(DType.BF16, r.tensor("bf16").dtype());
            assertTrue(src.length > 500, "probe values");
            Map<String, Integer> checked = new HashMap<>();
            for (int i = 0; i < src.length; i++) {
                float ours16 = HalfFloats.f16ToFloat(HalfFloats.floatToF16(src[i]));
                float oursBf = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(src[i]));
                if (Float.isNaN(src[i])) {
                    assertTrue(Float.isNaN(f16[i]) && Float.isNaN(bf16[i]));
                    continue;
                }
                int at = i;
                assertEquals(Float.floatToRawIntBits(f16[i]), Float.floatToRawIntBits(ours16),
                        () -> "f16 of " + Float.toHexString(src[at]));
                assertEquals(Float.floatToRawIntBits(bf16[i]), Float.floatToRawIntBits(oursBf),
                        () -> "bf16 of " + Float.toHexString(src[at]));
                checked.merge(src[i] != f16[i] ? "f16 rounded" : "f16 exact", 1, Integer::sum);
            }
            assertTrue(checked.getOrDefault("f16 rounded", 0) > 100, checked::toString);

            assertArrayEquals(new int[] {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}, r.readInts("i32"));
            assertArrayEquals(new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE}, r.readLongs("i64"));
            assertArrayEquals(new double[] {0.0, -0.0, 1.0 / 3.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.POSITIVE_INFINITY},
                    r.readDoubles("f64"));
            assertEquals(0, r.tensor("scalar").rank());
            assertArrayEquals(new float[] {2.5f}, r.readFloats("scalar"));
            assertArrayEquals(new long[] {0, 3}, r.tensor("empty").shape());
            assertEquals(0, r.readFloats("empty").length);
            assertArrayEquals(new int[] {2, 3}, r.tensor("matrix").intShape());
            assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, r.readDoubles("matrix")); // row-major
        }
    }
}
