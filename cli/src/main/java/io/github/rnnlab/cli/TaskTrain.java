package io.github.rnnlab.cli;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.checkpoint.TrainingConfig;
import io.github.rnnlab.checkpoint.TrainingState;
import io.github.rnnlab.init.ParameterInit;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.task.LossKind;
import io.github.rnnlab.task.SequenceTask;
import io.github.rnnlab.task.TaskKind;
import io.github.rnnlab.train.Bptt;
import io.github.rnnlab.train.Trainer;
import io.github.rnnlab.train.optim.Adam;
import io.github.rnnlab.train.optim.LearningRate;
import io.github.rnnlab.train.optim.OptimizerConfig;
import io.github.rnnlab.train.optim.Sgd;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code rnnlab train --task NAME}: the options of {@link TrainCommand} turned into a run of a synthetic task
 * ({@link TaskWorkload}) on the same {@link TrainingLoop}: progress, periodic evaluation (loss and metric against
 * the task's baseline), {@code loss.csv} with the metric as a column, {@code loss.png}, and a checkpoint from which
 * {@code --resume} continues exactly.
 *
 * <p>The model is {@link io.github.rnnlab.train.TaskTraining}'s (feature input, the cell's stack, a linear head;
 * the loss at the last step for adding and parity, at every valid step for copy and Reber), stored in the
 * checkpoint as a {@link SequenceModel} with feature input; the checkpoint's extra keys record the task
 * ({@code task}), the evaluation set's size ({@code eval_batches}) and the run's length; the evaluation set's seed
 * follows from the run's seed.
 */
final class TaskTrain {
    static final int DEFAULT_EVAL_BATCHES = 8;

    private final TrainCommand c;
    private final CellRegistry registry;
    private final F32Ops ops;
    private final int threadCount;
    private final long started;

    /** A run's configuration and where it starts. */
    private record Plan(TrainingConfig config, SequenceTask task, TrainingState resumed, ParameterInit init, int evalBatches,
                        long total, Duration timeLimit) {
    }

    TaskTrain(TrainCommand command, CellRegistry registry, F32Ops ops, int threadCount, long started) {
        this.c = command;
        this.registry = registry;
        this.ops = ops;
        this.threadCount = threadCount;
        this.started = started;
    }

    /** Whether {@code checkpoint} is of a task run (its configuration names a task); false if it cannot be read. */
    static boolean isTaskCheckpoint(Path checkpoint) {
        return Checkpoints.inspect(checkpoint, "--resume").config().extra().containsKey("task");
    }

    int run() {
        refuseTextOptions();
        if (c.evalBatches != null && c.evalBatches < 1) {
            throw new UsageException("--eval-batches must be at least 1, got " + c.evalBatches);
        }
        Plan plan = c.resume == null ? fresh() : resumed();
        TrainingConfig config = plan.config();
        TrainingState state;
        long evalSeed;
        if (plan.resumed() != null) {
            state = plan.resumed();
            evalSeed = TaskWorkload.evalSeed(config.seed());
        } else {
            state = TrainingState.start(config, registry.provider(config.cell()), null, ops);
            try {
                evalSeed = TaskWorkload.align(state, plan.init(), config.seed());
            } catch (CellConfig.InvalidConfigException e) {
                throw new UsageException("--init: " + e.getMessage());
            }
        }
        TaskWorkload work = new TaskWorkload(state, plan.task(), evalSeed, plan.evalBatches());
        LossLog empty = LossLog.forTask(plan.task().metric().label());
        return c.train(work, plan.total(), plan.timeLimit(), empty, config.cell() + ", " + plan.task().kind().cliName() + " task (T = "
                        + config.sequenceLength() + ")",
                (o, schedule, outDir, ckpt) -> header(o, state, plan, schedule, outDir, ckpt),
                (o, result, outputs) -> summary(o, work, result, plan, outputs));
    }

