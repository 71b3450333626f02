package io.github.rnnlab.nn;

import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.fixture.ElmanTestCell;
import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Rng;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the stack over random shapes, including 0 and 1 steps, 0 and 1 rows, odd sizes and
 * sizes that are not multiples of the vector lane count, with random lengths (0 included).
 */
class RecurrentProperties {

    @Provide
    Arbitrary<CellProvider> cells() {
        return Arbitraries.of(ElmanTestCell.PROVIDER, LeakyTestCell.PROVIDER);
    }

    @Property(tries = 40)
    void batchedRunEqualsPerRowRunsAndGradientIsFinite(@ForAll("cells") CellProvider cell, @ForAll Directions dirs,
                                                       @ForAll @IntRange(min = 0, max = 7) int steps, @ForAll @IntRange(min = 0, max = 5) int batch,
                                                       @ForAll @IntRange(min = 1, max = 19) int in, @ForAll @IntRange(min = 1, max = 17) int hidden,
                                                       @ForAll @IntRange(min = 1, max = 3) int layers, @ForAll long seed) {
        Rng r = new Rng(seed);
        Parameters<double[]> p = new Parameters<>(F64Ops.INSTANCE);
        Recurrent<double[]> rnn = new Recurrent<>(p, "", cell, new RecurrentConfig(in, hidden, layers, dirs, 0, Map.of()));
        p.allocate();
        p.initialize(r);
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = r.nextInt(steps + 1);
        }
        int w = rnn.outputSize(), s = rnn.stateSize(), sl = rnn.stateLength(batch), k = layers * rnn.directions();
        double[] x = new double[steps * batch * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.uniform(-2, 2);
        }
        double[] h0 = new double[sl];
        for (int i = 0; i < sl; i++) {
            h0[i] = r.uniform(-1, 1);
        }
        Mask mask = Mask.ofLengths(steps, lengths);
        rnn.forward(Pass.training(seed), steps, batch, Slice.of(x), mask, Slice.of(h0));
        double[] out = Arrays.copyOf(rnn.output(), steps * batch * w);
        double[] hn = Arrays.copyOf(rnn.finalState(), sl);
        double[] dOut = new double[out.length];
        for (int i = 0; i < dOut.length; i++) {
            dOut[i] = r.uniform(-1, 1);
        }
        p.zeroGradients();
        rnn.backward(Slice.of(dOut), Slice.of(hn), true, true);
        double[] dx = Arrays.copyOf(rnn.inputGradient(), x.length);
        for (double v : p.gradients()) {
            assertTrue(Double.isFinite(v));
        }
        for (int b = 0; b < batch; b++) {
            int len = lengths[b];
            double[] xb = new double[len * in];
            for (int t = 0; t < len; t++) {
                System.arraycopy(x, (t * batch + b) * in, xb, t * in, in);
            }
            double[] h0b = new double[k * s];
            for (int j = 0; j < k; j++) {
                System.arraycopy(h0, (j * batch + b) * s, h0b, j * s, s);
            }
            rnn.forward(Pass.inference(), len, 1, Slice.of(xb), null, Slice.of(h0b));
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < w; j++) {
                    double expected = t < len ? rnn.output()[t * w + j] : 0.0;
                    assertEquals(expected, out[(t * batch + b) * w + j], 1e-12);
                }
                if (t >= len) {
                    for (int j = 0; j < in; j++) {
                        assertEquals(0.0, dx[(t * batch + b) * in + j], 0.0, "input gradient at a padded step");
                    }
                }
            }
            for (int j = 0; j < k; j++) {
                for (int e = 0; e < s; e++) {
                    assertEquals(rnn.finalState()[j * s + e], hn[(j * batch + b) * s + e], 1e-12);
                }
            }
        }
    }

    @Property(tries = 200)
    void reversalIsAnInvolutionThatKeepsPaddingInPlace(@ForAll @IntRange(min = 0, max = 9) int steps, @ForAll @IntRange(min = 0, max = 6) int batch,
                                                       @ForAll long seed) {
        Rng r = new Rng(seed);
        float[] v = new float[steps * batch];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(3) == 0 ? 0f : 1f;
        }
        Mask m = Mask.of(steps, batch, v);
        int count = 0;
        for (int b = 0; b < batch; b++) {
            int last = -1;
            for (int t = 0; t < steps; t++) {
                int u = m.reversedStep(t, b);
                assertEquals(t, m.reversedStep(u, b));
                assertEquals(m.valid(t, b), m.valid(u, b));
                if (!m.valid(t, b)) {
                    assertEquals(t, u);
                } else {
                    count++;
                    last = t;
                }
            }
            assertEquals(last, m.lastValid(b));
        }
        assertEquals(count, m.validCount());
    }
}
