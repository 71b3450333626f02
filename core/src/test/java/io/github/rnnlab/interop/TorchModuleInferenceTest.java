package io.github.rnnlab.interop;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellLayout;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Chunk;
import io.github.rnnlab.cell.ChunkGradients;
import io.github.rnnlab.cell.Dim;
import io.github.rnnlab.cell.OptionSpec;
import io.github.rnnlab.cell.ParameterSpec;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.cell.StateSpec;
import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.init.Initializers;
import io.github.rnnlab.interop.StateDictException.Problem;
import io.github.rnnlab.io.DType;
import io.github.rnnlab.io.SafetensorsReader;
import io.github.rnnlab.io.SafetensorsWriter;
import io.github.rnnlab.io.TensorInfo;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Rng;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inference is generic over the provider's {@link ParameterSpec}s: a cell whose blocks are not PyTorch's four
 * (here a layout-only stand-in shaped like the SSM of the reference, without {@code weight_hh}, with an option
 * in a shape) is inferred from its names and shapes, and its state_dict round-trips.
 */
class TorchModuleInferenceTest {

    /**
     * Parameters {@code weight_u (H, in)}, {@code bias_u (H)}, {@code A_log (H, N)}, {@code D (H)}, state {@code h}
     * (H·N), N = option {@code state_size} (default 16). Only its layout is used here: running it fails.
     */
    static class ScanLayout implements CellProvider {
        private static final Dim N = Dim.option("state_size", "N");

        @Override
        public String id() {
            return "scan_layout";
        }

        @Override
        public String version() {
            return "0.0.1";
        }

        @Override
        public String description() {
            return "test double: the layout of a selective scan, no math";
        }

        @Override
        public int gateCount() {
            return 0;
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(
                    new ParameterSpec("weight_u", Role.INPUT_WEIGHT, List.of(Dim.HIDDEN, Dim.INPUT), Initializers.uniform(0.1)),
                    new ParameterSpec("bias_u", Role.INPUT_BIAS, List.of(Dim.HIDDEN), Initializers.uniform(0.1)),
                    new ParameterSpec("A_log", Role.OTHER, List.of(Dim.HIDDEN, N), Initializers.uniform(0.1)),
                    new ParameterSpec("D", Role.OTHER, List.of(Dim.HIDDEN), Initializers.uniform(0.1)));
        }

        @Override
        public List<StateSpec> states() {
            return List.of(new StateSpec("h", Dim.HIDDEN.times(N)));
        }

        @Override
        public List<OptionSpec> options() {
            return List.of(new OptionSpec("state_size", "16", "N"));
        }

        @Override
        public Cell create(CellConfig config) {
            CellConfig full = config.withDefaults(options());
            CellLayout layout = CellLayout.of(this, full);
            return new Cell() {
                @Override
                public String id() {
                    return "scan_layout";
                }

                @Override
                public CellConfig config() {
                    return full;
                }

                @Override
                public CellLayout layout() {
                    return layout;
                }

                @Override
                public long tapeSize(int steps, int batch) {
                    return 0;
                }

                @Override
                public long workspaceSize(int steps, int batch) {
                    return 0;
                }

                @Override
                public <A> void forward(Ops<A> ops, Chunk<A> chunk) {
                    throw new UnsupportedOperationException("layout-only test double");
                }

                @Override
                public <A> void backward(Ops<A> ops, Chunk<A> chunk, ChunkGradients<A> grads) {
                    throw new UnsupportedOperationException("layout-only test double");
                }
            };
        }
    }

    private static final ScanLayout SCAN = new ScanLayout();