    private void refuseTextOptions() {
        Map<String, Object> textOnly = new LinkedHashMap<>();
        textOnly.put("--embedding", c.embedding);
        textOnly.put("--validation", c.validation);
        textOnly.put("--batching", c.batching);
        textOnly.put("--bptt", c.bptt);
        textOnly.put("--epochs", c.epochs);
        textOnly.put("--eval-chars", c.evalChars);
        textOnly.put("--sample-every", c.sampleEvery);
        textOnly.put("--sample-length", c.sampleLength);
        textOnly.put("--temperature", c.temperature);
        List<String> given = new ArrayList<>();
        textOnly.forEach((option, value) -> {
            if (value != null) {
                given.add(option);
            }
        });
        if (!given.isEmpty()) {
            throw new UsageException(String.join(", ", given) + (given.size() == 1 ? " is" : " are")
                    + " for character models, not for --task runs",
                    "Leave " + (given.size() == 1 ? "it" : "them") + " out; see 'rnnlab train --help'");
        }
    }

    private Plan fresh() {
        TaskKind kind = TaskDefaults.parse(c.task, "--task");
        TaskDefaults d = TaskDefaults.of(kind);
        String id = c.cell == null ? TrainCommand.DEFAULT_CELL : c.cell;
        CellProvider provider = Cells.provider(registry, id, "--cell");
        int t = c.seqLen == null ? d.seqLen() : c.seqLen;
        int b = c.batch == null ? TaskDefaults.BATCH : c.batch;
        SequenceTask task = TaskDefaults.create(kind, t, b);
        int h = c.hidden == null ? d.hidden() : c.hidden;
        RecurrentConfig rnn = new RecurrentConfig(task.inputSize(), h, c.layers == null ? 1 : c.layers, Directions.FORWARD,
                c.dropout == null ? 0 : c.dropout, c.cellOptions == null ? Map.of() : c.cellOptions);
        SequenceModel.Config model;
        try {
            model = new SequenceModel.Config(new SequenceModel.Features(task.inputSize()), rnn, task.outputSize(),
                    task.loss() == LossKind.MEAN_SQUARED_ERROR ? SequenceModel.Objective.MEAN_SQUARED_ERROR
                            : SequenceModel.Objective.CROSS_ENTROPY);
            provider.create(new CellConfig(task.inputSize(), h, rnn.options()));
        } catch (CellConfig.InvalidConfigException e) {
            throw new UsageException("cell " + id + ": " + e.getMessage(), "See 'rnnlab cells' and the cell's options");
        }
        ParameterInit init = Inits.parse(c.init);
        TrainCommand.OptimizerKind opt = c.optimizer == null ? TrainCommand.OptimizerKind.ADAM : c.optimizer;
        double rate = c.lr != null ? c.lr : d.lr();
        double decay = c.weightDecay != null ? c.weightDecay : opt == TrainCommand.OptimizerKind.ADAMW ? TrainCommand.DEFAULT_WEIGHT_DECAY : 0;
        OptimizerConfig optimizerConfig = switch (opt) {
            case ADAMW -> new OptimizerConfig.Adam(Adam.Config.adamW().withWeightDecay(decay));
            case ADAM -> new OptimizerConfig.Adam(Adam.Config.adam().withWeightDecay(decay));
            case SGD -> new OptimizerConfig.Sgd(new Sgd.Config(0, 0, false, decay));
            case MOMENTUM -> new OptimizerConfig.Sgd(new Sgd.Config(0.9, 0, false, decay));
        };
        long total = c.steps == null ? d.steps() : c.steps;
        long warm = c.warmup != null ? Math.min(c.warmup, Math.max(0, total - 1)) : 0;
        LearningRate after = c.schedule == TrainCommand.ScheduleKind.COSINE
                ? new LearningRate.Cosine(rate, Math.max(1, total - warm), rate / 10)
                : new LearningRate.Constant(rate);
        LearningRate lrs = warm > 0 ? new LearningRate.Warmup(warm, 0.1, after) : after;
        Trainer.Config trainer = new Trainer.Config(lrs, c.clip == null ? TrainCommand.DEFAULT_CLIP : c.clip, 0);
        long log = c.logEvery != null ? c.logEvery : Math.max(1, Math.min(total / 200, 100));
        long ev = c.evalEvery != null ? c.evalEvery : roundUp(Math.max(1, total / 10), log);
        int evalBatches = c.evalBatches == null ? DEFAULT_EVAL_BATCHES : c.evalBatches;
        Map<String, String> extra = new TreeMap<>();
        extra.put("task", kind.cliName());
        extra.put("eval_batches", Integer.toString(evalBatches));
        extra.put("steps", Long.toString(total));
        extra.put("log_every", Long.toString(log));
        extra.put("eval_every", Long.toString(ev));
        extra.put("threads", Integer.toString(threadCount));
        if (c.init != null) {
            extra.put("init", Inits.describe(c.init));
        }
        TrainingConfig config = new TrainingConfig(id, model, optimizerConfig, trainer, Bptt.full(), t, b,
                c.seed == null ? 1 : c.seed, extra);
        return new Plan(config, task, null, init, evalBatches, total, c.time);
    }

