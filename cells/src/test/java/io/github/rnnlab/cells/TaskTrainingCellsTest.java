package io.github.rnnlab.cells;

import io.github.rnnlab.cell.Role;
import io.github.rnnlab.init.Initializers;
import io.github.rnnlab.init.ParameterInit;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.task.AddingTask;
import io.github.rnnlab.task.SequenceTask;
import io.github.rnnlab.train.NonFiniteException;
import io.github.rnnlab.train.TaskTraining;
import io.github.rnnlab.train.optim.LearningRate;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training the built-in cells on the adding problem: gated memory against the vanilla RNN, and clipping. */
class TaskTrainingCellsTest {
    private static final F32Ops F32 = F32Ops.standard();

    private static TaskTraining.Result adding(io.github.rnnlab.cell.CellProvider cell, int steps) {
        TaskTraining.Config cfg = TaskTraining.Config.of(TaskTraining.Model.of(16), 0.01, 400, 5).withClipNorm(1.0).withEvaluation(100, 4);
        return TaskTraining.run(F32, new AddingTask(new AddingTask.Config(steps, 32)), cell, cfg, TaskTraining.Listener.NONE);
    }

    /**
     * The same budget (400 Adam updates of 32 sequences, H = 16, seed 5) at T = 20: the gru solves the
     * adding problem (MSE ≤ 1/60, 90% of the way from the 1/6 baseline to 0) while rnn_tanh with its
     * default init is still at the baseline; the lstm (default init, f ≈ ½) solves T = 10 with the same
     * budget. (At T = 20 the default lstm needs more updates; see the README's experiment for T = 100.)
     */
    @Test
    void gatedCellsSolveTheAddingProblemWhereTheVanillaRnnStaysAtTheBaseline() {
        TaskTraining.Result gru = adding(new GruProvider(), 20);
        TaskTraining.Result tanh = adding(new RnnTanhProvider(), 20);
        TaskTraining.Result lstm = adding(new LstmProvider(), 10);
        assertTrue(gru.solved(), "gru at T=20: MSE " + gru.finalMetric());
        assertTrue(lstm.solved(), "lstm at T=10: MSE " + lstm.finalMetric());
        assertTrue(tanh.finalMetric() > 0.1, "rnn_tanh at T=20: MSE " + tanh.finalMetric());
        assertFalse(tanh.solved());
    }

    /**
     * rnn_relu with weight_hh = 2.5·Q (exploding, T = 30) and plain SGD at rate 0.05: without clipping
     * the first update throws the loss to NaN and the trainer stops with NonFiniteException; with
     * global-norm clipping at 1 the same run stays finite and ends far below its initial loss. (600 updates:
     * after 200 this seed was at 0.62 of its initial loss or below 0.5 depending on the last bits of a kernel's
     * rounding, the recurrence being chaotic; after 600 seeds 1-6 all end at 0.17-0.22, the mean predictor's
     * level, against initial losses of 1.3 and more.)
     */
    @Test
    void clippingTamesAnExplodingRecurrence() {
        SequenceTask task = new AddingTask(new AddingTask.Config(30, 16));
        TaskTraining.Model model = new TaskTraining.Model(16, 1, Map.of(),
                ParameterInit.defaults().with(Role.RECURRENT_WEIGHT, Initializers.orthogonal(2.5)));
        TaskTraining.Config sgd = new TaskTraining.Config(model, TaskTraining.OptimizerKind.SGD, new LearningRate.Constant(0.05), 0,
                600, 50, 4, 1, TaskTraining.Config.SOLVED_GAP);
        TaskTraining.Result unclipped = TaskTraining.run(F32, task, new RnnReluProvider(), sgd, TaskTraining.Listener.NONE);
        assertTrue(unclipped.diverged(), "unclipped SGD must hit a non-finite loss");
        assertInstanceOf(NonFiniteException.class, unclipped.divergence());
        assertTrue(unclipped.stepsTaken() < 10, "diverged after " + unclipped.stepsTaken() + " updates");

        TaskTraining.Result clipped = TaskTraining.run(F32, task, new RnnReluProvider(), sgd.withClipNorm(1.0), TaskTraining.Listener.NONE);
        assertFalse(clipped.diverged(), () -> "clipped run diverged: " + clipped.divergence().getMessage());
        assertEquals(600, clipped.stepsTaken());
        double initial = clipped.curve().get(0).evalLoss();
        for (TaskTraining.CurvePoint p : clipped.curve()) {
            assertTrue(Double.isFinite(p.evalLoss()), "finite loss at " + p.step());
        }
        assertTrue(clipped.finalLoss() < 0.5 * initial, "clipped: " + initial + " → " + clipped.finalLoss());
        double largest = clipped.curve().stream().mapToDouble(TaskTraining.CurvePoint::gradientNorm).filter(Double::isFinite).max().orElse(0);
        assertTrue(largest > 1, "the clipping was active (gradient norm above the threshold): " + largest);
    }
}
