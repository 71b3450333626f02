package io.github.rnnlab.train;

import io.github.rnnlab.RnnlabException;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Initializer;
import io.github.rnnlab.init.ParameterInit;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.Mask;
import io.github.rnnlab.nn.Parameters;
import io.github.rnnlab.nn.Pass;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.task.Evaluation;
import io.github.rnnlab.task.LossKind;
import io.github.rnnlab.task.Metric;
import io.github.rnnlab.task.Readout;
import io.github.rnnlab.task.SequenceTask;
import io.github.rnnlab.task.TaskBatch;
import io.github.rnnlab.train.optim.Adam;
import io.github.rnnlab.train.optim.LearningRate;
import io.github.rnnlab.train.optim.Optimizer;
import io.github.rnnlab.train.optim.Sgd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Trains a recurrent network on a synthetic long-range task ({@link SequenceTask}): builds the model
 * the task needs, trains it for a budget of updates from one seed, evaluates it periodically on a
 * fixed set of held-out batches, and reports the learning curve, the final loss and metric against
 * the task's baseline, and whether the task counts as solved. This is what {@code rnnlab train --task}
 * and {@code rnnlab compare --task} run, once per cell, with the same configuration and seed.
 *
 * <h2>The model</h2>
 * Every task gets a {@link SequenceModel}: feature input ({@link SequenceTask#inputSize()} values per
 * step, as the task's batches hold them), a forward recurrent stack of the given cell, and a linear
 * head with {@link SequenceTask#outputSize()} outputs per step, trained on the task's loss (MSE or
 * softmax cross-entropy):
 * <ul>
 *   <li>{@link Readout#LAST_STEP} (adding, parity): many-to-one: the loss is taken at the last step
 *       only, from the head applied to the last output (the top layer's {@code h_T}); the head still
 *       runs at every step (its other outputs get no gradient);</li>
 *   <li>{@link Readout#EVERY_STEP} (copy, Reber): many-to-many: the mean loss over every valid step;
 *       padded steps (the Reber task's mask) keep the state and count for nothing.</li>
 * </ul>
 * Parameter names are those of {@link SequenceModel} ({@code rnn.weight_hh_l0}, {@code head.weight}, …).
 *
 * <h2>Seeds</h2>
 * One seed fixes everything: it is split, in this order, into the generator of the initial parameters,
 * the generator of the training batches, the trainer's generator (dropout seeds) and the seed of the
 * evaluation set. The evaluation set is the same {@link Config#evalBatches()} batches at every
 * evaluation (drawn from their own generator, never seen in training), so the points of a curve are
 * comparable. Same seed, configuration and thread count: bit-identical curves.
 *
 * <h2>Solved</h2>
 * The final evaluation's metric m counts as <i>solved</i> when it closes at least
 * {@link Config#solvedGap()} (default 0.9) of the gap between the task's baseline b and a perfect
 * score p (0 for MSE, 1 for accuracies): {@code (b − m)/(b − p) ≥ 0.9}. For the adding problem
 * (b = 1/6) that is MSE ≤ 0.0167; for parity (b = ½) accuracy ≥ 0.95; for the copy task (b = 1/8)
 * recall accuracy ≥ 0.9125. A run that <i>beats</i> the baseline merely has a better metric than b.
 *
 * <h2>Divergence</h2>
 * When the loss or the gradient norm becomes NaN or infinite the {@link Trainer} throws
 * {@link NonFiniteException} before updating; the run stops there and its result carries the
 * exception ({@link Result#divergence()}), the curve up to that point, and no final evaluation.
 */
public final class TaskTraining {

    /** The optimizers a task run can use (PyTorch's defaults for each). */
    public enum OptimizerKind {
        /** Plain SGD, {@code torch.optim.SGD(lr)}. */
        SGD("sgd"),
        /** SGD with momentum 0.9. */
        MOMENTUM("momentum"),
        /** {@code torch.optim.Adam} (β 0.9, 0.999; ε 1e-8). */
        ADAM("adam"),
        /** {@code torch.optim.AdamW} (weight decay 0.01). */
        ADAMW("adamw");

        private final String cliName;

        OptimizerKind(String cliName) {
            this.cliName = cliName;
        }

        /** The command-line name. */
        public String cliName() {
            return cliName;
        }

        /** A fresh optimizer of this kind. */
        public Optimizer create() {
            return switch (this) {
                case SGD -> new Sgd(Sgd.Config.plain());
                case MOMENTUM -> new Sgd(Sgd.Config.momentum(0.9));
                case ADAM -> new Adam(Adam.Config.adam());
                case ADAMW -> new Adam(Adam.Config.adamW());
            };
        }

        /**
         * The kind named {@code name} (case-insensitive).
         *
         * @throws CellConfig.InvalidConfigException listing the names understood
         */
        public static OptimizerKind parse(String name) {
            for (OptimizerKind k : values()) {
                if (k.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new CellConfig.InvalidConfigException("unknown optimizer \"" + name + "\": expected one of sgd, momentum, adam, adamw");
        }
    }

    /**
     * The network trained on a task.
     *
     * @param hidden  hidden size H of every layer, ≥ 1
     * @param layers  stacked layers, ≥ 1
     * @param options the cell's own options (may be empty)
     * @param init    which initializer each cell parameter block gets (by block name such as
     *                {@code weight_hh}, or by role); {@link ParameterInit#defaults()} for the cell's own
     */
    public record Model(int hidden, int layers, Map<String, String> options, ParameterInit init) {
        public Model {
            if (hidden < 1 || layers < 1) {
                throw new CellConfig.InvalidConfigException("hidden size and layers must be at least 1, got " + hidden + " and " + layers);
            }
            options = Map.copyOf(options == null ? Map.of() : options);
            init = init == null ? ParameterInit.defaults() : init;
        }

        /** One layer of {@code hidden} units, no options, the cell's default initializers. */
        public static Model of(int hidden) {
            return new Model(hidden, 1, Map.of(), ParameterInit.defaults());
        }

        public Model withLayers(int layers) {
            return new Model(hidden, layers, options, init);
        }

        public Model withInit(ParameterInit init) {
            return new Model(hidden, layers, options, init);
        }

        public Model withOptions(Map<String, String> options) {
            return new Model(hidden, layers, options, init);
        }
    }

    /**
     * One training run's configuration.
     *
     * @param model        the network
     * @param optimizer    the optimizer
     * @param learningRate the schedule
     * @param clipNorm     global gradient-norm clipping threshold ({@code clip_grad_norm_}), or 0 for none
     * @param steps        the budget: updates to take, ≥ 1 (one batch of the task each)
     * @param evalEvery    evaluate after every {@code evalEvery} updates (and after the last), ≥ 1
     * @param evalBatches  batches in the evaluation set, ≥ 1
     * @param seed         the one seed of the run (see the class comment)
     * @param solvedGap    the fraction of the baseline-to-perfect gap the final metric must close to
     *                     count as solved, in (0, 1]
     */
    public record Config(Model model, OptimizerKind optimizer, LearningRate learningRate, double clipNorm,
                         int steps, int evalEvery, int evalBatches, long seed, double solvedGap) {
        /** The default of {@link #solvedGap}. */
        public static final double SOLVED_GAP = 0.9;

        public Config {
            if (model == null || optimizer == null || learningRate == null) {
                throw new CellConfig.InvalidConfigException("a task run needs a model, an optimizer and a learning rate");
            }
            if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
                throw new CellConfig.InvalidConfigException("clip norm: expected a finite value ≥ 0 (0 = no clipping), got " + clipNorm);
            }
            if (steps < 1 || evalEvery < 1 || evalBatches < 1) {
                throw new CellConfig.InvalidConfigException("steps, eval-every and eval batches must be at least 1, got "
                        + steps + ", " + evalEvery + ", " + evalBatches);
            }
            if (!(solvedGap > 0 && solvedGap <= 1)) {
                throw new CellConfig.InvalidConfigException("solved gap: expected a fraction in (0, 1], got " + solvedGap);
            }
        }

        /** Adam at {@code rate} without clipping, evaluating 10 times over the budget on 4 batches. */
        public static Config of(Model model, double rate, int steps, long seed) {
            return new Config(model, OptimizerKind.ADAM, new LearningRate.Constant(rate), 0, steps,
                    Math.max(1, steps / 10), 4, seed, SOLVED_GAP);
        }

        public Config withClipNorm(double clipNorm) {
            return new Config(model, optimizer, learningRate, clipNorm, steps, evalEvery, evalBatches, seed, solvedGap);
        }

        public Config withOptimizer(OptimizerKind optimizer, LearningRate learningRate) {
            return new Config(model, optimizer, learningRate, clipNorm, steps, evalEvery, evalBatches, seed, solvedGap);
        }

        public Config withEvaluation(int evalEvery, int evalBatches) {
            return new Config(model, optimizer, learningRate, clipNorm, steps, evalEvery, evalBatches, seed, solvedGap);
        }

        public Config withSteps(int steps) {
            return new Config(model, optimizer, learningRate, clipNorm, steps, evalEvery, evalBatches, seed, solvedGap);
        }

        public Config withSeed(long seed) {
            return new Config(model, optimizer, learningRate, clipNorm, steps, evalEvery, evalBatches, seed, solvedGap);
        }

        public Config withModel(Model model) {
            return new Config(model, optimizer, learningRate, clipNorm, steps, evalEvery, evalBatches, seed, solvedGap);
        }
    }

    /**
     * One point of a learning curve, taken after {@code step} updates.
     *
     * @param step           updates taken
     * @param trainLoss      the mean training loss of the updates since the previous point (NaN at step 0)
     * @param evalLoss       the loss on the evaluation set
     * @param evalMetric     the task's metric on the evaluation set
     * @param gradientNorm   the global gradient norm (before clipping) of the last update (NaN at step 0)
     * @param elapsedSeconds wall time since the run started, evaluations included
     */
    public record CurvePoint(long step, double trainLoss, double evalLoss, double evalMetric, double gradientNorm,
                             double elapsedSeconds) {
    }

    /**
     * What a run achieved.
     *
     * @param task          the task's command-line name
     * @param batchSize     B, sequences per update
     * @param sequenceSteps T, time steps per sequence
     * @param cell          the cell id
     * @param config        the configuration
     * @param parameters    the number of trained parameters (recurrent stack and head)
     * @param curve         the learning curve, from step 0 (the untrained model) on
     * @param stepsTaken    updates taken (less than the budget after a divergence, or when the listener stopped the run)
     * @param trainSeconds  wall time spent in updates (evaluations excluded)
     * @param totalSeconds  wall time of the whole run
     * @param metric        the task's metric
     * @param baselineLoss  the task's baseline loss
     * @param baselineMetric the task's baseline metric
     * @param divergence    the non-finite loss or gradient that stopped the run, or null
     * @param model         the trained model (for a checkpoint)
     */
    public record Result(String task, int batchSize, int sequenceSteps, String cell, Config config, int parameters, List<CurvePoint> curve,
                         long stepsTaken, double trainSeconds, double totalSeconds, Metric metric,
                         double baselineLoss, double baselineMetric, NonFiniteException divergence,
                         SequenceModel<float[]> model) {
        public Result {
            curve = List.copyOf(curve);
        }

        /** Whether the run stopped on a non-finite loss or gradient. */
        public boolean diverged() {
            return divergence != null;
        }

        /** The last evaluation (the final one unless the run diverged). */
        public CurvePoint last() {
            return curve.get(curve.size() - 1);
        }

        /** The final evaluation loss, NaN after a divergence. */
        public double finalLoss() {
            return diverged() ? Double.NaN : last().evalLoss();
        }

        /** The final evaluation metric, NaN after a divergence. */
        public double finalMetric() {
            return diverged() ? Double.NaN : last().evalMetric();
        }

        /** The best metric (lowest MSE or highest accuracy) over the curve's evaluations. */
        public double bestMetric() {
            double best = Double.NaN;
            for (CurvePoint p : curve) {
                double m = p.evalMetric();
                if (Double.isNaN(best) || (metric.higherIsBetter() ? m > best : m < best)) {
                    best = m;
                }
            }
            return best;
        }

        /** The fraction of the baseline-to-perfect gap the final metric closes (NaN after a divergence). */
        public double gapClosed() {
            return TaskTraining.gapClosed(metric, baselineMetric, finalMetric());
        }

        /** Whether the final metric is better than the baseline's. */
        public boolean beatsBaseline() {
            return gapClosed() > 0;
        }

        /** Whether the final metric closes at least {@link Config#solvedGap()} of the gap (see the class comment). */
        public boolean solved() {
            return gapClosed() >= config.solvedGap();
        }

        /** Training sequences per second ({@code stepsTaken · B / trainSeconds}). */
        public double sequencesPerSecond() {
            return trainSeconds > 0 ? stepsTaken * (double) batchSize / trainSeconds : Double.NaN;
        }

        /** Training time steps per second ({@code stepsTaken · B · T / trainSeconds}). */
        public double timeStepsPerSecond() {
            return sequencesPerSecond() * sequenceSteps;
        }
    }

    /** Hears about a run's progress (called on the training thread; must be quick). */
    @FunctionalInterface
    public interface Listener {
        /** A new point of the learning curve. */
        void evaluated(CurvePoint point);

        /**
         * Update {@code step} (1-based) is done, its training loss {@code loss}. Returning false stops the
         * run there, before its budget: it is then evaluated as after its last update (unless that step was
         * just evaluated), so the result has a final metric, and {@link Result#stepsTaken()} says how far it
         * got. For a time limit or a stop request (Ctrl-C); by default the run goes on.
         */
        default boolean stepped(long step, double loss) {
            return true;
        }

        /** Nothing to hear. */
        Listener NONE = p -> {
        };
    }

    /**
     * A task batch in the form the model takes.
     *
     * @param batch    the engine's batch (features, targets, mask)
     * @param lossFrom the first step the loss counts: T − 1 for a many-to-one task, else 0
     */
    public record Prepared(Batch<float[]> batch, int lossFrom) {
    }

    private TaskTraining() {
    }

    /** The unsupported combination of a many-to-one task with padded steps. */
    public static final class UnsupportedTaskException extends RnnlabException {
        public UnsupportedTaskException(String message) {
            super(message);
        }
    }

    /**
     * The model {@code task} is trained with (see the class comment), its parameters initialised from
     * {@code rng} as {@link #initialize} does.
     *
     * @throws CellConfig.InvalidConfigException if the cell rejects the configuration or {@code model.init()}
     *         names a block the cell does not have
     */
    public static SequenceModel<float[]> createModel(F32Ops ops, SequenceTask task, CellProvider cell, Model model, Rng rng) {
        RecurrentConfig rc = new RecurrentConfig(task.inputSize(), model.hidden(), model.layers(), Directions.FORWARD, 0, model.options());
        SequenceModel<float[]> m = new SequenceModel<>(ops, cell, new SequenceModel.Config(
                new SequenceModel.Features(task.inputSize()), rc, task.outputSize(), objective(task.loss())));
        initialize(m.parameters(), model.init(), rng);
        return m;
    }

    /**
     * Initialises every block of {@code parameters} from {@code rng} as {@link Parameters#initialize(Rng)}
     * does (one split generator per block, in layout order), except that the recurrent blocks get the
     * initializer {@code init} chooses for them (by the cell's block name, e.g. {@code weight_hh}, or by
     * role). Blocks outside the recurrent stack (head, embedding) keep their own initializers.
     *
     * @throws CellConfig.InvalidConfigException if {@code init} names a block no cell block has
     */
    public static <A> void initialize(Parameters<A> parameters, ParameterInit init, Rng rng) {
        Set<String> names = new TreeSet<>();
        Map<String, Parameters.Init> overrides = new HashMap<>();
        for (Parameters.Block b : parameters.blocks()) {
            if (b.spec() == null) {
                continue;
            }
            names.add(b.spec().name());
            Initializer chosen = init.initializerFor(b.spec());
            if (chosen != b.spec().initializer()) {
                CellConfig cc = b.config();
                overrides.put(b.name(), (v, shape, r) -> chosen.fill(v, shape, cc, r));
            }
        }
        for (String n : init.byName().keySet()) {
            if (!names.contains(n)) {
                throw new CellConfig.InvalidConfigException("no parameter named " + n + " to initialise; the cell has " + names);
            }
        }
        parameters.initialize(rng, overrides);
    }

    static SequenceModel.Objective objective(LossKind loss) {
        return loss == LossKind.MEAN_SQUARED_ERROR ? SequenceModel.Objective.MEAN_SQUARED_ERROR : SequenceModel.Objective.CROSS_ENTROPY;
    }

    /**
     * Turns a task batch into the engine's batch: the features and mask as they are; for a
     * many-to-one task the targets are placed at the last step (other steps: class −1 / value 0, not
     * counted since the loss starts at T − 1).
     *
     * @throws UnsupportedTaskException for a many-to-one batch with padded steps
     */
    public static Prepared prepare(TaskBatch b) {
        int steps = b.steps(), batch = b.batch(), out = b.outputSize();
        Mask mask = b.mask() == null ? null : Mask.of(steps, batch, b.mask());
        if (b.readout() == Readout.EVERY_STEP) {
            Batch<float[]> eb = b.targetClasses() != null
                    ? Batch.ofFeatures(steps, batch, b.inputs(), b.targetClasses(), mask)
                    : Batch.ofFeatureValues(steps, batch, b.inputs(), b.targetValues(), mask);
            return new Prepared(eb, 0);
        }
        if (mask != null && !mask.allValid()) {
            throw new UnsupportedTaskException("a many-to-one task batch with padded steps is not supported (its last step differs per row)");
        }
        int last = (steps - 1) * batch;
        if (b.targetClasses() != null) {
            int[] y = new int[steps * batch];
            java.util.Arrays.fill(y, 0, last, -1);
            System.arraycopy(b.targetClasses(), 0, y, last, batch);
            return new Prepared(Batch.ofFeatures(steps, batch, b.inputs(), y, null), steps - 1);
        }
        float[] y = new float[steps * batch * out];
        System.arraycopy(b.targetValues(), 0, y, last * out, batch * out);
        return new Prepared(Batch.ofFeatureValues(steps, batch, b.inputs(), y, null), steps - 1);
    }

    /**
     * The mean loss of {@code prepared} and its gradient, accumulated into the model's parameter
     * gradients (full BPTT; for a many-to-one task the loss of the last step alone).
     */
    public static double lossAndGradient(SequenceModel<float[]> model, Prepared prepared, long dropoutSeed) {
        Batch<float[]> b = prepared.batch();
        model.forward(b, null, Pass.training(dropoutSeed));
        double loss = model.loss(prepared.lossFrom(), model.meanScale(model.countedPositions(b, prepared.lossFrom(), b.steps())), true);
        model.backward(null, false, false);
        return loss;
    }

    /**
     * The model's predictions for a task batch in the layout {@link SequenceTask#evaluate} takes:
     * (B, outputs) for a many-to-one task, (T, B, outputs) otherwise. A new array.
     */
    public static float[] predict(SequenceModel<float[]> model, TaskBatch b) {
        Prepared p = prepare(b);
        model.forward(p.batch(), null, Pass.inference());
        float[] all = model.predictions();
        int rows = b.readout() == Readout.LAST_STEP ? b.batch() : b.steps() * b.batch();
        int from = b.readout() == Readout.LAST_STEP ? (b.steps() - 1) * b.batch() : 0;
        int out = b.outputSize();
        float[] pred = new float[rows * out];
        System.arraycopy(all, from * out, pred, 0, pred.length);
        return pred;
    }

    /** Loss and metric of {@code model} on {@code batches} batches drawn from {@code rng}. */
    public static Evaluation evaluate(SequenceModel<float[]> model, SequenceTask task, Rng rng, int batches) {
        Evaluation e = Evaluation.EMPTY;
        for (int i = 0; i < batches; i++) {
            TaskBatch b = task.sample(rng);
            e = e.plus(task.evaluate(b, predict(model, b)));
        }
        return e;
    }

    /**
     * Trains {@code cell} on {@code task} as {@code config} says (see the class comment).
     *
     * @param ops      float32 operations (with a worker team for several threads)
     * @param listener told about every update and every point of the learning curve; may stop the run early
     * @throws CellConfig.InvalidConfigException if the cell rejects the configuration
     */
    public static Result run(F32Ops ops, SequenceTask task, CellProvider cell, Config config, Listener listener) {
        long start = System.nanoTime();
        Rng root = new Rng(config.seed());
        Rng initRng = root.split(), dataRng = root.split(), trainerRng = root.split();
        long evalSeed = root.nextLong();
        SequenceModel<float[]> model = createModel(ops, task, cell, config.model(), initRng);
        Trainer trainer = new Trainer(model.parameters(), config.optimizer().create(),
                new Trainer.Config(config.learningRate(), config.clipNorm(), 0), trainerRng);
        List<CurvePoint> curve = new ArrayList<>();
        long trainNanos = 0;
        curve.add(evaluatePoint(model, task, config, evalSeed, 0, Double.NaN, Double.NaN, start));
        listener.evaluated(curve.get(0));
        double lossSum = 0;
        int lossCount = 0;
        long taken = 0;
        NonFiniteException divergence = null;
        for (int step = 1; step <= config.steps(); step++) {
            Prepared p = prepare(task.sample(dataRng));
            long t0 = System.nanoTime();
            double loss;
            try {
                loss = trainer.step(() -> lossAndGradient(model, p, trainer.rng().nextLong()));
            } catch (NonFiniteException e) {
                trainNanos += System.nanoTime() - t0;
                divergence = e;
                break;
            }
            trainNanos += System.nanoTime() - t0;
            lossSum += loss;
            lossCount++;
            taken = step;
            boolean goOn = listener.stepped(step, loss);
            if (step % config.evalEvery() == 0 || step == config.steps() || !goOn) {
                CurvePoint point = evaluatePoint(model, task, config, evalSeed, step, lossSum / lossCount,
                        trainer.lastGradientNorm(), start);
                curve.add(point);
                listener.evaluated(point);
                lossSum = 0;
                lossCount = 0;
            }
            if (!goOn) {
                break;
            }
        }
        if (divergence != null && lossCount > 0) {
            // the updates since the last evaluation, without an evaluation of their own
            curve.add(new CurvePoint(taken, lossSum / lossCount, Double.NaN, Double.NaN, trainer.lastGradientNorm(), seconds(start)));
        }
        return new Result(task.kind().cliName(), task.batchSize(), task.steps(), cell.id(), config, model.parameters().size(), curve, taken,
                trainNanos / 1e9, seconds(start), task.metric(), task.baseline().loss(), task.baseline().metric(),
                divergence, model);
    }

    private static CurvePoint evaluatePoint(SequenceModel<float[]> model, SequenceTask task, Config config, long evalSeed,
                                            long step, double trainLoss, double gradNorm, long start) {
        Evaluation e = evaluate(model, task, new Rng(evalSeed), config.evalBatches());
        return new CurvePoint(step, trainLoss, e.loss(), e.metric(), gradNorm, seconds(start));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * The fraction of the gap between {@code baseline} and a perfect score (1 for an accuracy, 0 for
     * MSE) that {@code value} closes: 1 = perfect, 0 = baseline, negative = worse than the baseline.
     */
    public static double gapClosed(Metric metric, double baseline, double value) {
        double perfect = metric.higherIsBetter() ? 1 : 0;
        return (baseline - value) / (baseline - perfect);
    }
}
