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

class ParityTaskTest {
    @Test
    void targetIsParityOfTheBits() {
        ParityTask task = new ParityTask(new ParityTask.Config(13, 50));
        Rng rng = new Rng(3);
        long ones = 0, odd = 0, bits = 0;
        for (int k = 0; k < 40; k++) {
            TaskBatch tb = task.sample(rng);
            assertEquals(13 * 50, tb.inputs().length);
            assertEquals(50, tb.targetClasses().length);
            for (int b = 0; b < 50; b++) {
                int count = 0;
                for (int t = 0; t < 13; t++) {
                    float x = tb.input(t, b, 0);
                    assertTrue(x == 0f || x == 1f);
                    count += (int) x;
                }
                assertEquals(count % 2, tb.targetClasses()[b]);
                ones += count;
                bits += 13;
                odd += tb.targetClasses()[b];
            }
        }
        // 26000 fair bits and 2000 fair parities
        assertEquals(0.5, (double) ones / bits, 0.015);
        assertEquals(0.5, odd / 2000.0, 0.05);
    }

    @Test
    void deterministicForASeed() {
        ParityTask task = new ParityTask(new ParityTask.Config(64, 8));
        assertArrayEquals(task.sample(new Rng(77)).inputs(), task.sample(new Rng(77)).inputs());
        assertFalse(Arrays.equals(task.sample(new Rng(77)).inputs(), task.sample(new Rng(78)).inputs()));
    }

    @Test
    void evaluatesHandMadeLogits() {
        ParityTask task = new ParityTask(new ParityTask.Config(1, 2));
        TaskBatch tb = TaskBatch.classification(1, 2, 1, 2, Readout.LAST_STEP, new float[] {1f, 0f}, null,
                new int[] {1, 0}, null);
        float ln3 = (float) Math.log(3);
        // row 0: p(1) = 3/4, correct; row 1: p(0) = 1/4, wrong
        Evaluation e = task.evaluate(tb, new float[] {0f, ln3, 0f, ln3});
        assertEquals((Math.log(4.0 / 3) + Math.log(4)) / 2, e.loss(), 1e-6);
        assertEquals(0.5, e.metric());
        assertEquals(1.0, task.evaluate(tb, new float[] {0f, 5f, 5f, 0f}).metric());
    }

    @Test
    void baselineIsCoinFlip() {
        ParityTask task = new ParityTask(new ParityTask.Config(20, 500));
        assertEquals(Math.log(2), task.baseline().loss(), 1e-15);
        assertEquals(0.5, task.baseline().metric());
        // equal logits: loss exactly ln 2; arg-max (ties → class 0) right for the even half
        Evaluation e = task.evaluate(task.sample(new Rng(1)), new float[1000]);
        assertEquals(Math.log(2), e.loss(), 1e-12);
        assertEquals(0.5, e.metric(), 0.07);
        assertThrows(ShapeException.class, () -> new ParityTask.Config(0, 1));
    }
}
