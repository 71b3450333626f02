package io.github.rnnlab.nn;

import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.fixture.ElmanTestCell;
import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stack without bias ({@link RecurrentConfig#bias()} false, PyTorch's bias=False) is exactly a stack whose
 * bias blocks are zero and stay zero: same outputs, final states and gradients (bit for bit) as the stack with
 * bias whose biases are set to 0, with the bias gradients cleared, for every cell (the blocks are found by role).
 */
class AbsentBiasTest {

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (CellProvider cell : List.of(ElmanTestCell.PROVIDER, LeakyTestCell.PROVIDER)) {
            for (Directions d : Directions.values()) {
                a.add(Arguments.of(cell, d));
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void withoutBiasIsWithZeroBiasInBothPrecisions(CellProvider cell, Directions dirs) {
        check(F64Ops.INSTANCE, cell, dirs);
        check(F32Ops.standard(), cell, dirs);
    }

    private static <A> void check(Ops<A> ops, CellProvider cell, Directions dirs) {
        RecurrentConfig rc = new RecurrentConfig(3, 4, 2, dirs, 0, Map.of());
        Parameters<A> withBias = new Parameters<>(ops);
        Recurrent<A> a = new Recurrent<>(withBias, "rnn.", cell, rc);
        withBias.allocate().initialize(new Rng(7));
        Parameters<A> without = new Parameters<>(ops);
        Recurrent<A> b = new Recurrent<>(without, "rnn.", cell, rc.withBias(false));
        without.allocate().initialize(new Rng(7));

        int absent = 0;
        for (Parameters.Block blk : without.blocks()) {
            boolean bias = blk.role() == Role.INPUT_BIAS || blk.role() == Role.RECURRENT_BIAS;
            assertEquals(bias, blk.absent(), blk.name());
            if (bias) {
                absent++;
                assertArrayEquals(new double[blk.size()], without.get(blk.name()), "initialised to 0: " + blk.name());
                withBias.set(blk.name(), new double[blk.size()]);
            } else {
                // the generator is split for absent blocks too, so the weights are those of the model with bias
                assertArrayEquals(withBias.get(blk.name()), without.get(blk.name()), blk.name());
            }
        }
        assertEquals(2 * 2 * dirs.count(), absent);
        assertTrue(without.hasAbsentBlocks());
        assertFalse(withBias.hasAbsentBlocks());

        int steps = 5, batch = 3;
        Rng rng = new Rng(3);
        A x = random(ops, steps * batch * 3, rng);
        A h0 = random(ops, a.stateLength(batch), rng);
        A dy = random(ops, steps * batch * a.outputSize(), rng);
        A dh = random(ops, a.stateLength(batch), rng);
        Mask mask = Mask.ofLengths(steps, new int[]{5, 2, 4});
        for (Recurrent<A> r : List.of(a, b)) {
            r.forward(Pass.training(1), steps, batch, Slice.of(x), mask, Slice.of(h0));
            r.backward(Slice.of(dy), Slice.of(dh), true, true);
        }
        int n = steps * batch * a.outputSize();
        assertArrayEquals(doubles(ops, a.output(), n), doubles(ops, b.output(), n), "output");
        assertArrayEquals(doubles(ops, a.finalState(), a.stateLength(batch)), doubles(ops, b.finalState(), b.stateLength(batch)), "final state");
        assertArrayEquals(doubles(ops, a.inputGradient(), steps * batch * 3), doubles(ops, b.inputGradient(), steps * batch * 3), "input gradient");
        assertArrayEquals(doubles(ops, a.initialStateGradient(), a.stateLength(batch)),
                doubles(ops, b.initialStateGradient(), b.stateLength(batch)), "initial state gradient");
        boolean someBiasGradient = false;
        for (Parameters.Block blk : without.blocks()) {
            if (blk.absent()) {
                assertArrayEquals(new double[blk.size()], without.gradient(blk.name()), "cleared: " + blk.name());
                someBiasGradient |= java.util.Arrays.stream(withBias.gradient(blk.name())).anyMatch(v -> v != 0);
            } else {
                assertArrayEquals(withBias.gradient(blk.name()), without.gradient(blk.name()), blk.name());
            }
        }
        assertTrue(someBiasGradient, "the model with (zero) bias does get bias gradients: the clearing is what removes them");
    }

    @Test
    void absentBlocksRefuseValuesAndInitializers() {
        Parameters<double[]> p = new Parameters<>(F64Ops.INSTANCE);
        new Recurrent<>(p, "", ElmanTestCell.PROVIDER, new RecurrentConfig(2, 3).withBias(false));
        p.allocate();
        p.set("bias_ih_l0", new double[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.set("bias_ih_l0", new double[]{0, 1, 0}));
        assertEquals("parameter bias_ih_l0 is absent from the model (bias=False) and must stay 0; got 1.0 at index 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.initialize(new Rng(1), Map.of("bias_hh_l0", (v, s, r) -> { })));
        p.initialize(new Rng(1), Map.of("weight_hh_l0", (v, s, r) -> java.util.Arrays.fill(v, 0.5)));
        assertArrayEquals(new double[]{0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, p.get("weight_hh_l0"));

        Parameters<double[]> q = new Parameters<>(F64Ops.INSTANCE);
        new Recurrent<>(q, "", ElmanTestCell.PROVIDER, new RecurrentConfig(2, 3));
        q.allocate();
        assertThrows(IllegalArgumentException.class, () -> q.copyFrom(p));
        assertEquals(new RecurrentConfig(2, 3, 1, Directions.FORWARD, 0, Map.of(), true), new RecurrentConfig(2, 3));
        assertFalse(new RecurrentConfig(2, 3).withBias(false).withLayers(2).withDropout(0.1).withOption("a", "b").bias());
    }

    private static <A> A random(Ops<A> ops, int n, Rng rng) {
        A a = ops.allocate(n);
        for (int i = 0; i < n; i++) {
            ops.set(a, i, rng.uniform(-1, 1));
        }
        return a;
    }

    private static <A> double[] doubles(Ops<A> ops, A a, int n) {
        double[] d = new double[n];
        ops.toDoubles(n, a, 0, d, 0);
        return d;
    }
}