    private Plan resumed() {
        TrainingState state = Checkpoints.load(c.resume, "--resume", registry, c.cell, "Leave out --cell to continue the "
                + "checkpoint's own cell, or start a new run without --resume", ops);
        TrainingConfig cfg = state.config();
        Map<String, String> x = cfg.extra();
        if (!x.containsKey("task")) {
            throw new UsageException("--resume: checkpoint " + c.resume + " is of a character model, not of a --task run",
                    "Leave out --task to continue it");
        }
        TaskKind kind = TaskDefaults.parse(x.get("task"), "--resume: the checkpoint's task");
        Map<String, Object[]> fixed = new LinkedHashMap<>();
        RecurrentConfig rnn = cfg.model().rnn();
        fixed.put("--task", new Object[] {c.task == null ? null : TaskDefaults.parse(c.task, "--task").cliName(), kind.cliName()});
        fixed.put("--hidden", new Object[] {c.hidden, rnn.hiddenSize()});
        fixed.put("--layers", new Object[] {c.layers, rnn.layers()});
        fixed.put("--dropout", new Object[] {c.dropout, rnn.dropout()});
        fixed.put("--seq-len", new Object[] {c.seqLen, cfg.sequenceLength()});
        fixed.put("--batch", new Object[] {c.batch, cfg.batch()});
        fixed.put("--seed", new Object[] {c.seed, cfg.seed()});
        fixed.put("--clip", new Object[] {c.clip, cfg.trainer().clipNorm()});
        fixed.put("--optimizer", new Object[] {c.optimizer == null ? null : c.optimizer.toString(),
                TrainCommand.OptimizerKind.of(cfg.optimizer())});
        fixed.put("--eval-batches", new Object[] {c.evalBatches, Integer.parseInt(x.getOrDefault("eval_batches",
                Integer.toString(DEFAULT_EVAL_BATCHES)))});
        List<String> conflicts = new ArrayList<>();
        fixed.forEach((option, pair) -> {
            if (pair[0] != null && !Objects.equals(pair[0], pair[1])) {
                conflicts.add(option + " " + pair[0] + " (the checkpoint has " + pair[1] + ")");
            }
        });
        if (c.cellOptions != null) {
            c.cellOptions.forEach((k, v) -> {
                if (!Objects.equals(rnn.options().get(k), v)) {
                    conflicts.add("--option " + k + "=" + v + " (the checkpoint has " + rnn.options().getOrDefault(k, "none") + ")");
                }
            });
        }
        for (String changed : List.of(c.lr == null ? "" : "--lr", c.schedule == null ? "" : "--schedule",
                c.warmup == null ? "" : "--warmup", c.weightDecay == null ? "" : "--weight-decay",
                c.logEvery == null ? "" : "--log-every", c.init == null ? "" : "--init")) {
            if (!changed.isEmpty()) {
                conflicts.add(changed + " (fixed by the checkpoint)");
            }
        }
        if (!conflicts.isEmpty()) {
            throw new UsageException("a resumed run keeps the configuration of its checkpoint, but these options change it: "
                    + String.join(", ", conflicts), "Leave them out, or start a new run without --resume");
        }
        int recordedThreads = Integer.parseInt(x.getOrDefault("threads", Integer.toString(threadCount)));
        if (recordedThreads != threadCount) {
            terminal().err().println("rnnlab: warning: the checkpoint was trained with " + recordedThreads
                    + " threads, this session uses " + threadCount + ": it continues correctly, but not bit for bit");
            terminal().err().flush();
        }
        SequenceTask task = TaskDefaults.create(kind, cfg.sequenceLength(), cfg.batch());
        long total = c.steps != null ? c.steps : Long.parseLong(x.getOrDefault("steps", Long.toString(state.step() + 1)));
        int evalBatches = Integer.parseInt(x.getOrDefault("eval_batches", Integer.toString(DEFAULT_EVAL_BATCHES)));
        return new Plan(cfg, task, state, null, evalBatches, total, c.time);
    }