    private static List<TensorInfo> tensors(Map<String, int[]> shapes) {
        List<TensorInfo> out = new ArrayList<>();
        long at = 0;
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            long n = 1;
            long[] s = new long[e.getValue().length];
            for (int i = 0; i < s.length; i++) {
                s[i] = e.getValue()[i];
                n *= s[i];
            }
            out.add(new TensorInfo(e.getKey(), DType.F32, s, at, at + 4 * n));
            at += 4 * n;
        }
        return out;
    }

    @Test
    void aCellWithoutWeightHhIsSolvedFromItsOwnShapes() {
        TorchModule m = new TorchModule(SCAN, new RecurrentConfig(5, 3, 2, Directions.BIDIRECTIONAL_CONCAT, 0, Map.of("state_size", "4")));
        Map<String, int[]> shapes = m.tensorShapes();
        assertArrayEquals(new int[]{3, 6}, shapes.get("weight_u_l1_reverse"), "layer 1 reads [fwd ; bwd]");
        assertArrayEquals(new int[]{3, 4}, shapes.get("A_log_l0"));
        TorchModule inferred = TorchModule.infer(tensors(shapes), Map.of("option.state_size", "4"), SCAN);
        assertEquals(m, inferred);
        // without the option, the default N = 16 does not fit A_log
        StateDictException e = assertThrows(StateDictException.class, () -> TorchModule.infer(tensors(shapes), Map.of(), SCAN));
        assertEquals("A_log_l0: expected shape [3, 16], got [3, 4]", e.getMessage());
    }

    @Test
    void withoutBiasTheBiasRoleBlocksAreLeftOut() {
        TorchModule m = new TorchModule(SCAN, new RecurrentConfig(5, 3, 1, Directions.FORWARD, 0, Map.of(), false));
        assertEquals(List.of("weight_u_l0", "A_log_l0", "D_l0"), new ArrayList<>(m.tensorShapes().keySet()));
        assertEquals(m.config().withOption("state_size", "16"),
                TorchModule.infer(tensors(m.tensorShapes()), Map.of("option.state_size", "16"), SCAN).config());
    }

    @Test
    void sizesTheTensorsCannotTellComeFromTheMetadata() {
        // a cell whose every dimension is an option: the hidden size cannot be solved
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("weight_ih_l0", new int[]{2, 3});
        CellProvider odd = new ScanLayout() {
            @Override
            public List<ParameterSpec> parameters() {
                return List.of(new ParameterSpec("weight_ih", Role.INPUT_WEIGHT, List.of(Dim.option("rows", "R"), Dim.INPUT),
                        Initializers.zeros()));
            }

            @Override
            public List<OptionSpec> options() {
                return List.of(new OptionSpec("rows", "2", "rows"));
            }
        };
        StateDictException e = assertThrows(StateDictException.class, () -> TorchModule.infer(tensors(shapes), Map.of(), odd));
        assertEquals(Problem.METADATA, e.problem());
        assertEquals("hidden_size: the tensors of cell scan_layout do not determine it; expected __metadata__ hidden_size, got none", e.getMessage());
        StateDictException bad = assertThrows(StateDictException.class, () -> TorchModule.infer(tensors(shapes), Map.of("hidden_size", "x"), odd));
        assertEquals("metadata hidden_size: expected a positive integer, got \"x\"", bad.getMessage());
    }

    @Test
    void stateDictsOfAnyCellRoundTripInBothPrecisions() throws IOException {
        TorchModule m = new TorchModule(LeakyTestCell.PROVIDER, new RecurrentConfig(3, 5, 2, Directions.BIDIRECTIONAL_SUM, 0, Map.of(), false));
        TorchRecurrent<double[]> a = TorchRecurrent.initialized(F64Ops.INSTANCE, m, new Rng(4));
        byte[] bytes = a.writer(DType.F64).toBytes();
        try (SafetensorsReader r = SafetensorsReader.of(bytes)) {
            assertEquals("test_leaky", r.metadata().get("cell"));
            assertEquals("bidirectional_sum", r.metadata().get("directions"));
            TorchRecurrent<double[]> b = TorchRecurrent.read(r, F64Ops.INSTANCE, LeakyTestCell.PROVIDER);
            assertEquals(m, b.module());
            assertArrayEquals(a.parameters().values(), b.parameters().values());
            TorchRecurrent<float[]> c = TorchRecurrent.read(r, F32Ops.standard(), LeakyTestCell.PROVIDER);
            for (int i = 0; i < a.parameters().size(); i++) {
                assertEquals((float) a.parameters().values()[i], c.parameters().values()[i]);
            }
        }
        // float32 parameters stored as F64, read back as float32: unchanged
        TorchRecurrent<float[]> f = TorchRecurrent.initialized(F32Ops.standard(), m, new Rng(5));
        SafetensorsWriter w = f.writer(DType.F64);
        try (SafetensorsReader r = SafetensorsReader.of(w.toBytes())) {
            assertEquals(DType.F64, r.tensors().get(0).dtype());
            assertArrayEquals(f.parameters().values(), TorchRecurrent.read(r, F32Ops.standard(), LeakyTestCell.PROVIDER).parameters().values());
        }
        assertTrue(f.parameters().hasAbsentBlocks());
    }
}
