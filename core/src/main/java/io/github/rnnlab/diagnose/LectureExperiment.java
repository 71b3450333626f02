package io.github.rnnlab.diagnose;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Initializer;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.init.Initializers;
import io.github.rnnlab.init.ParameterInit;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.task.AddingTask;
import io.github.rnnlab.task.SequenceTask;
import io.github.rnnlab.train.TaskTraining;
import io.github.rnnlab.train.optim.LearningRate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The lecture's claims about vanishing and exploding gradients, as one reproducible experiment on the
 * adding problem ({@link AddingTask}, T = 100 by default). Three parts, each written to files and
 * summarised in {@link Result#summary()}:
 * <ol>
 *   <li><b>Diagnosis at initialisation</b> ({@link GradientFlow}, {@link RecurrentSpectra}) of
 *       {@code rnn_tanh} with PyTorch's U(−1/√H, 1/√H) init and with an orthogonal {@code weight_hh},
 *       {@code lstm} (PyTorch's init, and the chrono init, {@link #chrono}), {@code gru}, and
 *       {@code rnn_relu} with an orthogonal {@code weight_hh} scaled by
 *       {@link Config#explodingGain()}: the per-step rate of ‖∂L_T/∂s_t‖, the step-Jacobian norms, the
 *       verdicts. Files: {@code diagnose/}.</li>
 *   <li><b>Training with the same budget</b> ({@link TaskTraining}): {@code rnn_tanh} (default init),
 *       {@code lstm} (default and chrono init) and {@code gru}, same hidden size, optimizer, learning
 *       rate, clipping, updates and seed; final MSE against the 1/6 baseline, solved or not. Files:
 *       {@code adding/}. The trained
 *       models are then diagnosed as in part 1, on the same batch. Files: {@code trained/}.</li>
 *   <li><b>Clipping</b>: the exploding {@code rnn_relu} configuration trained with plain SGD without
 *       and with gradient-norm clipping, same seed: without it the loss becomes non-finite and the
 *       trainer stops ({@link io.github.rnnlab.train.NonFiniteException}); with it training runs to the
 *       end with finite losses. Files: {@code clipping/}.</li>
 * </ol>
 * The cells are found by id (e.g. through {@link io.github.rnnlab.cell.CellRegistry#provider}); core
 * itself has none. The chrono-initialised {@code lstm} relies on the LSTM's gate order i, f, g, o
 * (PyTorch's): it writes rows 0…2H−1 of {@code bias_ih}.
 */
public final class LectureExperiment {

    /**
     * The experiment's sizes and budgets.
     *
     * @param steps           T of the adding problem
     * @param hidden          H of every cell
     * @param batchSize       rows per training batch (and of the diagnosis batch)
     * @param trainSteps      the training budget of part 2 (updates)
     * @param learningRate    Adam's rate in part 2
     * @param clipNorm        gradient-norm clipping in part 2 (0 for none)
     * @param evalEvery       updates between evaluations
     * @param evalBatches     batches of the evaluation set
     * @param chronoSteps     T_max of the chrono-initialised {@code lstm} ({@link #chrono}), ≥ 3
     * @param explodingGain   the gain of the {@code rnn_relu}'s orthogonal {@code weight_hh} (parts 1 and 3)
     * @param clipTrainSteps  the budget of part 3
     * @param sgdLearningRate plain SGD's rate in part 3
     * @param clipNormSgd     the clipping threshold of part 3's clipped run
     * @param jacobianRows    rows whose step Jacobians are computed in part 1
     * @param seed            the one seed (model, data, evaluation set and projection)
     */
    public record Config(int steps, int hidden, int batchSize, int trainSteps, double learningRate, double clipNorm,
                         int evalEvery, int evalBatches, int chronoSteps, double explodingGain, int clipTrainSteps,
                         double sgdLearningRate, double clipNormSgd, int jacobianRows, long seed) {
        public Config {
            if (steps < 2 || hidden < 1 || batchSize < 1 || trainSteps < 1 || clipTrainSteps < 1 || evalEvery < 1 || evalBatches < 1) {
                throw new CellConfig.InvalidConfigException("experiment sizes must be positive (steps ≥ 2)");
            }
            if (chronoSteps < 3) {
                throw new CellConfig.InvalidConfigException("chrono init needs T_max ≥ 3, got " + chronoSteps);
            }
            if (!(clipNormSgd > 0)) {
                throw new CellConfig.InvalidConfigException("the clipped run needs a clipping threshold > 0, got " + clipNormSgd);
            }
        }

        /** The documented experiment: T = 100, H = 64, batch 32; see the README for the figures it gives. */
        public static Config standard() {
            return new Config(100, 64, 32, 2000, 3e-3, 1.0, 100, 8, 100, 1.5, 300, 0.05, 1.0, 2, 2024);
        }

        /**
         * A smoke-check version ({@code rnnlab experiment vanishing --quick}, seconds): T = 50, H = 32, 1000
         * updates in part 2, the exploding {@code rnn_relu} at gain 2 (at T = 50 a gain of 1.5 grows the
         * gradient too little to overflow), 150 updates in part 3; the seed and the rest as {@link #standard()}.
         */
        public static Config quick() {
            return new Config(50, 32, 32, 1000, 3e-3, 1.0, 100, 4, 50, 2.0, 150, 0.05, 1.0, 2, 2024);
        }

        /** A few-second version for tests: T = 20, H = 8. */
        public static Config tiny() {
            return new Config(20, 8, 8, 20, 1e-2, 1.0, 10, 2, 20, 3.0, 20, 0.05, 1.0, 1, 7);
        }

        public Config withSteps(int steps) {
            return new Config(steps, hidden, batchSize, trainSteps, learningRate, clipNorm, evalEvery, evalBatches, chronoSteps,
                    explodingGain, clipTrainSteps, sgdLearningRate, clipNormSgd, jacobianRows, seed);
        }

        public Config withHidden(int hidden) {
            return new Config(steps, hidden, batchSize, trainSteps, learningRate, clipNorm, evalEvery, evalBatches, chronoSteps,
                    explodingGain, clipTrainSteps, sgdLearningRate, clipNormSgd, jacobianRows, seed);
        }

        public Config withTrainSteps(int trainSteps) {
            return new Config(steps, hidden, batchSize, trainSteps, learningRate, clipNorm, evalEvery, evalBatches, chronoSteps,
                    explodingGain, clipTrainSteps, sgdLearningRate, clipNormSgd, jacobianRows, seed);
        }
    }

    /** A named training run of parts 2 and 3. */
    public record Run(String name, TaskTraining.Result result) {
    }

    /**
     * What the experiment found.
     *
     * @param config    the configuration
     * @param diagnoses part 1, in the order of the class comment
     * @param training  part 2: rnn_tanh, lstm, lstm (chrono init), gru
     * @param trained   part 2's models that did not diverge, diagnosed after training on part 1's batch
     * @param clipping  part 3: without, then with clipping
     * @param files     every file written (empty until written: {@link #write}, {@link #withFiles})
     */
    public record Result(Config config, List<Diagnosis> diagnoses, List<Run> training, List<Diagnosis> trained, List<Run> clipping,
                         List<Path> files) {
        public Result {
            diagnoses = List.copyOf(diagnoses);
            training = List.copyOf(training);
            trained = List.copyOf(trained);
            clipping = List.copyOf(clipping);
            files = List.copyOf(files);
        }

        /** The diagnosis named {@code name} (at initialisation, or after training for "… (trained)"). */
        public Diagnosis diagnosis(String name) {
            return java.util.stream.Stream.concat(diagnoses.stream(), trained.stream()).filter(d -> d.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no diagnosis named " + name));
        }

        /** The training run named {@code name} (part 2 or 3). */
        public Run run(String name) {
            List<Run> all = new ArrayList<>(training);
            all.addAll(clipping);
            return all.stream().filter(r -> r.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no training run named " + name));
        }

        /** This result with {@code files} as its files. */
        public Result withFiles(List<Path> files) {
            return new Result(config, diagnoses, training, trained, clipping, files);
        }

        /**
         * Writes every part's CSV and PNG files under {@code dir} (created if needed): {@code diagnose/}
         * and {@code trained/} as {@link DiagnosticReport#writeAll}, {@code adding/} and {@code clipping/} as
         * {@link TaskComparison#writeAll}; each file atomically.
         *
         * @return the files written, in the order of {@link #fileNames()}
         */
        public List<Path> write(Path dir) throws IOException {
            List<Path> files = new ArrayList<>();
            files.addAll(DiagnosticReport.writeAll(dir.resolve(DIAGNOSE_DIR), diagnoses));
            files.addAll(TaskComparison.writeAll(dir.resolve(ADDING_DIR), entries(training)));
            files.addAll(DiagnosticReport.writeAll(dir.resolve(TRAINED_DIR), trained));
            files.addAll(TaskComparison.writeAll(dir.resolve(CLIPPING_DIR), entries(clipping)));
            return files;
        }

        /** The three parts' tables and a line per claim, as text. */
        public String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "Adding problem, T = %d, H = %d, batch %d, seed %d%n%n", config.steps(),
                    config.hidden(), config.batchSize(), config.seed()));
            sb.append("1. Gradient of a loss at T, back through time, at initialisation\n");
            sb.append(DiagnosticReport.table(diagnoses)).append('\n');
            sb.append(DiagnosticReport.spectraTable(diagnoses.stream().filter(d -> !d.cell().equals("lstm") && !d.cell().equals("gru")).toList()))
                    .append('\n');
            sb.append(String.format(Locale.ROOT, "2. Training, same budget: %d updates of Adam (lr %s) on batches of %d, clip %s%n",
                    config.trainSteps(), config.learningRate(), config.batchSize(), config.clipNorm()));
            sb.append(TaskComparison.table(entries(training))).append('\n');
            sb.append("   The trained models, diagnosed on the same batch:\n");
            sb.append(DiagnosticReport.table(trained)).append('\n');
            sb.append(String.format(Locale.ROOT, "3. Clipping: rnn_relu, orthogonal weight_hh x %s, plain SGD (lr %s), %d updates,"
                    + " without and with clip %s%n", config.explodingGain(), config.sgdLearningRate(), config.clipTrainSteps(), config.clipNormSgd()));
            sb.append(TaskComparison.table(entries(clipping)));
            for (Run r : clipping) {
                if (r.result().diverged()) {
                    sb.append("   ").append(r.name()).append(": ").append(r.result().divergence().getMessage()).append('\n');
                }
            }
            return sb.toString();
        }
    }

    /** Hears about the experiment's progress (for a command line). */
    @FunctionalInterface
    public interface Listener {
        /** {@code part} (a run's name) reached {@code point}; {@code point} is null when a diagnosis finished. */
        void progress(String part, TaskTraining.CurvePoint point);

        Listener NONE = (part, point) -> {
        };
    }

    public static final String DEFAULT_TANH = "rnn_tanh (uniform 1/sqrt(H))";
    public static final String ORTHOGONAL_TANH = "rnn_tanh (orthogonal)";
    public static final String LSTM = "lstm";
    public static final String LSTM_CHRONO = "lstm (chrono init)";
    public static final String GRU = "gru";
    public static final String EXPLODING_RELU = "rnn_relu (orthogonal x gain)";
    public static final String UNCLIPPED = "rnn_relu, no clipping";
    public static final String CLIPPED = "rnn_relu, clipped";

    private LectureExperiment() {
    }

    /** The sub-folders of the experiment's output, one per part ({@link Result#write}). */
    public static final String DIAGNOSE_DIR = "diagnose", ADDING_DIR = "adding", TRAINED_DIR = "trained", CLIPPING_DIR = "clipping";

    /**
     * Every file {@link Result#write} writes, relative to its folder ({@code diagnose/gradient_norms.csv}, …),
     * in the order it writes them.
     */
    public static List<String> fileNames() {
        List<String> names = new ArrayList<>();
        for (String f : DiagnosticReport.FILES) {
            names.add(DIAGNOSE_DIR + "/" + f);
        }
        for (String f : TaskComparison.FILES) {
            names.add(ADDING_DIR + "/" + f);
        }
        for (String f : DiagnosticReport.FILES) {
            names.add(TRAINED_DIR + "/" + f);
        }
        for (String f : TaskComparison.FILES) {
            names.add(CLIPPING_DIR + "/" + f);
        }
        return List.copyOf(names);
    }

    /**
     * Runs the three parts and writes their files under {@code dir} ({@link Result#write}).
     *
     * @param cells resolves a cell id to its provider ({@code rnn_tanh}, {@code rnn_relu}, {@code lstm}, {@code gru})
     * @param ops   float32 operations for training
     * @return the result, its {@link Result#files()} the files written
     */
    public static Result run(Function<String, CellProvider> cells, F32Ops ops, Config config, Path dir, Listener listener)
            throws IOException {
        Result r = run(cells, ops, config, listener);
        return r.withFiles(r.write(dir));
    }

    /**
     * Runs the three parts without writing anything ({@link Result#files()} is empty); {@link Result#write}
     * writes the files afterwards.
     *
     * @param cells resolves a cell id to its provider ({@code rnn_tanh}, {@code rnn_relu}, {@code lstm}, {@code gru})
     * @param ops   float32 operations for training
     */
    public static Result run(Function<String, CellProvider> cells, F32Ops ops, Config config, Listener listener) {
        SequenceTask task = new AddingTask(new AddingTask.Config(config.steps(), config.batchSize()));

        // 1. diagnosis at initialisation, on one batch of the task
        record Setup(String name, String cell, ParameterInit init) {
        }
        ParameterInit defaults = ParameterInit.defaults();
        List<Setup> setups = List.of(
                new Setup(DEFAULT_TANH, "rnn_tanh", defaults),
                new Setup(ORTHOGONAL_TANH, "rnn_tanh", defaults.with(Role.RECURRENT_WEIGHT, Initializers.orthogonal(1.0))),
                new Setup(LSTM, "lstm", defaults),
                new Setup(LSTM_CHRONO, "lstm", chrono(config.chronoSteps())),
                new Setup(GRU, "gru", defaults),
                new Setup(EXPLODING_RELU, "rnn_relu", exploding(config)));
        GradientFlow.Config flow = GradientFlow.Config.defaults().withSeed(config.seed()).withJacobians(config.jacobianRows(), 1);
        List<Diagnosis> diagnoses = new ArrayList<>();
        TaskTraining.Prepared batch = TaskTraining.prepare(task.sample(new Rng(config.seed())));
        for (Setup s : setups) {
            CellProvider p = cells.apply(s.cell());
            SequenceModel<float[]> m = TaskTraining.createModel(ops, task, p, new TaskTraining.Model(config.hidden(), 1, Map.of(), s.init()),
                    new Rng(config.seed()));
            diagnoses.add(Diagnosis.of(s.name(), p, m, batch.batch(), flow));
            listener.progress(s.name(), null);
        }

        // 2. the same budget for rnn_tanh, lstm and gru
        TaskTraining.Config train = new TaskTraining.Config(TaskTraining.Model.of(config.hidden()), TaskTraining.OptimizerKind.ADAM,
                new LearningRate.Constant(config.learningRate()), config.clipNorm(), config.trainSteps(), config.evalEvery(),
                config.evalBatches(), config.seed(), TaskTraining.Config.SOLVED_GAP);
        List<Run> training = new ArrayList<>();
        for (Setup s : List.of(new Setup("rnn_tanh", "rnn_tanh", defaults), new Setup(LSTM, "lstm", defaults),
                new Setup(LSTM_CHRONO, "lstm", chrono(config.chronoSteps())), new Setup(GRU, "gru", defaults))) {
            TaskTraining.Config c = train.withModel(train.model().withInit(s.init()));
            training.add(new Run(s.name(), TaskTraining.run(ops, task, cells.apply(s.cell()), c, p -> listener.progress(s.name(), p))));
        }
        List<Diagnosis> trained = new ArrayList<>();
        for (Run r : training) {
            if (!r.result().diverged()) {
                trained.add(Diagnosis.of(r.name() + " (trained)", cells.apply(r.result().cell()), r.result().model(), batch.batch(), flow));
                listener.progress(r.name() + " (trained)", null);
            }
        }

        // 3. the exploding configuration with plain SGD, without and with clipping
        TaskTraining.Config sgd = new TaskTraining.Config(TaskTraining.Model.of(config.hidden()).withInit(exploding(config)),
                TaskTraining.OptimizerKind.SGD, new LearningRate.Constant(config.sgdLearningRate()), 0, config.clipTrainSteps(),
                Math.max(1, config.clipTrainSteps() / 10), config.evalBatches(), config.seed(), TaskTraining.Config.SOLVED_GAP);
        List<Run> clipping = new ArrayList<>();
        CellProvider relu = cells.apply("rnn_relu");
        clipping.add(new Run(UNCLIPPED, TaskTraining.run(ops, task, relu, sgd, p -> listener.progress(UNCLIPPED, p))));
        clipping.add(new Run(CLIPPED, TaskTraining.run(ops, task, relu, sgd.withClipNorm(config.clipNormSgd()),
                p -> listener.progress(CLIPPED, p))));
        return new Result(config, diagnoses, training, trained, clipping, List.of());
    }

    /**
     * The chrono initialisation of an LSTM (Tallec &amp; Ollivier, "Can recurrent neural networks warp
     * time?", ICLR 2018), for dependencies up to {@code tMax} steps: forget-gate biases
     * {@code b_f ~ log U(1, tMax − 1)}, input-gate biases {@code b_i = −b_f}, other biases 0, so that unit
     * k's cell state forgets over about {@code e^{b_f}} steps from the start. Written into
     * {@code bias_ih} (gate order i, f, g, o) with {@code bias_hh} zero; the weights keep their default.
     */
    public static ParameterInit chrono(int tMax) {
        Initializer biasIh = (values, shape, config, rng) -> {
            int h = config.hiddenSize();
            if (values.length < 2 * h) {
                throw new CellConfig.InvalidConfigException("chrono init needs the i and f gate blocks (2H = " + 2 * h
                        + " biases), got " + values.length);
            }
            java.util.Arrays.fill(values, 0);
            for (int k = 0; k < h; k++) {
                double bf = Math.log(rng.uniform(1, tMax - 1));
                values[h + k] = bf;       // f
                values[k] = -bf;          // i
            }
        };
        return ParameterInit.defaults().with("bias_ih", biasIh).with("bias_hh", Initializers.zeros());
    }

    /** The exploding {@code rnn_relu} initialisation: orthogonal {@code weight_hh} times the gain. */
    static ParameterInit exploding(Config config) {
        return ParameterInit.defaults().with(Role.RECURRENT_WEIGHT, Initializers.orthogonal(config.explodingGain()));
    }

    /**
     * An initializer of a stacked (G·H) bias: {@code base}, then {@code delta} added to gate block
     * {@code gate} (rows gate·H … (gate+1)·H − 1).
     */
    public static Initializer gateShift(int gate, double delta, Initializer base) {
        return (values, shape, config, rng) -> {
            base.fill(values, shape, config, rng);
            int h = config.hiddenSize();
            if ((gate + 1) * h > values.length) {
                throw new CellConfig.InvalidConfigException("gate " + gate + " of a block of " + values.length
                        + " values: expected at least " + (gate + 1) * h);
            }
            for (int i = gate * h; i < (gate + 1) * h; i++) {
                values[i] += delta;
            }
        };
    }

    static List<TaskComparison.Entry> entries(List<Run> runs) {
        return runs.stream().map(r -> new TaskComparison.Entry(r.name(), r.result())).toList();
    }
}
