package io.github.rnnlab.cli;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.checkpoint.Checkpoint;
import io.github.rnnlab.checkpoint.TrainingConfig;
import io.github.rnnlab.checkpoint.TrainingState;
import io.github.rnnlab.data.NotEnoughTokensException;
import io.github.rnnlab.kernel.WorkerTeam;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.train.Bptt;
import io.github.rnnlab.train.Trainer;
import io.github.rnnlab.train.optim.Adam;
import io.github.rnnlab.train.optim.LearningRate;
import io.github.rnnlab.train.optim.OptimizerConfig;
import io.github.rnnlab.train.optim.Sgd;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rnnlab train}: trains a character-level language model on a UTF-8 text ({@code --data FILE}, by default
 * the embedded tiny Shakespeare) and writes a checkpoint and the loss curve. With no options it is the README's
 * main job: an LSTM that learns visibly in about five minutes on two cores.
 *
 * <p>The command builds a {@link TrainingConfig} (or takes the one of {@code --resume}'s checkpoint), a
 * {@link Workload} ({@link CharWorkload} for a text; {@link TaskWorkload}, through {@link TaskTrain}, for a synthetic
 * task chosen by {@code --task}, exclusive with {@code --data}), checks everything it can before creating any file,
 * and hands over to the {@link TrainingLoop}.
 */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpAutoWidth = false,
        description = {
            "Trains a character-level language model, or a model of a synthetic long-range task (--task), and saves a "
                    + "checkpoint and its loss curve.",
            "",
            "Without options: an LSTM (1 layer of " + TrainCommand.DEFAULT_HIDDEN + ") on the embedded tiny "
                    + "Shakespeare, " + TrainCommand.DEFAULT_STEPS + " steps of " + TrainCommand.DEFAULT_BATCH + " x "
                    + TrainCommand.DEFAULT_SEQ_LEN + " characters, at most " + TrainCommand.DEFAULT_TIME + ": about "
                    + "five minutes on two cores, ending well below the unigram baseline.",
            "",
            "Every so often: the validation loss (nats and bits per character, against the unigram baseline), a "
                    + "sample, and a checkpoint. Written to the --out folder: the checkpoint, loss.csv and loss.png. "
                    + "Ctrl-C stops after the current step and saves a checkpoint; --resume continues it exactly."},
        footerHeading = "%nSynthetic tasks (--task):%n",
        footer = {
            "  adding  the sum of the two marked values of T random ones",
            "          (metric MSE; baseline 1/6, predicting 1)",
            "  copy    recall 10 symbols after a delay of T blanks",
            "          (metric recall accuracy; baseline 1/8)",
            "  reber   the next symbol of the embedded Reber grammar, strings up to T",
            "          (metric legal-next-symbol accuracy)",
            "  parity  the parity of T random bits (metric accuracy; baseline 1/2)",
            "Defaults with --task: cell " + TrainCommand.DEFAULT_CELL + ", adam at a constant rate, clip "
                    + TrainCommand.DEFAULT_CLIP + ", batch " + TaskDefaults.BATCH + ", no time limit, and per task:",
            "  adding  --seq-len " + TaskDefaults.ADDING_T + "  --hidden " + TaskDefaults.ADDING_H + "  --lr "
                    + TaskDefaults.ADDING_LR + "  --steps " + TaskDefaults.ADDING_STEPS,
            "  copy    --seq-len " + TaskDefaults.COPY_T + "  --hidden " + TaskDefaults.COPY_H + "  --lr "
                    + TaskDefaults.COPY_LR + "  --steps " + TaskDefaults.COPY_STEPS,
            "  reber   --seq-len " + TaskDefaults.REBER_T + "  --hidden " + TaskDefaults.REBER_H + "  --lr "
                    + TaskDefaults.REBER_LR + "  --steps " + TaskDefaults.REBER_STEPS,
            "  parity  --seq-len " + TaskDefaults.PARITY_T + "  --hidden " + TaskDefaults.PARITY_H + "  --lr "
                    + TaskDefaults.PARITY_LR + "  --steps " + TaskDefaults.PARITY_STEPS,
            "An evaluation (loss and metric on " + TaskTrain.DEFAULT_EVAL_BATCHES + " held-out batches, the same at every "
                    + "evaluation) every tenth of the steps; the checkpoint resumes exactly (--resume). The same seed and "
                    + "settings train the same model as the cell's run in 'rnnlab compare'."})
final class TrainCommand extends CliCommand {
    static final String DEFAULT_CELL = "lstm";
    static final int DEFAULT_HIDDEN = 256;
    static final int DEFAULT_LAYERS = 1;
    static final int DEFAULT_EMBEDDING = 64;
    static final int DEFAULT_SEQ_LEN = 64;
    static final int DEFAULT_BATCH = 32;
    static final long DEFAULT_STEPS = 2500;
    static final String DEFAULT_TIME = "4m30s";
    static final double DEFAULT_LR = 6e-3;
    static final double DEFAULT_CLIP = 1.0;
    static final double DEFAULT_WEIGHT_DECAY = 0.01;
    static final double DEFAULT_VALIDATION = 0.1;
    static final int DEFAULT_EVAL_CHARS = 32_768;
    static final String CHECKPOINT = "checkpoint.safetensors";

    /** The optimizers. */
    enum OptimizerKind {
        ADAMW, ADAM, SGD, MOMENTUM;

