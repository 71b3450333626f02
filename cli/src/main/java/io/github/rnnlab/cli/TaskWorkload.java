package io.github.rnnlab.cli;

import io.github.rnnlab.checkpoint.TrainingState;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.task.Evaluation;
import io.github.rnnlab.task.SequenceTask;
import io.github.rnnlab.train.TaskTraining;

/**
 * A synthetic long-range task ({@code rnnlab train --task}): every batch a fresh one from the task, drawn from the
 * run's data generator ({@link TrainingState#dataRng()}, saved in the checkpoint), one update of full BPTT on the
 * task's loss ({@link TaskTraining#lossAndGradient}: at the last step for adding and parity, at every valid step
 * for copy and Reber); evaluation on a fixed held-out set of {@code evalBatches} batches drawn from
 * {@code evalSeed}, loss and the task's metric against its baseline.
 *
 * <p>Set up with {@link TaskTraining}'s seeds ({@link #align}), a run is the same, update for update, as the
 * cell's run in {@code rnnlab compare} with the same settings (and the same thread count).
 */
final class TaskWorkload implements Workload {
    private final TrainingState state;
    private final SequenceTask task;
    private final long evalSeed;
    private final int evalBatches;
    private long evaluatedAt = -1;
    private Validation evaluated;

    /**
     * @param evalSeed    the seed of the evaluation set ({@link #align})
     * @param evalBatches batches of the evaluation set, ≥ 1
     */
    TaskWorkload(TrainingState state, SequenceTask task, long evalSeed, int evalBatches) {
        this.state = state;
        this.task = task;
        this.evalSeed = evalSeed;
        this.evalBatches = evalBatches;
    }

    /**
     * Gives a fresh run {@link TaskTraining#run}'s generators for {@code seed}: the parameters from the first split
     * of {@code new Rng(seed)} (with {@code init}'s choices for the recurrent blocks), the batches from the second,
     * the trainer's dropout seeds from the third; returns the evaluation set's seed, the generator's next long.
     *
     * @throws io.github.rnnlab.cell.CellConfig.InvalidConfigException if {@code init} names a block the cell lacks
     */
    static long align(TrainingState state, io.github.rnnlab.init.ParameterInit init, long seed) {
        Rng root = new Rng(seed);
        Rng initRng = root.split();
        Rng dataRng = root.split();
        Rng trainerRng = root.split();
        TaskTraining.initialize(state.model().parameters(), init, initRng);
        state.dataRng().setState(dataRng.state());
        state.trainer().rng().setState(trainerRng.state());
        return root.nextLong();
    }

    /** The evaluation set's seed of a run seeded with {@code seed} (what {@link #align} returns). */
    static long evalSeed(long seed) {
        Rng root = new Rng(seed);
        root.split();
        root.split();
        root.split();
        return root.nextLong();
    }

    @Override
    public TrainingState state() {
        return state;
    }

    @Override
    public String unit() {
        return "seqs";
    }

    @Override
    public BatchResult train() {
        TaskTraining.Prepared p = TaskTraining.prepare(task.sample(state.dataRng()));
        double loss = state.trainer().step(() -> TaskTraining.lossAndGradient(state.model(), p, state.trainer().rng().nextLong()));
        return new BatchResult(loss, task.batchSize());
    }

    @Override
    public boolean validates() {
        return true;
    }

    /** The loss and metric on the evaluation set (the same set for the periodic and the final evaluation). */
    @Override
    public Validation validate(boolean all) {
        if (evaluatedAt != state.step()) {
            Evaluation e = TaskTraining.evaluate(state.model(), task, new Rng(evalSeed), evalBatches);
            evaluated = new Validation(e.loss(), e.metric());
            evaluatedAt = state.step();
        }
        return evaluated;
    }

    @Override
    public double baseline() {
        return task.baseline().loss();
    }

    @Override
    public String sample(long step) {
        return null;
    }

    @Override
    public String validationLine(long step, Validation v) {
        return "step " + step + ": " + describe(v);
    }

    /** {@code "evaluation loss 0.0123, MSE 0.0123 (baseline 0.1667, 92.6% of the way to perfect)"}. */
    String describe(Validation v) {
        double base = task.baseline().metric();
        double gap = TaskTraining.gapClosed(task.metric(), base, v.metric());
        gap = Math.abs(gap) < 5e-4 ? 0 : gap; // no "-0.0%"
        String progress = !Double.isFinite(gap) ? "" : gap >= 0 ? ", " + Format.percent(gap) + " of the way to perfect"
                : ", worse than it";
        return "evaluation loss " + Format.loss(v.loss()) + ", " + task.metric().label() + " " + Format.loss(v.metric())
                + " (baseline " + Format.loss(base) + progress + ")";
    }

    /** Whether {@code v} closes the gap far enough to count as solved ({@link TaskTraining.Config#SOLVED_GAP}). */
    boolean solved(Validation v) {
        return TaskTraining.gapClosed(task.metric(), task.baseline().metric(), v.metric()) >= TaskTraining.Config.SOLVED_GAP;
    }

    @Override
    public String metric() {
        return task.metric().label();
    }

    @Override
    public String lossLabel() {
        return task.loss() == io.github.rnnlab.task.LossKind.MEAN_SQUARED_ERROR ? "loss (mean squared error)"
                : "loss (cross-entropy, nats per step)";
    }

    @Override
    public String baselineName() {
        return "baseline (" + task.baseline().formula() + ")";
    }
}
