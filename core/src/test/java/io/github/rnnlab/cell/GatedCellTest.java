package io.github.rnnlab.cell;

import io.github.rnnlab.init.Initializers;
import io.github.rnnlab.numeric.F64Ops;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The base's own checks; its numerics are covered by the plugin TCK on every built-in cell. */
class GatedCellTest {

    @Test
    void standardParametersArePyTorchsFour() {
        List<ParameterSpec> p = GatedCell.standardParameters(3);
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), p.stream().map(ParameterSpec::name).toList());
        assertEquals("(3H, in)", p.get(0).shapeSymbol());
        assertEquals("(3H, H)", p.get(1).shapeSymbol());
        assertEquals(List.of(Role.INPUT_WEIGHT, Role.RECURRENT_WEIGHT, Role.INPUT_BIAS, Role.RECURRENT_BIAS),
                p.stream().map(ParameterSpec::role).toList());
    }

    @Test
    void aProviderWithTheWrongShapesIsRejected() {
        List<ParameterSpec> wrong = List.of(
                new ParameterSpec("weight_ih", Role.INPUT_WEIGHT, List.of(Dim.hidden(2), Dim.INPUT), Initializers.zeros()),
                new ParameterSpec("weight_hh", Role.RECURRENT_WEIGHT, List.of(Dim.hidden(2), Dim.INPUT), Initializers.zeros()),
                new ParameterSpec("bias_ih", Role.INPUT_BIAS, List.of(Dim.hidden(2)), Initializers.zeros()),
                new ParameterSpec("bias_hh", Role.RECURRENT_BIAS, List.of(Dim.hidden(2)), Initializers.zeros()));
        var e = assertThrows(IllegalArgumentException.class, () -> new ProbeProvider(wrong).create(new CellConfig(3, 4)));
        assertEquals("parameter weight_hh of gated cell probe: expected shape [8, 4], got [8, 3]", e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class,
                () -> new ProbeProvider(GatedCell.standardParameters(2).subList(0, 3)).create(new CellConfig(3, 4)));
        assertEquals("a gated cell needs parameter bias_hh; probe has [weight_ih, weight_hh, bias_ih]", missing.getMessage());
    }

    @Test
    void wrongInputSizeSaysExpectedAndGot() {
        Cell cell = new ProbeProvider().create(new CellConfig(3, 4));
        Chunk<double[]> c = new Chunk<>(2, 1, 5, Slice.of(new double[10]), null, Slice.of(new double[cell.layout().parameterCount()]),
                Slice.of(new double[4]), Slice.of(new double[8]), Slice.of(new double[4]), null, Slice.of(new double[1000]));
        var e = assertThrows(io.github.rnnlab.ShapeException.class, () -> cell.forward(F64Ops.INSTANCE, c));
        assertEquals("input size of cell probe: expected 3, got 5", e.getMessage());
    }

    @Test
    void sizesFollowTheLayout() {
        Cell cell = new ProbeProvider().create(new CellConfig(3, 4));
        // states of every step plus the initial one, then 2H of tape per step and row
        assertEquals(6L * 2 * 4 + 5L * 2 * 8, cell.tapeSize(5, 2));
        assertEquals(0, cell.workspaceSize(0, 2));
        // forward: projections T·B·G·H + 2 state rows + one step of row tape + the bias row + W_hhᵀ and
        // W_ihᵀ packed (H × G·H and in × G·H, columns padded to whole slivers); backward: projections + 2
        // state rows + the bias-gradient row + W_hh packed (G·H × H, padded), a region that then holds
        // the transposed weight gradients (max(in, H) × G·H)
        long forward = 3 * 8 * 8 + 2 * 8 * 4 + 8 * 8 + 8 + io.github.rnnlab.kernel.PackedGemm.packedSize(4, 8)
                + io.github.rnnlab.kernel.PackedGemm.packedSize(3, 8);
        long backward = 3 * 8 * 8 + 2 * 8 * 4 + 8 + Math.max(io.github.rnnlab.kernel.PackedGemm.packedSize(8, 4), 4 * 8);
        assertEquals(Math.max(forward, backward), cell.workspaceSize(3, 8));
        // one step packs nothing
        assertEquals(Math.max(8 * 8 + 2 * 8 * 4 + 8 * 8 + 8, 8 * 8 + 2 * 8 * 4 + 8 + 4 * 8), cell.workspaceSize(1, 8));
    }

    /** A probe that records how many rows each forwardRows call got (one call per share of a step). */
    static final class ShareProbe extends ProbeProvider {
        final java.util.Queue<Integer> rowsPerCall = new java.util.concurrent.ConcurrentLinkedQueue<>();

        @Override
        public Cell create(CellConfig config) {
            ShareProbe owner = this;
            return new ProbeProvider.Probe(this, config) {
                @Override
                protected <A> void forwardRows(io.github.rnnlab.numeric.Ops<A> ops, int rows, A xp, int xpOff, A hp, int hpOff,
                                               A state, int prevOff, int nextOff, A tape, int tapeOff) {
                    owner.rowsPerCall.add(rows);
                    super.forwardRows(ops, rows, xp, xpOff, hp, hpOff, state, prevOff, nextOff, tape, tapeOff);
                }
            };
        }
    }

    @Test
    void theRowsOfAStepAreSplitAcrossTheTeamWithTheSameResult() {
        ShareProbe p = new ShareProbe();
        Cell cell = p.create(new CellConfig(5, 64));
        int t = 3, b = 8, s = 64;
        float[] x = new float[t * b * 5], params = new float[cell.layout().parameterCount()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (0.1 * Math.cos(i));
        }
        float[][] outs = new float[2][];
        for (int run = 0; run < 2; run++) {
            float[] out = new float[t * b * s];
            try (io.github.rnnlab.kernel.WorkerTeam team = new io.github.rnnlab.kernel.WorkerTeam(run == 0 ? 1 : 2)) {
                cell.forward(io.github.rnnlab.numeric.F32Ops.with(team), new Chunk<>(t, b, 5, Slice.of(x), null,
                        Slice.of(params), Slice.of(new float[b * s]), Slice.of(out), Slice.of(new float[b * s]),
                        Slice.of(new float[(int) cell.tapeSize(t, b)]), Slice.of(new float[(int) cell.workspaceSize(t, b)])));
            }
            outs[run] = out;
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(outs[0], outs[1], 1e-6f, "2 threads vs 1");
        // The team decides which thread runs a share (the caller takes unclaimed ones), so what is
        // asserted is the split itself: with 2 members each step's 8 rows arrive as shares of 4.
        org.junit.jupiter.api.Assertions.assertTrue(p.rowsPerCall.contains(b / 2), "rows per call: " + p.rowsPerCall);
    }
}
