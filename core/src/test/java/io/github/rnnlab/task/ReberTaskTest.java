package io.github.rnnlab.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.numeric.Rng;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReberTaskTest {
    /**
     * An independent checker: the Reber grammar as a regular expression, derived by hand from the
     * graph (state 3 = (T*VPX)* T*V (V|PS)), and the embedded grammar with a back-reference.
     */
    private static final String INNER = "(?:TS*X(?:S|X(?:T*VPX)*T*V(?:V|PS))|P(?:T*VPX)*T*V(?:V|PS))";
    private static final Pattern REBER = Pattern.compile("B" + INNER + "E");
    private static final Pattern EMBEDDED = Pattern.compile("B([TP])B" + INNER + "E\\1E");
    private static final String MIDDLE_LETTERS = "TPSXV";

    @Test
    void knownStrings() {
        ReberGrammar plain = ReberGrammar.plain();
        for (String s : new String[] {"BTSSXXTVVE", "BPVVE", "BTXSE", "BPTVPSE", "BPVPXVVE", "BTSXXVVE"}) {
            assertTrue(plain.accepts(s), s);
            assertTrue(REBER.matcher(s).matches(), s);
        }
        for (String s : new String[] {"BTSSXXTVV", "BPVE", "TXSE", "BTXSEE", "BPVPXE", "", "B", "BTXXE"}) {
            assertFalse(plain.accepts(s), s);
            assertFalse(REBER.matcher(s).matches(), s);
        }
        ReberGrammar embedded = ReberGrammar.embedded();
        assertTrue(embedded.accepts("BTBTXSETE"));
        assertTrue(embedded.accepts("BPBPVVEPE"));
        assertFalse(embedded.accepts("BTBTXSEPE"), "mismatched outer symbols");
        assertFalse(embedded.accepts("BTBTXSET"));
        assertEquals(5, plain.minimumLength());
        assertEquals(9, embedded.minimumLength());
    }

    @Test
    void automatonAgreesWithRegexOnEveryShortString() {
        ReberGrammar plain = ReberGrammar.plain(), embedded = ReberGrammar.embedded();
        int accepted = 0;
        for (int len = 0; len <= 8; len++) {
            int total = (int) Math.pow(5, len);
            for (int code = 0; code < total; code++) {
                String middle = middle(code, len);
                String s = "B" + middle + "E";
                boolean a = plain.accepts(s);
                assertEquals(REBER.matcher(s).matches(), a, s);
                accepted += a ? 1 : 0;
                if (len <= 6) {
                    for (char outer : new char[] {'T', 'P'}) {
                        for (char outer2 : new char[] {'T', 'P'}) {
                            String e = "B" + outer + s + outer2 + "E";
                            assertEquals(EMBEDDED.matcher(e).matches(), embedded.accepts(e), e);
                        }
                    }
                }
            }
        }
        assertTrue(accepted > 20, "only " + accepted + " strings accepted");
        // strings with misplaced B/E are rejected by both
        Rng rng = new Rng(1);
        for (int n = 0; n < 20_000; n++) {
            int len = 1 + rng.nextInt(14);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < len; i++) {
                sb.append(ReberGrammar.SYMBOLS.charAt(rng.nextInt(7)));
            }
            String s = sb.toString();
            assertEquals(REBER.matcher(s).matches(), plain.accepts(s), s);
            assertEquals(EMBEDDED.matcher(s).matches(), embedded.accepts(s), s);
        }
    }

    private static String middle(int code, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(MIDDLE_LETTERS.charAt(code % 5));
            code /= 5;
        }
        return sb.toString();
    }

    @Test
    void sampledBatchesHoldGrammaticalStringsWithLegalSets() {
        int maxLength = 20, batch = 16;
        ReberTask task = new ReberTask(new ReberTask.Config(maxLength, batch));
        assertEquals(19, task.steps());
        Rng rng = new Rng(99);
        Set<String> distinct = new HashSet<>();
        for (int k = 0; k < 60; k++) {
            TaskBatch tb = task.sample(rng);
            assertEquals(19, tb.steps());
            for (int b = 0; b < batch; b++) {
                StringBuilder s = new StringBuilder();
                int realSteps = 0;
                for (int t = 0; t < tb.steps(); t++) {
                    int i = t * batch + b;
                    if (!tb.isReal(t, b)) {
                        // padding: after the string, zeros, target −1, nothing legal
                        assertEquals(-1, tb.targetClasses()[i]);
                        assertEquals(0, tb.legalClasses()[i]);
                        for (int f = 0; f < 7; f++) {
                            assertEquals(0f, tb.input(t, b, f));
                        }
                        continue;
                    }
                    assertEquals(t, realSteps, "padding before a real step");
                    realSteps++;
                    int sym = -1;
                    for (int f = 0; f < 7; f++) {
                        if (tb.input(t, b, f) == 1f) {
                            sym = f;
                        }
                    }
                    s.append(ReberGrammar.SYMBOLS.charAt(sym));
                    int target = tb.targetClasses()[i];
                    assertTrue((tb.legalClasses()[i] >>> target & 1) == 1, "target not legal");
                    if (t + 1 < tb.steps() && tb.isReal(t + 1, b)) {
                        assertEquals(target, hotSymbol(tb, t + 1, b), "target is the next input");
                    } else {
                        s.append(ReberGrammar.SYMBOLS.charAt(target));
                    }
                }
                String string = s.toString();
                assertTrue(EMBEDDED.matcher(string).matches(), string);
                assertTrue(string.length() <= maxLength);
                assertEquals(string.length() - 1, realSteps);
                // the long-range step: after the inner E only the second symbol is legal
                int penultimate = (string.length() - 3) * batch + b;
                int second = ReberGrammar.SYMBOLS.indexOf(string.charAt(1));
                assertEquals(1 << second, tb.legalClasses()[penultimate], string);
                distinct.add(string);
            }
        }
        assertTrue(distinct.size() > 100, "only " + distinct.size() + " distinct strings");
    }

    private static int hotSymbol(TaskBatch tb, int t, int b) {
        for (int f = 0; f < 7; f++) {
            if (tb.input(t, b, f) == 1f) {
                return f;
            }
        }
        return -1;
    }

    @Test
    void shortestLimitGivesOnlyShortestStrings() {
        ReberTask task = new ReberTask(new ReberTask.Config(9, 50));
        TaskBatch tb = task.sample(new Rng(3));
        assertEquals(8, tb.steps());
        assertEquals(50 * 8, tb.predictionCount());
        ShapeException e = assertThrows(ShapeException.class, () -> new ReberTask.Config(8, 1));
        assertTrue(e.getMessage().contains("expected at least 9"), e.getMessage());
    }

    @Test
    void deterministicForASeed() {
        ReberTask task = new ReberTask(new ReberTask.Config(32, 8));
        TaskBatch a = task.sample(new Rng(12)), b = task.sample(new Rng(12));
        assertArrayEquals(a.inputs(), b.inputs());
        assertArrayEquals(a.mask(), b.mask());
        assertArrayEquals(a.targetClasses(), b.targetClasses());
        assertFalse(java.util.Arrays.equals(a.inputs(), task.sample(new Rng(13)).inputs()));
    }

    @Test
    void expectedCountsMatchKnownMeanLengths() {
        // Untruncated (a limit far beyond any realistic length): mean Reber length 8, embedded 12, so
        // E[prediction steps] = E[n] − 1.
        double plainSteps = sum(ReberTask.expectedTargetCounts(ReberGrammar.plain(), 400));
        double embeddedSteps = sum(ReberTask.expectedTargetCounts(ReberGrammar.embedded(), 400));
        assertEquals(7.0, plainSteps, 1e-9);
        assertEquals(11.0, embeddedSteps, 1e-9);
        // every embedded string has exactly one inner B and two E's among its targets
        double[] counts = ReberTask.expectedTargetCounts(ReberGrammar.embedded(), 400);
        assertEquals(1.0, counts[ReberGrammar.B], 1e-9);
        assertEquals(2.0, counts[ReberGrammar.E], 1e-9);
        // at the shortest limit there are 4 strings (BxBTXSExE, BxBPVVExE), 8 targets each
        double[] shortest = ReberTask.expectedTargetCounts(ReberGrammar.embedded(), 9);
        assertEquals(8.0, sum(shortest), 1e-12);
        // each equally likely; e.g. BTBTXSETE has targets T B T X S E T E
        assertArrayEquals(new double[] {1, 1.5, 1.5, 0.5, 0.5, 1, 2}, shortest, 1e-12);
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x;
        }
        return s;
    }

    @Test
    void unigramBaselineMatchesSampledFrequencies() {
        int batch = 64;
        ReberTask task = new ReberTask(new ReberTask.Config(24, batch));
        Baseline baseline = task.baseline();
        Rng rng = new Rng(2718);
        long[] counts = new long[7];
        long steps = 0;
        TaskBatch[] batches = new TaskBatch[200];
        for (int k = 0; k < batches.length; k++) {
            TaskBatch tb = batches[k] = task.sample(rng);
            for (int i = 0; i < tb.targetClasses().length; i++) {
                if (tb.mask()[i] != 0f) {
                    counts[tb.targetClasses()[i]]++;
                    steps++;
                }
            }
        }
        // the unigram predictor as logits ln p, from the sampled frequencies
        float[] row = new float[7];
        int mode = 0;
        for (int s = 0; s < 7; s++) {
            row[s] = counts[s] == 0 ? -1e9f : (float) Math.log((double) counts[s] / steps);
            mode = counts[s] > counts[mode] ? s : mode;
        }
        float[] logits = new float[task.steps() * batch * 7];
        for (int i = 0; i < task.steps() * batch; i++) {
            System.arraycopy(row, 0, logits, i * 7, 7);
        }
        Evaluation total = Evaluation.EMPTY;
        for (TaskBatch tb : batches) {
            total = total.plus(task.evaluate(tb, logits));
        }
        assertEquals(steps, total.lossCount());
        // ~140k steps: sampling error of these shares is well below 0.01
        assertEquals(baseline.loss(), total.loss(), 0.01);
        assertEquals(baseline.metric(), total.metric(), 0.01);
        assertTrue(baseline.loss() > 1.0 && baseline.loss() < Math.log(7), "unigram loss " + baseline.loss());
        assertTrue(baseline.formula().contains("(" + ReberGrammar.SYMBOLS.charAt(mode) + ")"), baseline.formula());
    }

    @Test
    void evaluatesHandMadePredictions() {
        ReberTask task = new ReberTask(new ReberTask.Config(9, 1));
        int steps = task.steps();
        float[] inputs = new float[steps * 7];
        float[] mask = new float[steps];
        int[] targets = new int[steps];
        int[] legal = new int[steps];
        java.util.Arrays.fill(targets, -1);
        // two real steps: legal {T, P} with target P, then legal {S} with target S
        mask[0] = mask[1] = 1f;
        targets[0] = ReberGrammar.P;
        targets[1] = ReberGrammar.S;
        legal[0] = 1 << ReberGrammar.T | 1 << ReberGrammar.P;
        legal[1] = 1 << ReberGrammar.S;
        TaskBatch tb = TaskBatch.classification(steps, 1, 7, 7, Readout.EVERY_STEP, inputs, mask, targets, legal);
        float[] logits = new float[steps * 7];
        logits[ReberGrammar.T] = 2f; // step 0 predicts T: legal although the target is P
        logits[7 + ReberGrammar.X] = 2f; // step 1 predicts X: illegal
        for (int t = 2; t < steps; t++) {
            logits[t * 7] = Float.NaN; // masked steps must not be read
        }
        Evaluation e = task.evaluate(tb, logits);
        assertEquals(2, e.lossCount());
        assertEquals(0.5, e.metric());
        double z = Math.log(Math.exp(2) + 6);
        assertEquals(((z - 0) + (z - 0)) / 2, e.loss(), 1e-6);
    }
}
