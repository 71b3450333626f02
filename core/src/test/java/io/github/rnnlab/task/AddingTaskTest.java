package io.github.rnnlab.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.numeric.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AddingTaskTest {
    @Test
    void batchHasTwoMarkersOneInEachHalfAndTheirSumAsTarget() {
        int steps = 21, batch = 6;
        AddingTask task = new AddingTask(new AddingTask.Config(steps, batch));
        Rng rng = new Rng(11);
        boolean[] firstSeen = new boolean[steps / 2], secondSeen = new boolean[steps - steps / 2];
        for (int k = 0; k < 100; k++) {
            TaskBatch tb = task.sample(rng);
            assertEquals(steps, tb.steps());
            assertEquals(batch, tb.batch());
            assertEquals(2, tb.inputSize());
            assertEquals(steps * batch * 2, tb.inputs().length);
            assertEquals(batch, tb.targetValues().length);
            assertNull(tb.mask());
            assertNull(tb.targetClasses());
            for (int b = 0; b < batch; b++) {
                int markers = 0;
                double sum = 0;
                int first = -1, second = -1;
                for (int t = 0; t < steps; t++) {
                    float v = tb.input(t, b, 0), m = tb.input(t, b, 1);
                    assertTrue(v >= 0f && v < 1f, "value " + v);
                    assertTrue(m == 0f || m == 1f);
                    if (m == 1f) {
                        markers++;
                        sum += v;
                        if (first < 0) {
                            first = t;
                        } else {
                            second = t;
                        }
                    }
                }
                assertEquals(2, markers);
                assertTrue(first < steps / 2 && second >= steps / 2, first + ", " + second);
                firstSeen[first] = true;
                secondSeen[second - steps / 2] = true;
                assertEquals((float) sum, tb.targetValues()[b]);
            }
        }
        for (boolean s : firstSeen) {
            assertTrue(s, "a first-half position was never marked: " + Arrays.toString(firstSeen));
        }
        for (boolean s : secondSeen) {
            assertTrue(s, "a second-half position was never marked: " + Arrays.toString(secondSeen));
        }
    }

    @Test
    void sameSeedSameBatch() {
        AddingTask task = new AddingTask(new AddingTask.Config(30, 4));
        TaskBatch a = task.sample(new Rng(5)), b = task.sample(new Rng(5)), c = task.sample(new Rng(6));
        assertArrayEquals(a.inputs(), b.inputs());
        assertArrayEquals(a.targetValues(), b.targetValues());
        assertFalse(Arrays.equals(a.inputs(), c.inputs()));
    }

    @Test
    void predictingOneGivesTheBaselineMse() {
        AddingTask task = new AddingTask(new AddingTask.Config(10, 100));
        assertEquals(1.0 / 6, task.baseline().loss(), 1e-15);
        Rng rng = new Rng(2024);
        float[] ones = new float[100];
        Arrays.fill(ones, 1f);
        Evaluation total = Evaluation.EMPTY;
        for (int k = 0; k < 200; k++) {
            total = total.plus(task.evaluate(task.sample(rng), ones));
        }
        // 20000 sequences: the standard error of the mean of (S−1)² is about 0.0014.
        assertEquals(20_000, total.lossCount());
        assertEquals(task.baseline().loss(), total.loss(), 0.006);
        assertEquals(total.loss(), total.metric(), 0);
        // the constant 0 does much worse: E[S²] = Var + 1 = 7/6
        Evaluation zeros = task.evaluate(task.sample(rng), new float[100]);
        assertTrue(zeros.loss() > 0.8, "MSE of predicting 0: " + zeros.loss());
    }

    @Test
    void evaluatesHandMadePredictions() {
        AddingTask task = new AddingTask(new AddingTask.Config(2, 3));
        TaskBatch tb = TaskBatch.regression(2, 3, 2, 1, Readout.LAST_STEP, new float[12], null, new float[] {1f, 0.5f, 2f});
        Evaluation e = task.evaluate(tb, new float[] {1f, 1f, 1f});
        // (0² + 0.5² + 1²) / 3
        assertEquals(1.25 / 3, e.loss(), 1e-12);
        assertEquals(3, e.lossCount());
        ShapeException wrong = assertThrows(ShapeException.class, () -> task.evaluate(tb, new float[4]));
        assertTrue(wrong.getMessage().contains("expected 3, got 4"), wrong.getMessage());
        TaskBatch other = new ParityTask(new ParityTask.Config(2, 3)).sample(new Rng(1));
        assertThrows(ShapeException.class, () -> task.evaluate(other, new float[3]));
    }

    @Test
    void rejectsBadConfig() {
        ShapeException e = assertThrows(ShapeException.class, () -> new AddingTask.Config(1, 4));
        assertTrue(e.getMessage().contains("expected at least 2"), e.getMessage());
        assertThrows(ShapeException.class, () -> new AddingTask.Config(10, 0));
        // the smallest sequence: markers at 0 and 1
        TaskBatch tb = new AddingTask(new AddingTask.Config(2, 1)).sample(new Rng(9));
        assertEquals(1f, tb.input(0, 0, 1));
        assertEquals(1f, tb.input(1, 0, 1));
    }
}
