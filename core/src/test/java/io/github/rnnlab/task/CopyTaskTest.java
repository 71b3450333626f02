package io.github.rnnlab.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.numeric.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CopyTaskTest {
    /** The single hot feature at (t, b), failing unless exactly one is 1. */
    private static int hot(TaskBatch tb, int t, int b) {
        int found = -1;
        for (int i = 0; i < tb.inputSize(); i++) {
            float x = tb.input(t, b, i);
            if (x == 1f) {
                assertEquals(-1, found, "two hot features at " + t + "," + b);
                found = i;
            } else {
                assertEquals(0f, x);
            }
        }
        assertTrue(found >= 0);
        return found;
    }

    @Test
    void layoutFollowsTheUrnnPaper() {
        int delay = 6, k = 3, a = 4, batch = 5;
        CopyTask task = new CopyTask(new CopyTask.Config(delay, k, a, batch));
        assertEquals(delay + 2 * k, task.steps());
        assertEquals(a + 2, task.inputSize());
        assertEquals(a + 1, task.outputSize());
        TaskBatch tb = task.sample(new Rng(8));
        assertEquals(12, tb.steps());
        int[] y = tb.targetClasses();
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < tb.steps(); t++) {
                int in = hot(tb, t, b), target = y[t * batch + b];
                if (t < k) {
                    assertTrue(in >= 1 && in <= a, "symbol " + in);
                    assertEquals(0, target);
                    assertEquals(in, y[(delay + k + t) * batch + b], "recall of step " + t);
                } else if (t == k + delay - 1) {
                    assertEquals(a + 1, in, "delimiter");
                    assertEquals(0, target);
                } else {
                    assertEquals(0, in, "blank at " + t);
                    if (t < delay + k) {
                        assertEquals(0, target);
                    }
                }
            }
        }
        assertEquals(delay + k, task.firstRecallStep());
    }

    @Test
    void symbolsAreUniformAndDeterministic() {
        CopyTask task = new CopyTask(new CopyTask.Config(5, 10, 8, 20));
        long[] counts = new long[9];
        Rng rng = new Rng(4);
        for (int n = 0; n < 50; n++) {
            TaskBatch tb = task.sample(rng);
            for (int t = 0; t < 10; t++) {
                for (int b = 0; b < 20; b++) {
                    counts[hot(tb, t, b)]++;
                }
            }
        }
        assertEquals(0, counts[0]);
        for (int s = 1; s <= 8; s++) {
            assertEquals(10_000 / 8.0, counts[s], 120, "count of symbol " + s);
        }
        assertArrayEquals(task.sample(new Rng(1)).inputs(), task.sample(new Rng(1)).inputs());
        assertFalse(Arrays.equals(task.sample(new Rng(1)).targetClasses(), task.sample(new Rng(2)).targetClasses()));
    }

    @Test
    void baselinePredictorScoresThePaperFormula() {
        int delay = 100, k = 10, a = 8, batch = 40;
        CopyTask task = new CopyTask(new CopyTask.Config(delay, k, a, batch));
        assertEquals(10 * Math.log(8) / 120, task.baseline().loss(), 1e-15);
        assertEquals(1.0 / 8, task.baseline().metric(), 1e-15);
        int c = task.outputSize(), steps = task.steps();
        // certain blank before the recall steps, uniform over the alphabet during them
        float[] logits = new float[steps * batch * c];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int base = (t * batch + b) * c;
                for (int i = 0; i < c; i++) {
                    boolean recall = t >= delay + k;
                    logits[base + i] = recall ? (i == 0 ? -1e4f : 0f) : (i == 0 ? 0f : -1e4f);
                }
            }
        }
        Rng rng = new Rng(10);
        Evaluation total = Evaluation.EMPTY;
        for (int n = 0; n < 25; n++) {
            total = total.plus(task.evaluate(task.sample(rng), logits));
        }
        assertEquals(task.baseline().loss(), total.loss(), 1e-9);
        assertEquals((long) 25 * batch * steps, total.lossCount());
        assertEquals((long) 25 * batch * k, total.metricCount());
        // arg-max of the uniform guess is symbol 1: right for about 1/8 of the recall steps
        assertEquals(1.0 / 8, total.metric(), 0.03);
    }

    @Test
    void perfectPredictionsScoreZeroLossAndFullRecall() {
        CopyTask task = new CopyTask(new CopyTask.Config(3, 2, 3, 2));
        TaskBatch tb = task.sample(new Rng(5));
        int c = task.outputSize();
        float[] logits = new float[tb.predictionLength()];
        for (int i = 0; i < tb.targetClasses().length; i++) {
            logits[i * c + tb.targetClasses()[i]] = 50f;
        }
        Evaluation e = task.evaluate(tb, logits);
        assertEquals(0, e.loss(), 1e-12);
        assertEquals(1.0, e.metric());
        // one wrong recall step out of 2 steps × 2 rows
        int wrong = task.firstRecallStep() * 2;
        logits[wrong * c + tb.targetClasses()[wrong]] = 0f;
        logits[wrong * c + (tb.targetClasses()[wrong] % 3) + 1] = 50f;
        assertEquals(0.75, task.evaluate(tb, logits).metric());
        // a wrong blank step lowers the loss but not the recall accuracy
        float[] blankWrong = logits.clone();
        blankWrong[0] = 0f;
        blankWrong[1] = 50f;
        assertEquals(0.75, task.evaluate(tb, blankWrong).metric());
        assertTrue(task.evaluate(tb, blankWrong).loss() > task.evaluate(tb, logits).loss());
    }

    @Test
    void rejectsBadConfig() {
        assertThrows(ShapeException.class, () -> new CopyTask.Config(0, 10, 8, 1));
        assertThrows(ShapeException.class, () -> new CopyTask.Config(10, 0, 8, 1));
        assertThrows(ShapeException.class, () -> new CopyTask.Config(10, 10, 1, 1));
        assertThrows(ShapeException.class, () -> new CopyTask.Config(10, 10, 8, 0));
        // delay 1: the delimiter right after the symbols
        TaskBatch tb = new CopyTask(new CopyTask.Config(1, 2, 8, 1)).sample(new Rng(0));
        assertEquals(9, hot(tb, 2, 0));
    }
}
