package io.github.rnnlab.train;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.fixture.ElmanTestCell;
import io.github.rnnlab.init.Initializers;
import io.github.rnnlab.init.ParameterInit;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.task.AddingTask;
import io.github.rnnlab.task.Evaluation;
import io.github.rnnlab.task.Metric;
import io.github.rnnlab.task.Readout;
import io.github.rnnlab.task.SequenceTask;
import io.github.rnnlab.task.TaskBatch;
import io.github.rnnlab.task.TaskKind;
import io.github.rnnlab.train.optim.LearningRate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskTrainingTest {
    private static final F32Ops OPS = F32Ops.standard();

    @Test
    void aManyToOneBatchGetsItsTargetsAtTheLastStep() {
        SequenceTask adding = TaskKind.ADDING.create(7, 3);
        TaskBatch b = adding.sample(new Rng(1));
        TaskTraining.Prepared p = TaskTraining.prepare(b);
        assertEquals(6, p.lossFrom());
        assertEquals(7 * 3, p.batch().targetValues().length);
        for (int i = 0; i < 6 * 3; i++) {
            assertEquals(0f, p.batch().targetValues()[i]);
        }
        assertArrayEquals(b.targetValues(), java.util.Arrays.copyOfRange(p.batch().targetValues(), 18, 21));
        assertTrue(p.batch().features() == b.inputs());
        TaskBatch parity = TaskKind.PARITY.create(5, 2).sample(new Rng(2));
        TaskTraining.Prepared q = TaskTraining.prepare(parity);
        assertEquals(-1, q.batch().targets()[0]);
        assertEquals(parity.targetClasses()[1], q.batch().targets()[4 * 2 + 1]);
        TaskBatch reber = TaskKind.REBER.create(12, 4).sample(new Rng(3));
        TaskTraining.Prepared r = TaskTraining.prepare(reber);
        assertEquals(0, r.lossFrom());
        assertTrue(r.batch().targets() == reber.targetClasses());
        assertArrayEquals(reber.mask(), r.batch().mask().toArray());
    }

    /** The model is trained on exactly the loss the task scores: the same number for every task. */
    @Test
    void theTrainingLossIsTheTasksOwnLoss() {
        for (TaskKind kind : TaskKind.values()) {
            SequenceTask task = kind.create(kind == TaskKind.REBER ? 14 : 6, 5);
            SequenceModel<float[]> m = TaskTraining.createModel(OPS, task, ElmanTestCell.PROVIDER, TaskTraining.Model.of(6), new Rng(4));
            TaskBatch b = task.sample(new Rng(5));
            double trained = TaskTraining.lossAndGradient(m, TaskTraining.prepare(b), 0);
            Evaluation e = task.evaluate(b, TaskTraining.predict(m, b));
            assertEquals(e.loss(), trained, 1e-5 * Math.max(1, e.loss()), kind.cliName());
            assertTrue(Double.isFinite(e.metric()));
            float[] grad = m.parameters().gradients();
            double s = 0;
            for (float g : grad) {
                s += g * g;
            }
            assertTrue(s > 0, kind.cliName() + ": a gradient was accumulated");
            int rows = task.readout() == Readout.LAST_STEP ? 5 : task.steps() * 5;
            assertEquals(rows * task.outputSize(), TaskTraining.predict(m, b).length);
        }
    }

    @Test
    void initialiserOverridesReachOnlyTheBlocksTheyName() {
        SequenceTask task = TaskKind.ADDING.create(5, 2);
        SequenceModel<float[]> plain = TaskTraining.createModel(OPS, task, ElmanTestCell.PROVIDER, TaskTraining.Model.of(4), new Rng(6));
        SequenceModel<float[]> ortho = TaskTraining.createModel(OPS, task, ElmanTestCell.PROVIDER, TaskTraining.Model.of(4)
                .withInit(ParameterInit.defaults().with("weight_hh", Initializers.orthogonal(2.0))), new Rng(6));
        for (String block : List.of("rnn.weight_ih_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "head.weight", "head.bias")) {
            assertArrayEquals(plain.parameters().get(block), ortho.parameters().get(block), block);
        }
        double[] w = ortho.parameters().get("rnn.weight_hh_l0");
        double rowNorm = 0;
        for (int j = 0; j < 4; j++) {
            rowNorm += w[j] * w[j];
        }
        assertEquals(4.0, rowNorm, 1e-5, "rows of 2·Q have norm 2");
        var e = assertThrows(CellConfig.InvalidConfigException.class, () -> TaskTraining.createModel(OPS, task, ElmanTestCell.PROVIDER,
                TaskTraining.Model.of(4).withInit(ParameterInit.defaults().with("weight_xx", Initializers.zeros())), new Rng(6)));
        assertTrue(e.getMessage().contains("weight_xx") && e.getMessage().contains("weight_hh"), e.getMessage());
        // by role
        SequenceModel<float[]> zero = TaskTraining.createModel(OPS, task, ElmanTestCell.PROVIDER, TaskTraining.Model.of(4)
                .withInit(ParameterInit.defaults().with(Role.RECURRENT_WEIGHT, Initializers.zeros())), new Rng(6));
        assertArrayEquals(new double[16], zero.parameters().get("rnn.weight_hh_l0"));
    }

    private static TaskTraining.Config small(int steps) {
        return TaskTraining.Config.of(TaskTraining.Model.of(16), 0.01, steps, 11).withEvaluation(50, 4).withClipNorm(1);
    }

    /** A short memory span is learnable by the plain Elman cell: the run beats the 1/6 baseline clearly. */
    @Test
    void aShortAddingProblemIsLearnedAndTheCurveIsRecorded() {
        SequenceTask task = new AddingTask(new AddingTask.Config(4, 32));
        List<TaskTraining.CurvePoint> heard = new ArrayList<>();
        TaskTraining.Result r = TaskTraining.run(OPS, task, ElmanTestCell.PROVIDER, small(300), heard::add);
        assertEquals(heard, r.curve());
        assertEquals(List.of(0L, 50L, 100L, 150L, 200L, 250L, 300L), r.curve().stream().map(TaskTraining.CurvePoint::step).toList());
        assertTrue(Double.isNaN(r.curve().get(0).trainLoss()));
        assertEquals(300, r.stepsTaken());
        assertFalse(r.diverged());
        assertNull(r.divergence());
        assertEquals("adding", r.task());
        assertEquals("test_elman", r.cell());
        assertEquals(Metric.MEAN_SQUARED_ERROR, r.metric());
        assertEquals(1.0 / 6, r.baselineMetric(), 1e-15);
        assertEquals(r.model().parameters().size(), r.parameters());
        assertTrue(r.finalMetric() < 0.05, "final MSE " + r.finalMetric());
        assertTrue(r.beatsBaseline());
        assertEquals(r.finalMetric(), r.last().evalMetric());
        assertEquals(r.finalMetric(), r.finalLoss(), 1e-9, "for the adding problem the metric is the loss");
        assertTrue(r.bestMetric() <= r.finalMetric());
        assertTrue(r.trainSeconds() > 0 && r.totalSeconds() >= r.trainSeconds());
        assertTrue(r.sequencesPerSecond() > 0);
        assertEquals(4 * r.sequencesPerSecond(), r.timeStepsPerSecond(), 1e-9 * r.timeStepsPerSecond());
        assertEquals(32, r.batchSize());
        assertEquals(4, r.sequenceSteps());
        for (int i = 1; i < r.curve().size(); i++) {
            assertTrue(r.curve().get(i).elapsedSeconds() >= r.curve().get(i - 1).elapsedSeconds());
            assertTrue(r.curve().get(i).gradientNorm() > 0);
        }
    }

    @Test
    void oneSeedGivesOneCurve() {
        SequenceTask task = new AddingTask(new AddingTask.Config(6, 8));
        TaskTraining.Result a = TaskTraining.run(OPS, task, ElmanTestCell.PROVIDER, small(40), TaskTraining.Listener.NONE);
        TaskTraining.Result b = TaskTraining.run(OPS, task, ElmanTestCell.PROVIDER, small(40), TaskTraining.Listener.NONE);
        TaskTraining.Result c = TaskTraining.run(OPS, task, ElmanTestCell.PROVIDER, small(40).withSeed(12), TaskTraining.Listener.NONE);
        for (int i = 0; i < a.curve().size(); i++) {
            assertEquals(a.curve().get(i).evalLoss(), b.curve().get(i).evalLoss());
            assertEquals(a.curve().get(i).trainLoss(), b.curve().get(i).trainLoss());
        }
        assertArrayEquals(a.model().parameters().values(), b.model().parameters().values());
        assertNotEquals(a.finalLoss(), c.finalLoss());
    }

    /**
     * A listener that stops the run after update 37 of 100: the run ends there with an evaluation of its
     * own (so it has a final metric), every update was heard once, and the curve up to the stop is the
     * uninterrupted run's.
     */
    @Test
    void aListenerCanStopTheRunEarly() {
        SequenceTask task = new AddingTask(new AddingTask.Config(6, 8));
        List<Long> steps = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        TaskTraining.Listener stopAt37 = new TaskTraining.Listener() {
            @Override
            public void evaluated(TaskTraining.CurvePoint point) {
            }

            @Override
            public boolean stepped(long step, double loss) {
                steps.add(step);
                losses.add(loss);
                return step < 37;
            }
        };
        TaskTraining.Result stopped = TaskTraining.run(OPS, task, ElmanTestCell.PROVIDER, small(100).withEvaluation(10, 2), stopAt37);
        TaskTraining.Result full = TaskTraining.run(OPS, task, ElmanTestCell.PROVIDER, small(100).withEvaluation(10, 2), TaskTraining.Listener.NONE);
        assertEquals(37, stopped.stepsTaken());
        assertEquals(37, steps.size());
        assertEquals(37L, steps.get(36));
        assertFalse(stopped.diverged());
        assertEquals(List.of(0L, 10L, 20L, 30L, 37L), stopped.curve().stream().map(TaskTraining.CurvePoint::step).toList());
        assertTrue(Double.isFinite(stopped.finalMetric()));
        assertEquals(losses.subList(30, 37).stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                stopped.last().trainLoss(), 1e-12, "the last point's training loss is the mean since the previous point");
        for (int i = 0; i < 4; i++) {
            assertEquals(full.curve().get(i).evalLoss(), stopped.curve().get(i).evalLoss(), "point " + i);
        }
        assertEquals(100, full.stepsTaken());
    }

    /** An absurd SGD rate blows the loss up; the trainer's NonFiniteException stops the run and is kept. */
    @Test
    void aNonFiniteLossStopsTheRunAndIsReported() {
        SequenceTask task = new AddingTask(new AddingTask.Config(6, 8));
        TaskTraining.Config cfg = small(50).withOptimizer(TaskTraining.OptimizerKind.SGD, new LearningRate.Constant(1e30)).withClipNorm(0);
        TaskTraining.Result r = TaskTraining.run(OPS, task, ElmanTestCell.PROVIDER, cfg, TaskTraining.Listener.NONE);
        assertTrue(r.diverged());
        assertTrue(r.divergence() instanceof NonFiniteException);
        assertTrue(r.stepsTaken() < 50);
        assertTrue(Double.isNaN(r.finalMetric()));
        assertFalse(r.solved());
        assertFalse(r.beatsBaseline());
    }

    @Test
    void solvedMeansClosingNinetyPercentOfTheGap() {
        assertEquals(0.9, TaskTraining.gapClosed(Metric.MEAN_SQUARED_ERROR, 1.0 / 6, 1.0 / 60), 1e-12);
        assertEquals(0.9, TaskTraining.gapClosed(Metric.ACCURACY, 0.5, 0.95), 1e-12);
        assertEquals(0.0, TaskTraining.gapClosed(Metric.RECALL_ACCURACY, 0.125, 0.125), 1e-12);
        assertTrue(TaskTraining.gapClosed(Metric.MEAN_SQUARED_ERROR, 1.0 / 6, 0.2) < 0);
        assertEquals(TaskTraining.OptimizerKind.ADAMW, TaskTraining.OptimizerKind.parse(" AdamW "));
        assertThrows(CellConfig.InvalidConfigException.class, () -> TaskTraining.OptimizerKind.parse("rmsprop"));
        assertThrows(CellConfig.InvalidConfigException.class, () -> small(10).withClipNorm(-1));
        assertThrows(CellConfig.InvalidConfigException.class, () -> small(0));
    }
}