        /** The command-line name of a stored optimizer configuration. */
        static String of(OptimizerConfig config) {
            if (config instanceof OptimizerConfig.Sgd sgd) {
                return sgd.config().momentum() > 0 ? "momentum" : "sgd";
            }
            return config.kind();
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }

        static final class Converter extends EnumConverter<OptimizerKind> {
            Converter() {
                super(OptimizerKind.class);
            }
        }
    }

    /** The learning-rate schedules (after the warm-up). */
    enum ScheduleKind {
        COSINE, CONSTANT;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }

        static final class Converter extends EnumConverter<ScheduleKind> {
            Converter() {
                super(ScheduleKind.class);
            }
        }
    }

    // ---- the model ----
    @Option(names = "--cell", paramLabel = "ID", order = 1,
            description = "The recurrent cell, any id of 'rnnlab cells' (plugins too); default: " + DEFAULT_CELL + ".")
    String cell;

    @Option(names = "--hidden", paramLabel = "N", order = 2, description = "Hidden units per layer; default: " + DEFAULT_HIDDEN + ".")
    Integer hidden;

    @Option(names = "--layers", paramLabel = "N", order = 3, description = "Stacked layers; default: " + DEFAULT_LAYERS + ".")
    Integer layers;

    @Option(names = "--embedding", paramLabel = "N", order = 4,
            description = "Size of the character embedding; default: " + DEFAULT_EMBEDDING + ".")
    Integer embedding;

    @Option(names = "--dropout", paramLabel = "P", order = 5,
            description = "Dropout between layers (training only), in [0, 1); default: 0.")
    Double dropout;

    @Option(names = "--option", paramLabel = "NAME=VALUE", order = 6,
            description = "A cell option (repeatable), e.g. --option beta=0.5 for janet.")
    Map<String, String> cellOptions;

    @Option(names = "--init", paramLabel = "BLOCK=INIT", order = 7,
            description = "The initializer of a recurrent parameter block (repeatable): BLOCK is a block of the cell "
                    + "(weight_hh, weight_ih, bias_ih, bias_hh, ...) or a role (recurrent_weight, input_weight, "
                    + "input_bias, recurrent_bias); INIT is " + Inits.FORMS + ", e.g. --init weight_hh=orthogonal or "
                    + "--init 'weight_hh=orthogonal(1.5)'. Default: the cell's own initializers.")
    Map<String, String> init;

    // ---- the data ----
    @Option(names = "--data", paramLabel = "FILE", order = 10,
            description = "A UTF-8 text file to learn; default: the embedded tiny Shakespeare (1.1M characters).")
    Path data;

    @Option(names = "--task", paramLabel = "NAME", order = 9,
            description = "Train on a synthetic long-range task instead of a text: adding, copy, reber or parity "
                    + "(not with --data). --seq-len is then the task's T; see 'Synthetic tasks' below for the defaults.")
    String task;

    @Option(names = "--validation", paramLabel = "F", order = 11,
            description = "The share at the end of the text held out for validation, in [0, 0.5]; default: 0.1.")
    Double validation;

    @Option(names = "--seq-len", paramLabel = "T", order = 12,
            description = "Characters per sequence of a batch; default: " + DEFAULT_SEQ_LEN + ". With --task: the "
                    + "task's T (adding, parity: the sequence length; copy: the delay; reber: the longest string).")
    Integer seqLen;

    @Option(names = "--batch", paramLabel = "B", order = 13, description = "Sequences per batch; default: " + DEFAULT_BATCH + ".")
    Integer batch;

    @Option(names = "--batching", paramLabel = "KIND", order = 14, converter = CharWorkload.Batching.Converter.class,
            description = "sequential: B contiguous streams, each batch continuing the last one with the state "
                    + "carried over (default); random: B windows at random places, from a zero state.")
    CharWorkload.Batching batching;

    @Option(names = "--bptt", paramLabel = "full|K", order = 15,
            description = "Back-propagation through time: full (through each whole sequence of --seq-len, the "
                    + "default) or K: truncated every K steps, one update per K steps (also K1,K2).")
    String bptt;

    // ---- the optimization ----
    @Option(names = "--optimizer", paramLabel = "NAME", order = 20, converter = OptimizerKind.Converter.class,
            description = "adamw (default; adam for --task), adam, sgd (plain) or momentum (SGD with momentum 0.9).")
    OptimizerKind optimizer;

    @Option(names = "--lr", paramLabel = "RATE", order = 21, description = "Peak learning rate; default: 0.006 (sgd: 1.0).")
    Double lr;

    @Option(names = "--schedule", paramLabel = "KIND", order = 22, converter = ScheduleKind.Converter.class,
            description = "After the warm-up: cosine (down to lr/10 at the last step, default) or constant.")
    ScheduleKind schedule;

    @Option(names = "--warmup", paramLabel = "STEPS", order = 23,
            description = "Steps of linear warm-up from lr/10; default: 5%% of the steps, at most 100.")
    Long warmup;

    @Option(names = "--weight-decay", paramLabel = "L", order = 24,
            description = "Weight decay (decoupled for adamw); default: 0.01 for adamw, 0 otherwise.")
    Double weightDecay;

    @Option(names = "--clip", paramLabel = "NORM", order = 25,
            description = "Clip the global gradient norm to NORM, 0 for none; default: " + DEFAULT_CLIP + ".")
    Double clip;

    // ---- how long ----
    @Option(names = "--steps", paramLabel = "N", order = 30,
            description = "Updates to train for; default: " + DEFAULT_STEPS + " (with --time " + DEFAULT_TIME + ").")
    Long steps;

    @Option(names = "--epochs", paramLabel = "E", order = 31,
            description = "Passes over the training text, instead of --steps (may be fractional).")
    Double epochs;

    @Option(names = "--time", paramLabel = "DURATION", order = 32, converter = DurationConverter.class,
            description = "Stop training after this long (e.g. 90s, 5m, 1h), then evaluate and save as at the end. "
                    + "Without --steps or --epochs the default is " + DEFAULT_TIME + "; otherwise none.")
    Duration time;

    @Option(names = "--stop-at", paramLabel = "STEP", order = 33,
            description = "Stop this session at STEP (saving a checkpoint); the schedule still runs to --steps, "
                    + "so --resume continues exactly.")
    Long stopAt;

    // ---- the run ----
    @Option(names = "--seed", paramLabel = "S", order = 40, description = "Seed of the initialisation, dropout and batches; default: 1.")
    Long seed;

    @Option(names = "--threads", paramLabel = "N", order = 41,
            description = "Worker threads; default: one per processor. A resumed run is bit-identical with the same count.")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", order = 42,
            description = "Output folder; default: runs/<date-time>, or the folder of --resume's checkpoint.")
    Path out;

    @Option(names = "--checkpoint", paramLabel = "FILE", order = 43,
            description = "Where to save the checkpoint; default: the file " + CHECKPOINT + " in the --out folder.")
    Path checkpoint;

    @Option(names = "--resume", paramLabel = "CKPT", order = 44,
            description = "Continue the run saved in CKPT (its configuration, data position and generators), bit for "
                    + "bit as if it had not stopped (with the same --threads).")
    Path resume;

    @Option(names = "--checkpoint-every", paramLabel = "STEPS", order = 45,
            description = "Save a checkpoint every STEPS steps (0: only at the end); default: as --eval-every.")
    Long checkpointEvery;

    @Option(names = "--eval-every", paramLabel = "STEPS", order = 46,
            description = "Validation loss every STEPS steps (0: only at the end); default: a tenth of the steps.")
    Long evalEvery;

    @Option(names = "--eval-batches", paramLabel = "N", order = 47,
            description = "With --task: batches in the held-out evaluation set (the same set at every evaluation); "
                    + "default: " + TaskTrain.DEFAULT_EVAL_BATCHES + ".")
    Integer evalBatches;

    @Option(names = "--eval-chars", paramLabel = "N", order = 47,
            description = "Validation characters the periodic evaluations read (windows spread over the whole "
                    + "validation text); the final one reads all; default: " + DEFAULT_EVAL_CHARS + ".")
    Integer evalChars;

    @Option(names = "--log-every", paramLabel = "STEPS", order = 48,
            description = "A row of loss.csv every STEPS steps; default: a two-hundredth of the steps, at most 100.")
    Long logEvery;

    @Option(names = "--sample-every", paramLabel = "STEPS", order = 49,
            description = "Print a sample every STEPS steps (0: only at the end); default: as --eval-every.")
    Long sampleEvery;

    @Option(names = "--sample-length", paramLabel = "N", order = 50,
            description = "Characters per sample (0: none); default: 300.")
    Integer sampleLength;

    @Option(names = "--temperature", paramLabel = "T", order = 51,
            description = "Temperature of the samples (0: most likely characters); default: 0.8.")
    Double temperature;

    @Mixin
    ProgressOptions progress;

    @Mixin
    PluginOptions plugins;

    /** Where a run's outputs go and what it continues from. */
    private record Plan(TrainingConfig config, CharData data, TrainingState resumed, long total, Duration timeLimit) {
    }

    /** Prints a run's header once its schedule and outputs are known. */
    @FunctionalInterface
    interface Header {
        void print(PrintWriter o, TrainingLoop.Schedule schedule, Path outDir, Path checkpoint);
    }

    /** Prints a run's summary and returns the exit code. */
    @FunctionalInterface
    interface Summary {
        int print(PrintWriter o, TrainingLoop.Result result, TrainingLoop.Outputs outputs);
    }

    @Override
    protected int run() {
        checkRanges();
        if (task != null && data != null) {
            throw new UsageException("--task and --data both say what to train on; give one of them",
                    "--data FILE trains a character model on a text, --task NAME a model on a synthetic task");
        }
        long started = terminal().clock().getAsLong();
        PrintWriter o = terminal().out();
        try (CellRegistry registry = plugins.registry(terminal())) {
            int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            WorkerTeam team = threadCount > 1 ? new WorkerTeam(threadCount) : null;
            try {
                F32Ops ops = team == null ? F32Ops.standard() : F32Ops.with(team);
                if (task != null || (resume != null && TaskTrain.isTaskCheckpoint(resume))) {
                    return new TaskTrain(this, registry, ops, threadCount, started).run();
                }
                if (evalBatches != null) {
                    throw new UsageException("--eval-batches is for --task runs; a character model validates on --eval-chars");
                }
                Plan plan = resume == null ? fresh(registry, ops, threadCount) : resumed(registry, ops, threadCount);
                TrainingConfig config = plan.config();
                TrainingState state = plan.resumed() != null ? plan.resumed()
                        : TrainingState.start(config, registry.provider(config.cell()), plan.data().vocabulary(), ops);
                if (plan.resumed() == null && init != null) {
                    // the recurrent blocks --init names get their initializer; every other block the same values as before
                    Inits.apply(state.model().parameters(), Inits.parse(init), new Rng(config.seed()).split());
                }
                CharWorkload work = workload(state, plan.data(), config);
                return train(work, plan.total(), plan.timeLimit(), LossLog.forText(), config.cell() + ", " + plan.data().name(),
                        (out, schedule, outDir, ckpt) -> header(out, state, plan, work, schedule, threadCount, outDir, ckpt),
                        (out, result, outputs) -> summary(out, result, plan, outputs, started));
            } finally {
                if (team != null) {
                    team.close();
                }
            }
        }
    }

    /**
     * Runs the {@link TrainingLoop} on {@code work} until step {@code total} (or {@code --stop-at}, the time limit,
     * Ctrl-C), into the output folder and checkpoint the options name; the loss curve continues {@code --resume}'s
     * {@code loss.csv} when it has {@code empty}'s columns.
     */
    int train(Workload work, long total, Duration timeLimit, LossLog empty, String title, Header header, Summary summary) {
        TrainingState state = work.state();
        PrintWriter o = terminal().out();
        if (state.step() >= total) {
            throw new UsageException("the checkpoint is at step " + Format.grouped(state.step()) + ", the run's last ("
                    + Format.grouped(total) + ")", "Give a larger --steps to train it further");
        }
        long stop = stopAt == null ? total : stopAt;
        if (stop <= state.step()) {
            throw new UsageException("--stop-at " + stop + " is not after the checkpoint's step " + state.step());
        }
        TrainingLoop.Schedule schedule = schedule(state.config(), total, stop, timeLimit);
        Path outDir = outFolder();
        Path ckpt = checkpoint != null ? checkpoint : outDir.resolve(CHECKPOINT);
        LossLog previous = resume == null ? empty
                : empty.readUpTo(resume.toAbsolutePath().getParent().resolve("loss.csv"), state.step());
        try (OutputDir dir = OutputDir.open(outDir, "--out");
             OutputDir ckptDir = inside(ckpt, dir) ? null : OutputDir.open(ckptParent(ckpt), "--checkpoint")) {
            if (Files.isDirectory(ckpt)) {
                throw new CliException("--checkpoint " + ckpt + " is a folder", "Give a file name, e.g. "
                        + ckpt.resolve(CHECKPOINT));
            }
            TrainingLoop.Outputs outputs = new TrainingLoop.Outputs(dir, ckptDir,
                    ckptDir == null ? dir.path().relativize(ckpt.toAbsolutePath().normalize()).toString()
                            : ckpt.getFileName().toString(), title);
            header.print(o, schedule, outDir, ckpt);
            TrainingLoop loop = new TrainingLoop(work, schedule, outputs, previous, terminal(), progress.mode());
            TrainingLoop.Result result = loop.run();
            return summary.print(o, result, outputs);
        }
    }

    // ---- configuration ---------------------------------------------------------------------------------------

    private void checkRanges() {
        positive("--hidden", hidden);
        positive("--layers", layers);
        positive("--embedding", embedding);
        positive("--seq-len", seqLen);
        positive("--batch", batch);
        positive("--threads", threads);
        if (sampleLength != null && sampleLength < 0) {
            throw new UsageException("--sample-length must be 0 (no samples) or more, got " + sampleLength);
        }
        if (dropout != null && !(dropout >= 0 && dropout < 1)) {
            throw new UsageException("--dropout must be in [0, 1), got " + dropout);
        }
        if (validation != null && !(validation >= 0 && validation <= 0.5)) {
            throw new UsageException("--validation must be in [0, 0.5], got " + validation);
        }
        if (lr != null && !(lr > 0 && Double.isFinite(lr))) {
            throw new UsageException("--lr must be a positive number, got " + lr);
        }
        if (weightDecay != null && !(weightDecay >= 0 && Double.isFinite(weightDecay))) {
            throw new UsageException("--weight-decay must be 0 or more, got " + weightDecay);
        }
        if (clip != null && !(clip >= 0 && Double.isFinite(clip))) {
            throw new UsageException("--clip must be 0 (none) or more, got " + clip);
        }
        if (temperature != null && !(temperature >= 0 && Double.isFinite(temperature))) {
            throw new UsageException("--temperature must be 0 or more, got " + temperature);
        }
        if (steps != null && epochs != null) {
            throw new UsageException("--steps and --epochs both say how long to train; give one of them");
        }
        if (steps != null && steps < 1) {
            throw new UsageException("--steps must be at least 1, got " + steps);
        }
        if (epochs != null && !(epochs > 0 && Double.isFinite(epochs))) {
            throw new UsageException("--epochs must be positive, got " + epochs);
        }
        if (stopAt != null && stopAt < 1) {
            throw new UsageException("--stop-at must be at least 1, got " + stopAt);
        }
        if (warmup != null && warmup < 0) {
            throw new UsageException("--warmup must be 0 or more, got " + warmup);
        }
        if (evalChars != null && evalChars < 2) {
            throw new UsageException("--eval-chars must be at least 2, got " + evalChars);
        }
        for (Map.Entry<String, Long> e : Map.of("--eval-every", nz(evalEvery), "--sample-every", nz(sampleEvery),
                "--checkpoint-every", nz(checkpointEvery)).entrySet()) {
            if (e.getValue() < 0) {
                throw new UsageException(e.getKey() + " must be 0 or more, got " + e.getValue());
            }
        }
        if (logEvery != null && logEvery < 1) {
            throw new UsageException("--log-every must be at least 1, got " + logEvery);
        }
        if (bptt != null) {
            parseBptt(bptt);
        }
        if (threads != null && threads > 1024) {
            throw new UsageException("--threads must be at most 1024, got " + threads);
        }
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }

    static void positive(String option, Integer value) {
        if (value != null && value < 1) {
            throw new UsageException(option + " must be at least 1, got " + value);
        }
    }

    private static Bptt parseBptt(String s) {
        try {
            return Bptt.parse(s);
        } catch (CellConfig.InvalidConfigException e) {
            throw new UsageException("--bptt: " + e.getMessage());
        }
    }

    /** A new run: the configuration from the options and their defaults. */
    private Plan fresh(CellRegistry registry, F32Ops ops, int threadCount) {
        String id = cell == null ? DEFAULT_CELL : cell;
        CellProvider provider = Cells.provider(registry, id, "--cell");
        double val = validation == null ? DEFAULT_VALIDATION : validation;
        CharData text = data == null ? CharData.embedded(val) : CharData.load(data, "--data", val);
        int t = seqLen == null ? DEFAULT_SEQ_LEN : seqLen;
        int b = batch == null ? DEFAULT_BATCH : batch;
        CharWorkload.Batching kind = batching == null ? CharWorkload.Batching.SEQUENTIAL : batching;
        requireEnoughText(text, t, b, kind);
        Bptt truncation = bptt == null ? Bptt.full() : parseBptt(bptt);
        long updatesPerBatch = updatesPerBatch(truncation, t);
        long total;
        if (epochs != null) {
            long batches = epochBatches(epochs, batchesPerEpoch(text, t, b, kind));
            total = Math.max(1, batches * updatesPerBatch);
        } else {
            total = steps == null ? DEFAULT_STEPS : steps;
        }
        Duration limit = time != null ? time : steps == null && epochs == null ? DurationConverter.parse(DEFAULT_TIME) : null;

        int v = text.vocabulary().size();
        int e = embedding == null ? DEFAULT_EMBEDDING : embedding;
        RecurrentConfig rnn = new RecurrentConfig(e, hidden == null ? DEFAULT_HIDDEN : hidden,
                layers == null ? DEFAULT_LAYERS : layers, Directions.FORWARD, dropout == null ? 0 : dropout,
                cellOptions == null ? Map.of() : cellOptions);
        SequenceModel.Config model;
        try {
            model = new SequenceModel.Config(new SequenceModel.Tokens(v, e), rnn, v, SequenceModel.Objective.CROSS_ENTROPY);
            provider.create(new CellConfig(e, rnn.hiddenSize(), rnn.options()));
        } catch (CellConfig.InvalidConfigException ex) {
            throw new UsageException("cell " + id + ": " + ex.getMessage(), "See 'rnnlab cells' and the cell's options");
        }
        OptimizerKind opt = optimizer == null ? OptimizerKind.ADAMW : optimizer;
        double rate = lr != null ? lr : opt == OptimizerKind.SGD || opt == OptimizerKind.MOMENTUM ? 1.0 : DEFAULT_LR;
        double decay = weightDecay != null ? weightDecay : opt == OptimizerKind.ADAMW ? DEFAULT_WEIGHT_DECAY : 0;
        OptimizerConfig optimizerConfig = switch (opt) {
            case ADAMW -> new OptimizerConfig.Adam(Adam.Config.adamW().withWeightDecay(decay));
            case ADAM -> new OptimizerConfig.Adam(Adam.Config.adam().withWeightDecay(decay));
            case SGD -> new OptimizerConfig.Sgd(new Sgd.Config(0, 0, false, decay));
            case MOMENTUM -> new OptimizerConfig.Sgd(new Sgd.Config(0.9, 0, false, decay));
        };
        long warm = warmup != null ? warmup : Math.min(100, total / 20);
        warm = Math.min(warm, Math.max(0, total - 1));
        LearningRate after = (schedule == null || schedule == ScheduleKind.COSINE)
                ? new LearningRate.Cosine(rate, Math.max(1, total - warm), rate / 10)
                : new LearningRate.Constant(rate);
        LearningRate lrs = warm > 0 ? new LearningRate.Warmup(warm, 0.1, after) : after;
        Trainer.Config trainer = new Trainer.Config(lrs, clip == null ? DEFAULT_CLIP : clip, 0);

        long log = logEvery != null ? logEvery : Math.max(1, Math.min(total / 200, 100));
        long ev = evalEvery != null ? evalEvery : roundUp(Math.max(1, total / 10), log);
        Map<String, String> extra = new TreeMap<>();
        extra.put("data", text.key());
        extra.put("data.checksum", text.checksum());
        extra.put("validation", Double.toString(val));
        extra.put("batching", kind.toString());
        extra.put("steps", Long.toString(total));
        extra.put("log_every", Long.toString(log));
        extra.put("eval_every", Long.toString(ev));
        extra.put("eval_chars", Integer.toString(evalChars == null ? DEFAULT_EVAL_CHARS : evalChars));
        extra.put("threads", Integer.toString(threadCount));
        if (init != null) {
            Inits.parse(init); // checked before any file is written
            extra.put("init", Inits.describe(init));
        }
        TrainingConfig config = new TrainingConfig(id, model, optimizerConfig, trainer, truncation, t, b,
                seed == null ? 1 : seed, extra);
        return new Plan(config, text, null, total, limit);
    }

    /** A resumed run: the checkpoint's configuration; options that would change it are errors. */
    private Plan resumed(CellRegistry registry, F32Ops ops, int threadCount) {
        TrainingState state = Checkpoints.load(resume, "--resume", registry, cell, "Leave out --cell to continue the "
                + "checkpoint's own cell, or start a new run without --resume", ops);
        TrainingConfig c = state.config();
        Map<String, String> x = c.extra();
        if (state.vocabulary() == null || !x.containsKey("data")) {
            throw new CliException("--resume: checkpoint " + resume + " is not of a character model trained by 'rnnlab train'",
                    "Give a checkpoint written by 'rnnlab train'");
        }
        Map<String, Object[]> fixed = new LinkedHashMap<>();
        RecurrentConfig rnn = c.model().rnn();
        fixed.put("--hidden", new Object[] {hidden, rnn.hiddenSize()});
        fixed.put("--layers", new Object[] {layers, rnn.layers()});
        fixed.put("--embedding", new Object[] {embedding, c.model().input().width()});
        fixed.put("--dropout", new Object[] {dropout, rnn.dropout()});
        fixed.put("--seq-len", new Object[] {seqLen, c.sequenceLength()});
        fixed.put("--batch", new Object[] {batch, c.batch()});
        fixed.put("--bptt", new Object[] {bptt == null ? null : parseBptt(bptt).toString(), c.bptt().toString()});
        fixed.put("--seed", new Object[] {seed, c.seed()});
        fixed.put("--clip", new Object[] {clip, c.trainer().clipNorm()});
        fixed.put("--optimizer", new Object[] {optimizer == null ? null : optimizer.toString(), OptimizerKind.of(c.optimizer())});
        fixed.put("--batching", new Object[] {batching == null ? null : batching.toString(), x.get("batching")});
        fixed.put("--validation", new Object[] {validation, Double.parseDouble(x.getOrDefault("validation", "0.1"))});
        List<String> conflicts = new ArrayList<>();
        fixed.forEach((option, pair) -> {
            if (pair[0] != null && !Objects.equals(pair[0], pair[1])) {
                conflicts.add(option + " " + pair[0] + " (the checkpoint has " + pair[1] + ")");
            }
        });
        if (cellOptions != null) {
            cellOptions.forEach((k, v) -> {
                if (!Objects.equals(rnn.options().get(k), v)) {
                    conflicts.add("--option " + k + "=" + v + " (the checkpoint has " + rnn.options().getOrDefault(k, "none") + ")");
                }
            });
        }
        for (String changed : List.of(lr == null ? "" : "--lr", schedule == null ? "" : "--schedule",
                warmup == null ? "" : "--warmup", weightDecay == null ? "" : "--weight-decay",
                logEvery == null ? "" : "--log-every", evalChars == null ? "" : "--eval-chars")) {
            if (!changed.isEmpty()) {
                conflicts.add(changed + " (fixed by the checkpoint)");
            }
        }
        if (init != null) {
            conflicts.add("--init (the checkpoint's parameters are trained already)");
        }
        if (!conflicts.isEmpty()) {
            throw new UsageException("a resumed run keeps the configuration of its checkpoint, but these options change it: "
                    + String.join(", ", conflicts), "Leave them out, or start a new run without --resume");
        }
        double val = Double.parseDouble(x.getOrDefault("validation", Double.toString(DEFAULT_VALIDATION)));
        CharData text;
        String key = x.get("data");
        if (data != null) {
            text = CharData.load(data, "--data", val);
        } else if (key.equals(CharData.EMBEDDED)) {
            text = CharData.embedded(val);
        } else {
            Path recorded = Path.of(key);
            if (!Files.isRegularFile(recorded)) {
                throw new CliException("--resume: the checkpoint was trained on " + recorded + ", which is not there any more",
                        "Give the same text with --data");
            }
            text = CharData.load(recorded, "the checkpoint's data", val);
        }
        if (!text.checksum().equals(x.get("data.checksum")) || !text.vocabulary().equals(state.vocabulary())) {
            throw new CliException("--resume: " + text.name() + " is not the text the checkpoint was trained on ("
                    + (key.equals(CharData.EMBEDDED) ? "the embedded corpus" : key) + "; its checksum differs)",
                    "Give the same text with --data, or start a new run without --resume");
        }
        int recordedThreads = Integer.parseInt(x.getOrDefault("threads", Integer.toString(threadCount)));
        if (recordedThreads != threadCount) {
            terminal().err().println("rnnlab: warning: the checkpoint was trained with " + recordedThreads
                    + " threads, this session uses " + threadCount + ": it continues correctly, but not bit for bit");
            terminal().err().flush();
        }
        CharWorkload.Batching kind = CharWorkload.Batching.valueOf(x.getOrDefault("batching", "sequential").toUpperCase(Locale.ROOT));
        long total;
        if (steps != null) {
            total = steps;
        } else if (epochs != null) {
            long perBatch = updatesPerBatch(c.bptt(), c.sequenceLength());
            total = Math.max(1, epochBatches(epochs, batchesPerEpoch(text, c.sequenceLength(), c.batch(), kind)) * perBatch);
        } else {
            total = Long.parseLong(x.getOrDefault("steps", Long.toString(state.step() + 1)));
        }
        return new Plan(c, text, state, total, time);
    }

    private CharWorkload workload(TrainingState state, CharData text, TrainingConfig config) {
        Map<String, String> x = config.extra();
        CharWorkload.Batching kind = CharWorkload.Batching.valueOf(x.getOrDefault("batching", "sequential").toUpperCase(Locale.ROOT));
        int chars = Integer.parseInt(x.getOrDefault("eval_chars", Integer.toString(DEFAULT_EVAL_CHARS)));
        try {
            return new CharWorkload(state, text, kind, chars, sampleLength == null ? 300 : sampleLength,
                    temperature == null ? 0.8 : temperature);
        } catch (NotEnoughTokensException e) {
            throw tooShort(text, config.sequenceLength(), config.batch(), kind, e);
        }
    }

    private static void requireEnoughText(CharData text, int t, int b, CharWorkload.Batching kind) {
        long need = kind == CharWorkload.Batching.SEQUENTIAL ? (long) b * (t + 1) : t + 1L;
        if (text.split().trainSize() < need) {
            throw tooShort(text, t, b, kind, null);
        }
    }

    private static CliException tooShort(CharData text, int t, int b, CharWorkload.Batching kind, Throwable cause) {
        long need = kind == CharWorkload.Batching.SEQUENTIAL ? (long) b * (t + 1) : t + 1L;
        String what = kind == CharWorkload.Batching.SEQUENTIAL
                ? "--seq-len " + t + " and --batch " + b + " need at least " + Format.grouped(need)
                + " characters of training text (" + b + " streams of " + (t + 1) + ")"
                : "--seq-len " + t + " needs at least " + Format.grouped(need) + " characters of training text";
        return new CliException(what + ", but " + text.name() + " has " + Format.grouped(text.split().trainSize())
                + (text.split().validationSize() > 0 ? " after holding out " + Format.grouped(text.split().validationSize())
                + " for validation" : ""),
                "Use a shorter --seq-len" + (kind == CharWorkload.Batching.SEQUENTIAL ? " or a smaller --batch" : "")
                        + ", or give more text", cause);
    }

    /** ⌈epochs · perEpoch⌉, forgiving the rounding of a decimal fraction (0.1 · 150 is 15, not 16). */
    private static long epochBatches(double epochs, long perEpoch) {
        return Math.max(1, (long) Math.ceil(epochs * perEpoch - 1e-9 * perEpoch));
    }

    /** Updates one batch of {@code t} steps makes: one per truncation window. */
    private static long updatesPerBatch(Bptt bptt, int t) {
        return bptt.isFull() ? 1 : (t + bptt.forwardSteps() - 1) / bptt.forwardSteps();
    }

    private static long batchesPerEpoch(CharData text, int t, int b, CharWorkload.Batching kind) {
        long n = text.split().trainSize();
        if (kind == CharWorkload.Batching.SEQUENTIAL) {
            long streamLength = n / b;
            return Math.max(1, (streamLength - 1 + t - 1) / t);
        }
        return Math.max(1, (n + (long) t * b - 1) / ((long) t * b));
    }

    TrainingLoop.Schedule schedule(TrainingConfig config, long total, long stop, Duration limit) {
        Map<String, String> x = config.extra();
        long log = Long.parseLong(x.getOrDefault("log_every", "1"));
        long ev = evalEvery != null ? evalEvery : Long.parseLong(x.getOrDefault("eval_every", Long.toString(Math.max(1, total / 10))));
        long samples = sampleEvery != null ? sampleEvery : ev;
        long checkpoints = checkpointEvery != null ? checkpointEvery : ev;
        // a plain progress line every 2.5% of the run, but at least every 500 steps (long runs of tiny models)
        long lines = roundUp(Math.max(1, Math.min(total / 40, 500)), log);
        return new TrainingLoop.Schedule(total, Math.min(stop, total), limit, log, ev, samples, checkpoints, lines);
    }

    private static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    // ---- output ----------------------------------------------------------------------------------------------

    Path outFolder() {
        if (out != null) {
            return out;
        }
        if (resume != null) {
            Path parent = resume.toAbsolutePath().getParent();
            return parent == null ? Path.of(".") : Path.of(Cells.shown(parent));
        }
        return RunFolders.next("");
    }

    private static boolean inside(Path file, OutputDir dir) {
        Path f = file.toAbsolutePath().normalize();
        return f.startsWith(dir.path()) && !f.equals(dir.path());
    }

    private static Path ckptParent(Path ckpt) {
        Path parent = ckpt.toAbsolutePath().normalize().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    private void header(PrintWriter o, TrainingState state, Plan plan, CharWorkload work, TrainingLoop.Schedule s,
                        int threadCount, Path outDir, Path ckpt) {
        TrainingConfig c = plan.config();
        RecurrentConfig rnn = c.model().rnn();
        CharData text = plan.data();
        int params = state.model().parameters().size();
        o.println("rnnlab train: " + c.cell() + ", " + rnn.layers() + (rnn.layers() == 1 ? " layer" : " layers") + " of "
                + rnn.hiddenSize() + (rnn.options().isEmpty() ? "" : " " + rnn.options()) + ", embedding "
                + c.model().input().width() + (rnn.dropout() > 0 ? ", dropout " + rnn.dropout() : "") + ": "
                + Format.grouped(params) + " parameters");
        o.println("data: " + text.name() + ", " + Format.grouped(text.corpus().length()) + " characters ("
                + text.vocabulary().size() + " distinct): " + Format.grouped(text.split().trainSize()) + " for training, "
                + (text.split().validationSize() == 0 ? "none held out for validation (--validation 0)"
                : Format.grouped(text.split().validationSize()) + " for validation (the last "
                + Format.percent(Double.parseDouble(c.extra().getOrDefault("validation", "0.1"))) + ")"));
        double base = text.baselineValidation();
        o.println("unigram baseline: " + Format.loss(text.baseline().entropy()) + " nats/char on the training text"
                + (text.split().validationSize() > 0 ? ", " + Format.loss(base) + " on the validation text" : ""));
        String lrs = describe(c.trainer().learningRate());
        o.println((state.step() > 0 ? "resuming at step " + Format.grouped(state.step()) + " of " : "")
                + Format.grouped(s.total()) + " steps of " + c.batch() + " x " + c.sequenceLength() + " characters ("
                + (work.batching() == CharWorkload.Batching.SEQUENTIAL ? "sequential streams, state carried" : "random windows")
                + ", bptt " + c.bptt() + "); " + OptimizerKind.of(c.optimizer()) + " " + lrs
                + (c.trainer().clipNorm() > 0 ? ", clip " + c.trainer().clipNorm() : "") + "; " + threadCount
                + (threadCount == 1 ? " thread" : " threads") + ", seed " + c.seed()
                + (s.stopAt() < s.total() ? "; stopping at step " + Format.grouped(s.stopAt()) : "")
                + (s.timeLimit() != null ? "; time limit " + Format.duration(s.timeLimit().toMillis() / 1000.0) : ""));
        o.println("output: " + outDir + " (checkpoint " + ckpt + ")");
        o.flush();
    }

    /** {@code "lr 0.006 (warm-up 75, cosine to 0.0006)"}. */
    static String describe(LearningRate lr) {
        List<String> details = new ArrayList<>();
        LearningRate l = lr;
        while (l instanceof LearningRate.Warmup w) {
            details.add("warm-up " + w.steps());
            l = w.then();
        }
        double rate;
        if (l instanceof LearningRate.Cosine cos) {
            rate = cos.rate();
            details.add("cosine to " + Format.setting(cos.min()));
        } else if (l instanceof LearningRate.StepDecay st) {
            rate = st.rate();
            details.add("x" + st.gamma() + " every " + st.every());
        } else if (l instanceof LearningRate.Constant k) {
            rate = k.rate();
            details.add("constant");
        } else {
            return "lr " + lr;
        }
        return "lr " + Format.setting(rate) + " (" + String.join(", ", details) + ")";
    }

    private int summary(PrintWriter o, TrainingLoop.Result r, Plan plan, TrainingLoop.Outputs outputs, long started) {
        double wall = (terminal().clock().getAsLong() - started) / 1e9;
        Path ckpt = outputs.checkpoint();
        String shownCkpt = Cells.shown(ckpt);
        int interrupted = TrainingLoop.reportInterrupted(terminal(), r, plan.total(), shownCkpt);
        if (interrupted >= 0) {
            return interrupted;
        }
        String how = TrainingLoop.ended(r.end(), plan.timeLimit());
        o.println();
        o.println(how + ": step " + Format.grouped(r.step()) + " of " + Format.grouped(plan.total()) + " after "
                + Format.duration(r.seconds()) + " of training (" + Format.duration(wall) + " in all), "
                + Format.compact(r.items()) + " characters, " + Format.compact(r.seconds() > 0 ? r.items() / r.seconds() : 0)
                + " chars/s");
        double base = plan.data().baselineValidation();
        if (Double.isFinite(r.validationLoss())) {
            o.println("validation loss " + Format.loss(r.validationLoss()) + " nats/char = "
                    + Format.loss(r.validationLoss() / Math.log(2)) + " bits/char on all "
                    + Format.grouped(plan.data().split().validationSize()) + " validation characters"
                    + (Double.isFinite(base) ? "; unigram baseline " + Format.loss(base) + " ("
                    + Format.percent(1 - r.validationLoss() / base) + " lower)" : "")
                    + (Double.isFinite(r.trainLoss()) ? "; recent training loss " + Format.loss(r.trainLoss()) : ""));
        }
        if (r.sample() != null) {
            o.println(TrainingLoop.sampleBlock("sample (temperature " + (temperature == null ? 0.8 : temperature) + ")", r.sample()));
        }
        o.println("wrote " + shownCkpt + ", " + Cells.shown(outputs.out().path().resolve("loss.csv")) + ", "
                + Cells.shown(outputs.out().path().resolve("loss.png")));
        o.println("more text: rnnlab sample --model " + shownCkpt
                + (plan.data().key().equals(CharData.EMBEDDED) ? " --prime \"ROMEO:\"" : ""));
        o.flush();
        return ExitCodes.OK;
    }
}
