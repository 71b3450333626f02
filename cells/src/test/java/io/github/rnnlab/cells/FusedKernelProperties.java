package io.github.rnnlab.cells;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused float32 gate kernels ({@link LstmKernels}, {@link GruKernels}, {@link ElmanKernels}): each
 * Vector API kernel against its scalar twin, on hidden sizes around the lane count (16) and rows,
 * offsets and values (pre-activations up to ±12, some at ±100 and ±1e30) that reach the clamps.
 * Every written element must agree within {@link #TOLERANCE}·(1 + |scalar|) (the activations' error
 * bound of {@link GateMath}, carried through a few products), and nothing outside the written regions
 * may change (every buffer starts as a canary value). The scalar twins are in turn checked against a
 * float64 evaluation of the cell equations.
 */
class FusedKernelProperties {

    /** Absolute (and, above 1, relative) agreement of SIMD and scalar: a few times GateMath's 4·10⁻⁷. */
    static final double TOLERANCE = 3e-6;
    private static final float CANARY = -12345f;

    record Shape(int hidden, int rows, int off, long seed) {
    }

    @Provide
    Arbitrary<Shape> shapes() {
        Arbitrary<Integer> hidden = Arbitraries.oneOf(Arbitraries.of(0, 1, 2, 7, 15, 16, 17, 31, 32, 33, 48, 64),
                Arbitraries.integers().between(0, 70));
        return Combinators.combine(hidden, Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 9),
                Arbitraries.longs()).as(Shape::new);
    }

    /**
     * A buffer of {@code off + n + 5} canaries with {@code n} values from {@code off}, uniform in
     * ±scale, a few of them ±100 or ±1e30 (pre-activations, which the activations clamp).
     */
    static float[] values(int off, int n, double scale, SplittableRandom r) {
        float[] x = new float[off + n + 5];
        Arrays.fill(x, CANARY);
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            x[off + i] = (float) (u < 0.03 ? (r.nextBoolean() ? 100 : -100) : u < 0.05 ? (r.nextBoolean() ? 1e30 : -1e30)
                    : (2 * r.nextDouble() - 1) * scale);
        }
        return x;
    }

    /** As {@link #values} without the extremes (states, tapes and gradients of the backward kernels). */
    static float[] moderate(int off, int n, double scale, SplittableRandom r) {
        float[] x = new float[off + n + 5];
        Arrays.fill(x, CANARY);
        for (int i = 0; i < n; i++) {
            x[off + i] = (float) ((2 * r.nextDouble() - 1) * scale);
        }
        return x;
    }

    static float[] canaries(int off, int n) {
        float[] x = new float[off + n + 5];
        Arrays.fill(x, CANARY);
        return x;
    }

    /** {@code simd} and {@code scalar} agree inside [off, off + n) and both kept the canaries outside. */
    static void assertAgree(String what, float[] simd, float[] scalar, int off, int n, Shape s) {
        for (int i = 0; i < simd.length; i++) {
            if (i < off || i >= off + n) {
                assertEquals(CANARY, simd[i], what + " simd wrote outside its region at " + i + ", " + s);
                assertEquals(CANARY, scalar[i], what + " scalar wrote outside its region at " + i + ", " + s);
            } else {
                double d = Math.abs(simd[i] - scalar[i]);
                int at = i;
                assertTrue(d <= TOLERANCE * (1 + Math.abs(scalar[i])) || Float.compare(simd[i], scalar[i]) == 0,
                        () -> what + "[" + (at - off) + "]: simd " + simd[at] + " vs scalar " + scalar[at] + ", " + s);
            }
        }
    }

    @Property(tries = 300)
    void lstmForward(@ForAll("shapes") Shape s) {
        SplittableRandom r = new SplittableRandom(s.seed());
        int h = s.hidden(), b = s.rows(), o = s.off();
        float[] pre = values(o, b * 4 * h, 12, r);
        float[] state = moderate(o, b * 2 * h * 2, 3, r); // rows' previous states, then room for the next
        for (int i = o + b * 2 * h; i < o + b * 4 * h; i++) {
            state[i] = CANARY;
        }
        float[] stateS = state.clone(), preS = pre.clone();
        float[] tape = canaries(o, b * 5 * h), tapeS = tape.clone();
        LstmKernels.forwardSimd(h, b, pre, o, state, o, o + b * 2 * h, tape, o);
        LstmKernels.forwardScalar(h, b, preS, o, stateS, o, o + b * 2 * h, tapeS, o);
        assertEquals(Arrays.toString(preS), Arrays.toString(pre), "pre-activations modified");
        assertAgree("tape", tape, tapeS, o, b * 5 * h, s);
        assertAgree("state", state, stateS, o, b * 4 * h, s);
    }

    @Property(tries = 300)
    void lstmBackward(@ForAll("shapes") Shape s) {
        SplittableRandom r = new SplittableRandom(s.seed());
        int h = s.hidden(), b = s.rows(), o = s.off();
        float[] state = moderate(o, b * 2 * h, 3, r), tape = moderate(o, b * 5 * h, 1, r), dNext = moderate(o, b * 2 * h, 2, r);
        float[] dPre = canaries(o, b * 4 * h), dPreS = dPre.clone(), dPrev = canaries(o, b * 2 * h), dPrevS = dPrev.clone();
        LstmKernels.backwardSimd(h, b, state, o, tape, o, dNext, o, dPre, o, dPrev, o);
        LstmKernels.backwardScalar(h, b, state, o, tape, o, dNext, o, dPreS, o, dPrevS, o);
        assertAgree("dPre", dPre, dPreS, o, b * 4 * h, s);
        assertAgree("dPrev", dPrev, dPrevS, o, b * 2 * h, s);
    }

    @Property(tries = 300)
    void gruForward(@ForAll("shapes") Shape s) {
        SplittableRandom r = new SplittableRandom(s.seed());
        int h = s.hidden(), b = s.rows(), o = s.off();
        // extremes only in the r and z blocks: n = tanh(xp_n + r ⊙ hn) carries r's error times |hn|, so
        // the n blocks stay within ±4 (r within 3·10⁻⁷ gives n within the tolerance)
        float[] xp = values(o, b * 3 * h, 8, r), hp = values(o + 1, b * 3 * h, 8, r);
        for (int row = 0; row < b; row++) {
            for (int j = 2 * h; j < 3 * h; j++) {
                xp[o + row * 3 * h + j] = (float) (8 * r.nextDouble() - 4);
                hp[o + 1 + row * 3 * h + j] = (float) (8 * r.nextDouble() - 4);
            }
        }
        float[] tape = canaries(o, b * 4 * h), tapeS = tape.clone();
        // one array with the previous states, then room for the next ones
        float[] both = moderate(o, 2 * b * h, 2, r);
        for (int i = o + b * h; i < o + 2 * b * h; i++) {
            both[i] = CANARY;
        }
        float[] bothS = both.clone();
        GruKernels.forwardSimd(h, b, xp, o, hp, o + 1, both, o, o + b * h, tape, o);
        GruKernels.forwardScalar(h, b, xp, o, hp, o + 1, bothS, o, o + b * h, tapeS, o);
        assertAgree("tape", tape, tapeS, o, b * 4 * h, s);
        assertAgree("state", both, bothS, o, 2 * b * h, s);
    }

    @Property(tries = 300)
    void gruBackward(@ForAll("shapes") Shape s) {
        SplittableRandom r = new SplittableRandom(s.seed());
        int h = s.hidden(), b = s.rows(), o = s.off();
        float[] state = moderate(o, b * h, 2, r), tape = moderate(o, b * 4 * h, 1, r), dNext = moderate(o, b * h, 2, r);
        float[] dxp = canaries(o, b * 3 * h), dxpS = dxp.clone(), dhp = canaries(o, b * 3 * h), dhpS = dhp.clone();
        float[] dPrev = canaries(o, b * h), dPrevS = dPrev.clone();
        GruKernels.backwardSimd(h, b, state, o, tape, o, dNext, o, dxp, o, dhp, o, dPrev, o);
        GruKernels.backwardScalar(h, b, state, o, tape, o, dNext, o, dxpS, o, dhpS, o, dPrevS, o);
        assertAgree("dxp", dxp, dxpS, o, b * 3 * h, s);
        assertAgree("dhp", dhp, dhpS, o, b * 3 * h, s);
        assertAgree("dPrev", dPrev, dPrevS, o, b * h, s);
    }

    @Property(tries = 300)
    void elman(@ForAll("shapes") Shape s, @ForAll boolean tanh) {
        SplittableRandom r = new SplittableRandom(s.seed());
        int h = s.hidden(), b = s.rows(), o = s.off();
        float[] pre = values(o, b * h, 8, r);
        float[] out = canaries(o, b * h), outS = out.clone();
        ElmanKernels.forwardSimd(tanh, h, b, pre, o, out, o);
        ElmanKernels.forwardScalar(tanh, h, b, pre, o, outS, o);
        assertAgree("h", out, outS, o, b * h, s);
        float[] dNext = moderate(o, b * h, 2, r);
        float[] dPre = canaries(o, b * h), dPreS = dPre.clone(), dPrev = canaries(o, b * h), dPrevS = dPrev.clone();
        ElmanKernels.backwardSimd(tanh, h, b, outS, o, dNext, o, dPre, o, dPrev, o);
        ElmanKernels.backwardScalar(tanh, h, b, outS, o, dNext, o, dPreS, o, dPrevS, o);
        assertAgree("dPre", dPre, dPreS, o, b * h, s);
        assertAgree("dPrev", dPrev, dPrevS, o, b * h, s);
    }

    /**
     * The units variants (a team member's hidden units [u0, u1) of every row): the scalar twin writes
     * exactly what the whole-row scalar twin writes for those units and nothing for the others; the
     * SIMD variant agrees with it within the tolerance.
     */
    @Property(tries = 200)
    void unitRangesComputeExactlyTheirUnits(@ForAll("shapes") Shape s, @ForAll("cells") String cell) {
        SplittableRandom r = new SplittableRandom(s.seed());
        int h = s.hidden(), b = s.rows();
        int u0 = h == 0 ? 0 : r.nextInt(h + 1), u1 = u0 + (h == u0 ? 0 : r.nextInt(h - u0 + 1)), w = u1 - u0;
        int gates = cell.equals("lstm") ? 4 : cell.equals("gru") ? 3 : 1;
        int stateBlocks = cell.equals("lstm") ? 2 : 1, tapeBlocks = cell.equals("lstm") ? 5 : cell.equals("gru") ? 4 : 0;
        float[] xp = moderate(0, b * gates * h, 6, r), hp = moderate(0, b * gates * h, 6, r);
        float[] prev = moderate(0, b * stateBlocks * h, 2, r);
        float[] dNext = moderate(0, b * stateBlocks * h, 2, r);
        // forward: whole rows (scalar) as the reference; units by the scalar and the SIMD variant
        float[][] whole = forwardAll(cell, h, h, b, 0, xp, hp, prev, tapeBlocks, stateBlocks, true);
        float[][] scalar = forwardAll(cell, h, w, b, u0, xp, hp, prev, tapeBlocks, stateBlocks, true);
        float[][] simd = forwardAll(cell, h, w, b, u0, xp, hp, prev, tapeBlocks, stateBlocks, false);
        for (int k = 0; k < whole.length; k++) {
            for (int i = 0; i < whole[k].length; i++) {
                boolean mine = h > 0 && i % h >= u0 && i % h < u1;
                String what = cell + " forward part " + k + "[" + i + "] units [" + u0 + ", " + u1 + "), " + s;
                if (mine) {
                    assertEquals(whole[k][i], scalar[k][i], what);
                    assertTrue(Math.abs(simd[k][i] - scalar[k][i]) <= TOLERANCE * (1 + Math.abs(scalar[k][i])), what);
                } else {
                    assertEquals(CANARY, scalar[k][i], what);
                    assertEquals(CANARY, simd[k][i], what);
                }
            }
        }
        // backward from the whole-row forward's tape and states
        float[][] wholeB = backwardAll(cell, h, h, b, 0, whole, prev, dNext, gates, stateBlocks, true);
        float[][] scalarB = backwardAll(cell, h, w, b, u0, whole, prev, dNext, gates, stateBlocks, true);
        float[][] simdB = backwardAll(cell, h, w, b, u0, whole, prev, dNext, gates, stateBlocks, false);
        for (int k = 0; k < wholeB.length; k++) {
            for (int i = 0; i < wholeB[k].length; i++) {
                boolean mine = h > 0 && i % h >= u0 && i % h < u1;
                String what = cell + " backward part " + k + "[" + i + "] units [" + u0 + ", " + u1 + "), " + s;
                if (mine) {
                    assertEquals(wholeB[k][i], scalarB[k][i], what);
                    assertTrue(Math.abs(simdB[k][i] - scalarB[k][i]) <= TOLERANCE * (1 + Math.abs(scalarB[k][i])), what);
                } else {
                    assertEquals(CANARY, scalarB[k][i], what);
                    assertEquals(CANARY, simdB[k][i], what);
                }
            }
        }
    }

    @Provide
    Arbitrary<String> cells() {
        return Arbitraries.of("lstm", "gru", "rnn_tanh", "rnn_relu");
    }

    /** {tape, next state} of a forward over units [u0, u0 + w) (canaries elsewhere). */
    private static float[][] forwardAll(String cell, int h, int w, int b, int u0, float[] xp, float[] hp, float[] prev,
                                        int tapeBlocks, int stateBlocks, boolean scalar) {
        float[] tape = canaries(0, b * tapeBlocks * h), next = canaries(0, b * stateBlocks * h);
        float[] state = new float[2 * b * stateBlocks * h + 5];
        System.arraycopy(prev, 0, state, 0, b * stateBlocks * h);
        java.util.Arrays.fill(state, b * stateBlocks * h, state.length, CANARY);
        int nextOff = b * stateBlocks * h;
        switch (cell) {
            case "lstm" -> {
                if (scalar) LstmKernels.forwardScalar(h, w, b, xp, u0, state, u0, nextOff + u0, tape, u0);
                else LstmKernels.forwardSimd(h, w, b, xp, u0, state, u0, nextOff + u0, tape, u0);
            }
            case "gru" -> {
                if (scalar) GruKernels.forwardScalar(h, w, b, xp, u0, hp, u0, state, u0, nextOff + u0, tape, u0);
                else GruKernels.forwardSimd(h, w, b, xp, u0, hp, u0, state, u0, nextOff + u0, tape, u0);
            }
            default -> {
                boolean tanh = cell.equals("rnn_tanh");
                if (scalar) ElmanKernels.forwardScalar(tanh, h, w, b, xp, u0, state, nextOff + u0);
                else ElmanKernels.forwardSimd(tanh, h, w, b, xp, u0, state, nextOff + u0);
            }
        }
        System.arraycopy(state, nextOff, next, 0, b * stateBlocks * h);
        return new float[][]{java.util.Arrays.copyOf(tape, b * tapeBlocks * h), java.util.Arrays.copyOf(next, b * stateBlocks * h)};
    }

    /** {dxp, dhp (gru), dPrev} of a backward over units [u0, u0 + w) given the whole forward's {tape, next}. */
    private static float[][] backwardAll(String cell, int h, int w, int b, int u0, float[][] forward, float[] prev, float[] dNext,
                                         int gates, int stateBlocks, boolean scalar) {
        float[] dxp = canaries(0, b * gates * h), dhp = canaries(0, b * gates * h), dPrev = canaries(0, b * stateBlocks * h);
        float[] tape = forward[0], next = forward[1];
        switch (cell) {
            case "lstm" -> {
                if (scalar) LstmKernels.backwardScalar(h, w, b, prev, u0, tape, u0, dNext, u0, dxp, u0, dPrev, u0);
                else LstmKernels.backwardSimd(h, w, b, prev, u0, tape, u0, dNext, u0, dxp, u0, dPrev, u0);
            }
            case "gru" -> {
                if (scalar) GruKernels.backwardScalar(h, w, b, prev, u0, tape, u0, dNext, u0, dxp, u0, dhp, u0, dPrev, u0);
                else GruKernels.backwardSimd(h, w, b, prev, u0, tape, u0, dNext, u0, dxp, u0, dhp, u0, dPrev, u0);
            }
            default -> {
                boolean tanh = cell.equals("rnn_tanh");
                if (scalar) ElmanKernels.backwardScalar(tanh, h, w, b, next, u0, dNext, u0, dxp, u0, dPrev, u0);
                else ElmanKernels.backwardSimd(tanh, h, w, b, next, u0, dNext, u0, dxp, u0, dPrev, u0);
            }
        }
        int n = b * gates * h;
        // dhp: only the GRU writes it (the others leave their canaries, equal in every variant)
        return new float[][]{java.util.Arrays.copyOf(dxp, n), java.util.Arrays.copyOf(dhp, n),
                java.util.Arrays.copyOf(dPrev, b * stateBlocks * h)};
    }

    /** The scalar twins against the cell equations in float64. */
    @Property(tries = 100)
    void scalarTwinsFollowTheEquations(@ForAll("shapes") Shape s) {
        SplittableRandom r = new SplittableRandom(s.seed());
        int h = s.hidden();
        float[] pre = new float[4 * h], state = new float[4 * h], tape = new float[5 * h];
        for (int i = 0; i < 4 * h; i++) {
            pre[i] = (float) (6 * r.nextDouble() - 3);
            state[i] = (float) (2 * r.nextDouble() - 1);
        }
        LstmKernels.forwardScalar(h, 1, pre, 0, state, 0, 2 * h, tape, 0);
        for (int j = 0; j < h; j++) {
            double i = sig(pre[j]), f = sig(pre[h + j]), g = Math.tanh(pre[2 * h + j]), o = sig(pre[3 * h + j]);
            double c = f * state[h + j] + i * g;
            assertEquals(c, state[3 * h + j], 1e-6, "c");
            assertEquals(o * Math.tanh(c), state[2 * h + j], 1e-6, "h");
        }
        float[] xp = new float[3 * h], hp = new float[3 * h], hs = new float[2 * h], gt = new float[4 * h];
        for (int i = 0; i < 3 * h; i++) {
            xp[i] = (float) (6 * r.nextDouble() - 3);
            hp[i] = (float) (6 * r.nextDouble() - 3);
        }
        for (int i = 0; i < h; i++) {
            hs[i] = (float) (2 * r.nextDouble() - 1);
        }
        GruKernels.forwardScalar(h, 1, xp, 0, hp, 0, hs, 0, h, gt, 0);
        for (int j = 0; j < h; j++) {
            double rr = sig(xp[j] + hp[j]), z = sig(xp[h + j] + hp[h + j]);
            double n = Math.tanh(xp[2 * h + j] + rr * hp[2 * h + j]);
            assertEquals((1 - z) * n + z * hs[j], hs[h + j], 1e-6, "gru h");
        }
    }

    private static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Example
    void activationsAtTheLimits() {
        float[] pre = {Float.NaN, 1e30f, -1e30f, 100f, -100f, 0f, -0f, 88.5f, -88.5f, 3f, -3f, 20f, -20f, 0.25f, 1e-5f, -1e-5f};
        int h = pre.length;
        float[] out = new float[h];
        ElmanKernels.forwardSimd(true, h, 1, pre, 0, out, 0);
        assertTrue(Float.isNaN(out[0]), "tanh(NaN)");
        assertEquals(1f, out[1]);
        assertEquals(-1f, out[2]);
        assertEquals(1f, out[3]);
        assertEquals(-1f, out[4]);
        for (int j = 1; j < h; j++) {
            assertEquals(Math.tanh(pre[j]), out[j], 4e-7, "tanh(" + pre[j] + ")");
        }
        // σ through the LSTM's i gate: pre-activations of one row with H = 16, the other gates zero
        float[] row = new float[4 * h], state = new float[4 * h], tape = new float[5 * h];
        System.arraycopy(pre, 0, row, 0, h);
        LstmKernels.forwardSimd(h, 1, row, 0, state, 0, 2 * h, tape, 0);
        assertTrue(Float.isNaN(tape[0]), "σ(NaN)");
        for (int j = 1; j < h; j++) {
            assertEquals(sig(pre[j]), tape[j], 2e-7, "σ(" + pre[j] + ")");
            assertTrue(tape[j] >= 0f && tape[j] <= 1f, "σ in [0, 1]");
        }
    }
}