    private Terminal terminal() {
        return c.terminal();
    }

    private static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    private void header(PrintWriter o, TrainingState state, Plan plan, TrainingLoop.Schedule s, Path outDir, Path ckpt) {
        TrainingConfig cfg = plan.config();
        RecurrentConfig rnn = cfg.model().rnn();
        SequenceTask task = plan.task();
        o.println("rnnlab train: " + cfg.cell() + ", " + rnn.layers() + (rnn.layers() == 1 ? " layer" : " layers") + " of "
                + rnn.hiddenSize() + (rnn.options().isEmpty() ? "" : " " + rnn.options())
                + (cfg.extra().containsKey("init") ? ", init " + cfg.extra().get("init") : "")
                + (rnn.dropout() > 0 ? ", dropout " + rnn.dropout() : "") + ": "
                + Format.grouped(state.model().parameters().size()) + " parameters");
        o.println("task: " + task.kind().cliName() + ", T = " + cfg.sequenceLength() + " (" + task.steps() + " time steps, "
                + task.inputSize() + " inputs and " + task.outputSize() + " outputs per step), batch " + cfg.batch()
                + "; baseline " + task.metric().label() + " " + Format.loss(task.baseline().metric()) + ", loss "
                + Format.loss(task.baseline().loss()) + " (" + task.baseline().formula() + ")");
        o.println((state.step() > 0 ? "resuming at step " + Format.grouped(state.step()) + " of " : "")
                + Format.grouped(s.total()) + " steps of " + cfg.batch() + " sequences; "
                + TrainCommand.OptimizerKind.of(cfg.optimizer()) + " " + TrainCommand.describe(cfg.trainer().learningRate())
                + (cfg.trainer().clipNorm() > 0 ? ", clip " + cfg.trainer().clipNorm() : "") + "; evaluation every "
                + Format.grouped(s.evalEvery()) + " steps on " + plan.evalBatches() + " held-out batches; " + threadCount
                + (threadCount == 1 ? " thread" : " threads") + ", seed " + cfg.seed()
                + (s.stopAt() < s.total() ? "; stopping at step " + Format.grouped(s.stopAt()) : "")
                + (s.timeLimit() != null ? "; time limit " + Format.duration(s.timeLimit().toMillis() / 1000.0) : ""));
        o.println("output: " + outDir + " (checkpoint " + ckpt + ")");
        o.flush();
    }

    private int summary(PrintWriter o, TaskWorkload work, TrainingLoop.Result r, Plan plan, TrainingLoop.Outputs outputs) {
        double wall = (terminal().clock().getAsLong() - started) / 1e9;
        String shownCkpt = Cells.shown(outputs.checkpoint());
        int interrupted = TrainingLoop.reportInterrupted(terminal(), r, plan.total(), shownCkpt);
        if (interrupted >= 0) {
            return interrupted;
        }
        String how = TrainingLoop.ended(r.end(), plan.timeLimit());
        o.println();
        o.println(how + ": step " + Format.grouped(r.step()) + " of " + Format.grouped(plan.total()) + " after "
                + Format.duration(r.seconds()) + " of training (" + Format.duration(wall) + " in all), "
                + Format.grouped(r.items()) + " sequences, " + Format.compact(r.seconds() > 0 ? r.items() / r.seconds() : 0)
                + " sequences/s");
        Workload.Validation v = new Workload.Validation(r.validationLoss(), r.validationMetric());
        o.println("final " + work.describe(v) + " on " + plan.evalBatches() + " held-out batches: "
                + (work.solved(v) ? "solved" : "not solved") + " (solved: " + Format.percent(io.github.rnnlab.train.TaskTraining.Config.SOLVED_GAP)
                + " of the way)"
                + (Double.isFinite(r.trainLoss()) ? "; recent training loss " + Format.loss(r.trainLoss()) : ""));
        o.println("wrote " + shownCkpt + ", " + Cells.shown(outputs.out().path().resolve("loss.csv")) + ", "
                + Cells.shown(outputs.out().path().resolve("loss.png")));
        o.flush();
        return ExitCodes.OK;
    }
}
