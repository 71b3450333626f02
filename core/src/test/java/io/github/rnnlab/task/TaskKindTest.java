package io.github.rnnlab.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.numeric.Rng;
import org.junit.jupiter.api.Test;

class TaskKindTest {
    @Test
    void parsesCliNames() {
        assertEquals(TaskKind.ADDING, TaskKind.parse("adding"));
        assertEquals(TaskKind.COPY, TaskKind.parse("Copy"));
        assertEquals(TaskKind.REBER, TaskKind.parse("REBER"));
        assertEquals(TaskKind.PARITY, TaskKind.parse("parity"));
        UnknownTaskException e = assertThrows(UnknownTaskException.class, () -> TaskKind.parse("addition"));
        assertTrue(e.getMessage().contains("\"addition\"") && e.getMessage().contains("expected one of adding, copy, reber, parity"),
                e.getMessage());
    }

    @Test
    void createMapsStepsToEachTask() {
        SequenceTask adding = TaskKind.ADDING.create(50, 3);
        assertEquals(50, adding.steps());
        assertEquals(TaskKind.ADDING, adding.kind());
        SequenceTask copy = TaskKind.COPY.create(50, 3);
        assertEquals(70, copy.steps());
        assertEquals(10, copy.inputSize());
        assertEquals(9, copy.outputSize());
        SequenceTask reber = TaskKind.REBER.create(30, 3);
        assertEquals(29, reber.steps());
        SequenceTask parity = TaskKind.PARITY.create(50, 3);
        assertEquals(50, parity.steps());
        for (TaskKind k : TaskKind.values()) {
            SequenceTask task = k.create(20, 4);
            assertEquals(k, task.kind());
            TaskBatch tb = task.sample(new Rng(1));
            assertEquals(task.steps(), tb.steps());
            assertEquals(4, tb.batch());
            assertEquals(task.inputSize(), tb.inputSize());
            assertEquals(task.readout(), tb.readout());
            assertEquals(task.loss() == LossKind.MEAN_SQUARED_ERROR, tb.targetValues() != null);
            assertEquals(task.loss() == LossKind.CROSS_ENTROPY, tb.targetClasses() != null);
            // a model that outputs zeros is scored without error
            Evaluation e = task.evaluate(tb, new float[tb.predictionLength()]);
            assertTrue(Double.isFinite(e.loss()) && Double.isFinite(e.metric()));
            assertTrue(task.baseline().formula().length() > 10);
        }
        assertThrows(ShapeException.class, () -> TaskKind.REBER.create(5, 1));
        // batches that cannot fit in a Java array are refused up front, for every task
        for (TaskKind k : TaskKind.values()) {
            ShapeException big = assertThrows(ShapeException.class, () -> k.create(100_000, 100_000));
            assertTrue(big.getMessage().contains("expected at most"), big.getMessage());
        }
    }

    @Test
    void evaluationSumsCombine() {
        Evaluation a = new Evaluation(3, 3, 1, 2), b = new Evaluation(1, 1, 1, 2);
        Evaluation c = a.plus(b);
        assertEquals(1.0, c.loss());
        assertEquals(0.5, c.metric());
        assertTrue(Double.isNaN(Evaluation.EMPTY.loss()));
        assertEquals(a, Evaluation.EMPTY.plus(a));
        assertThrows(IllegalArgumentException.class, () -> new Evaluation(0, -1, 0, 0));
    }

    @Test
    void crossEntropyIsStableAndExact() {
        float[] z = {1f, 2f, 3f};
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertEquals(lse - 2, TaskMath.crossEntropy(z, 0, 3, 1), 1e-12);
        assertEquals(lse - 3, TaskMath.crossEntropy(new float[] {9f, 1f, 2f, 3f}, 1, 3, 2), 1e-12);
        // huge logits: no overflow
        assertEquals(1000.0, TaskMath.crossEntropy(new float[] {1000f, 0f}, 0, 2, 1), 1e-9);
        assertEquals(0.0, TaskMath.crossEntropy(new float[] {1000f, 0f}, 0, 2, 0), 1e-12);
        assertThrows(IndexOutOfBoundsException.class, () -> TaskMath.crossEntropy(z, 0, 3, 3));
        assertEquals(1, TaskMath.argmax(new float[] {0f, 5f, 5f}, 0, 3));
        assertEquals(0, TaskMath.argmax(new float[] {7f, 9f, 5f}, 1, 2));
        assertEquals(1, TaskMath.argmax(new float[] {9f, 5f, 7f}, 1, 2));
    }

    @Test
    void batchShapesAreValidated() {
        ShapeException e = assertThrows(ShapeException.class, () -> TaskBatch.regression(2, 3, 2, 1, Readout.LAST_STEP,
                new float[11], null, new float[3]));
        assertTrue(e.getMessage().contains("expected 12, got 11"), e.getMessage());
        assertThrows(ShapeException.class, () -> TaskBatch.regression(2, 3, 2, 1, Readout.LAST_STEP,
                new float[12], null, new float[6]));
        assertThrows(ShapeException.class, () -> TaskBatch.classification(1, 2, 1, 2, Readout.LAST_STEP,
                new float[2], null, new int[] {0, 2}, null));
        // masked every-step targets must be −1
        assertThrows(ShapeException.class, () -> TaskBatch.classification(1, 2, 1, 2, Readout.EVERY_STEP,
                new float[2], new float[] {1f, 0f}, new int[] {0, 1}, null));
        TaskBatch ok = TaskBatch.classification(1, 2, 1, 2, Readout.EVERY_STEP, new float[2], new float[] {1f, 0f},
                new int[] {0, -1}, null);
        assertEquals(1, ok.predictionCount());
        assertEquals(4, ok.predictionLength());
    }
}
