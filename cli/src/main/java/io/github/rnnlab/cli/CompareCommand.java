package io.github.rnnlab.cli;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.diagnose.TaskComparison;
import io.github.rnnlab.init.ParameterInit;
import io.github.rnnlab.kernel.WorkerTeam;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.task.SequenceTask;
import io.github.rnnlab.task.TaskKind;
import io.github.rnnlab.train.TaskTraining;
import io.github.rnnlab.train.optim.LearningRate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rnnlab compare --task T --cells a,b,c}: trains each cell on the task with the same budget, settings and
 * seed ({@link TaskTraining#run}), shows each run's progress, then prints a leaderboard and writes it with the
 * learning curves ({@link TaskComparison}: {@code compare.csv}, {@code curves.csv}, {@code curves.png}). The
 * lecture's "choose between LSTM, GRU and SSM for a given task", as a tool.
 *
 * <p>Everything is checked before the first run: the task and its size, every cell (did-you-mean for a typo),
 * each cell's configuration and {@code --init} (a block the cell lacks), the output folder. Ctrl-C ends the
 * current run early (evaluated where it stopped), skips the rest, and writes what there is (exit code 130).
 */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpAutoWidth = false,
        description = {
            "Trains several cells on a synthetic task with the same budget and seed, and ranks them.",
            "",
            "Each cell gets the same model size, optimizer, learning rate, clipping, updates (or time: "
                    + "--time-per-cell) and seed, so the same batches and evaluation set. Printed: a leaderboard "
                    + "(final loss and metric against the task's baseline, solved or not, parameters, training time, "
                    + "throughput). Written to --out: compare.csv (the leaderboard), curves.csv (every evaluation of "
                    + "every run) and curves.png (the learning curves, one line per cell, and the baseline).",
            "",
            "Defaults per task are those of 'rnnlab train --task' (see its help); the cells default to "
                    + CompareCommand.DEFAULT_CELLS + "."})
final class CompareCommand extends CliCommand {
    static final String DEFAULT_CELLS = "rnn_tanh,lstm,gru";

    @Option(names = "--task", paramLabel = "NAME", required = true, order = 1,
            description = "The task: adding, copy, reber or parity.")
    String task;

    @Option(names = {"--cells", "--cell"}, paramLabel = "ID", split = ",", splitSynopsisLabel = ",", order = 2,
            description = "The cells to compare, any ids of 'rnnlab cells' (plugins too); default: " + DEFAULT_CELLS + ".")
    List<String> cells;

    @Option(names = "--seq-len", paramLabel = "T", order = 3, description = "The task's T; default: the task's.")
    Integer seqLen;

    @Option(names = "--batch", paramLabel = "B", order = 4, description = "Sequences per batch; default: " + TaskDefaults.BATCH + ".")
    Integer batch;

    @Option(names = "--hidden", paramLabel = "N", order = 5, description = "Hidden units per layer; default: the task's.")
    Integer hidden;

    @Option(names = "--layers", paramLabel = "N", order = 6, description = "Stacked layers; default: 1.")
    Integer layers;

    @Option(names = "--init", paramLabel = "BLOCK=INIT", order = 7,
            description = "The initializer of a recurrent parameter block of every cell (repeatable), as for 'rnnlab "
                    + "train'; e.g. --init weight_hh=orthogonal. Every cell must have the block.")
    Map<String, String> init;

    @Option(names = "--optimizer", paramLabel = "NAME", order = 10, converter = TrainCommand.OptimizerKind.Converter.class,
            description = "adam (default), adamw, sgd (plain) or momentum (SGD with momentum 0.9).")
    TrainCommand.OptimizerKind optimizer;

    @Option(names = "--lr", paramLabel = "RATE", order = 11, description = "Constant learning rate; default: the task's.")
    Double lr;

    @Option(names = "--clip", paramLabel = "NORM", order = 12,
            description = "Clip the global gradient norm to NORM, 0 for none; default: " + TrainCommand.DEFAULT_CLIP + ".")
    Double clip;

    @Option(names = "--steps", paramLabel = "N", order = 20, description = "Updates per cell; default: the task's.")
    Integer steps;

    @Option(names = "--time-per-cell", paramLabel = "DURATION", order = 21, converter = DurationConverter.class,
            description = "Stop each cell's training after this long (e.g. 30s, 2m), then evaluate it: the same time "
                    + "budget instead of (or as well as) the same number of updates.")
    Duration timePerCell;

    @Option(names = "--eval-every", paramLabel = "STEPS", order = 22,
            description = "Evaluate every STEPS updates (and at the end); default: a tenth of the steps.")
    Integer evalEvery;

    @Option(names = "--eval-batches", paramLabel = "N", order = 23,
            description = "Batches in the held-out evaluation set; default: " + TaskTrain.DEFAULT_EVAL_BATCHES + ".")
    Integer evalBatches;

    @Option(names = "--seed", paramLabel = "S", order = 30, description = "The one seed of every run; default: 1.")
    Long seed;

    @Option(names = "--threads", paramLabel = "N", order = 31, description = "Worker threads; default: one per processor.")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", order = 32, description = "Output folder; default: runs/compare-<date-time>.")
    Path out;

    @Mixin
    ProgressOptions progress;

    @Mixin
    PluginOptions plugins;

    /** One cell to run. */
    private record Entry(String id, CellProvider provider, int parameters) {
    }

    @Override
    protected int run() throws IOException {
        for (String[] p : new String[][] {{"--seq-len", str(seqLen)}, {"--batch", str(batch)}, {"--hidden", str(hidden)},
                {"--layers", str(layers)}, {"--steps", str(steps)}, {"--eval-every", str(evalEvery)},
                {"--eval-batches", str(evalBatches)}, {"--threads", str(threads)}}) {
            if (p[1] != null && Integer.parseInt(p[1]) < 1) {
                throw new UsageException(p[0] + " must be at least 1, got " + p[1]);
            }
        }
        if (lr != null && !(lr > 0 && Double.isFinite(lr))) {
            throw new UsageException("--lr must be a positive number, got " + lr);
        }
        if (clip != null && !(clip >= 0 && Double.isFinite(clip))) {
            throw new UsageException("--clip must be 0 (none) or more, got " + clip);
        }
        TaskKind kind = TaskDefaults.parse(task, "--task");
        TaskDefaults d = TaskDefaults.of(kind);
        List<String> ids = cellIds();
        SequenceTask sequenceTask = TaskDefaults.create(kind, seqLen == null ? d.seqLen() : seqLen, batch == null ? TaskDefaults.BATCH : batch);
        ParameterInit parameterInit = Inits.parse(init);
        int budget = steps == null ? (int) d.steps() : steps;
        TaskTraining.Config config = new TaskTraining.Config(
                new TaskTraining.Model(hidden == null ? d.hidden() : hidden, layers == null ? 1 : layers, Map.of(), parameterInit),
                optimizerKind(), new LearningRate.Constant(lr == null ? d.lr() : lr), clip == null ? TrainCommand.DEFAULT_CLIP : clip,
                budget, evalEvery == null ? Math.max(1, budget / 10) : evalEvery,
                evalBatches == null ? TaskTrain.DEFAULT_EVAL_BATCHES : evalBatches, seed == null ? 1 : seed, TaskTraining.Config.SOLVED_GAP);
        PrintWriter o = terminal().out();
        try (CellRegistry registry = plugins.registry(terminal())) {
            List<Entry> entries = new ArrayList<>();
            for (String id : ids) {
                CellProvider p = Cells.provider(registry, id, "--cells");
                entries.add(new Entry(id, p, check(p, sequenceTask, config)));
            }
            int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            Path outDir = out != null ? out : RunFolders.next("compare-");
            try (OutputDir dir = OutputDir.open(outDir, "--out");
                 WorkerTeam team = threadCount > 1 ? new WorkerTeam(threadCount) : null) {
                F32Ops ops = team == null ? F32Ops.standard() : F32Ops.with(team);
                header(o, sequenceTask, config, threadCount, entries.size(), outDir);
                AtomicBoolean stop = new AtomicBoolean();
                List<TaskComparison.Entry> runs = new ArrayList<>();
                try (Interrupts ignored = Interrupts.onStopRequest(() -> stop.set(true))) {
                    for (int i = 0; i < entries.size() && !stop.get(); i++) {
                        Entry e = entries.get(i);
                        o.println();
                        o.println("[" + (i + 1) + "/" + entries.size() + "] " + e.id() + ": " + Format.grouped(e.parameters())
                                + " parameters");
                        o.flush();
                        TaskTraining.Result r = train(ops, sequenceTask, e, config, stop);
                        runs.add(new TaskComparison.Entry(e.id(), r));
                        o.println(outcome(e.id(), r));
                        o.flush();
                    }
                }
                o.println();
                leaderboard(runs).print(o);
                for (String name : TaskComparison.FILES) {
                    dir.file(name); // recorded: removed again if writing fails
                }
                TaskComparison.writeAll(dir.path(), runs);
                dir.commit();
                o.println();
                o.println("wrote " + Cells.shown(dir.path().resolve(TaskComparison.LEADERBOARD_CSV)) + ", "
                        + Cells.shown(dir.path().resolve(TaskComparison.CURVES_CSV)) + ", "
                        + Cells.shown(dir.path().resolve(TaskComparison.CURVES_PNG)));
                o.flush();
                if (stop.get()) {
                    terminal().err().println("rnnlab: interrupted: compared " + runs.size() + " of " + entries.size()
                            + " cells (the last one stopped early); wrote what there was");
                    terminal().err().flush();
                    return ExitCodes.INTERRUPTED;
                }
                return ExitCodes.OK;
            }
        }
    }

    private static String str(Integer v) {
        return v == null ? null : v.toString();
    }

    /** The ids of {@code --cells} ({@link Cells#ids}). */
    private List<String> cellIds() {
        return Cells.ids(cells == null ? List.of(DEFAULT_CELLS.split(",")) : cells);
    }

    private TaskTraining.OptimizerKind optimizerKind() {
        if (optimizer == null) {
            return TaskTraining.OptimizerKind.ADAM;
        }
        return switch (optimizer) {
            case ADAM -> TaskTraining.OptimizerKind.ADAM;
            case ADAMW -> TaskTraining.OptimizerKind.ADAMW;
            case SGD -> TaskTraining.OptimizerKind.SGD;
            case MOMENTUM -> TaskTraining.OptimizerKind.MOMENTUM;
        };
    }

    /**
     * Builds {@code cell}'s model once (not trained) to check the configuration and {@code --init} before any
     * training; returns its parameter count.
     */
    private static int check(CellProvider cell, SequenceTask task, TaskTraining.Config config) {
        try {
            return TaskTraining.createModel(F32Ops.standard(), task, cell, config.model(), new Rng(0)).parameters().size();
        } catch (CellConfig.InvalidConfigException e) {
            throw new UsageException("cell " + cell.id() + ": " + e.getMessage(),
                    config.model().init().byName().isEmpty() ? "See 'rnnlab cells' and the cell's options"
                            : "Check --init: every cell compared must have the blocks it names");
        }
    }

    private void header(PrintWriter o, SequenceTask t, TaskTraining.Config c, int threadCount, int cellCount, Path outDir) {
        o.println("rnnlab compare: " + cellCount + (cellCount == 1 ? " cell" : " cells") + " on the " + t.kind().cliName()
                + " task, T = " + t.steps() + ", batch " + t.batchSize() + "; baseline " + t.metric().label() + " "
                + Format.loss(t.baseline().metric()) + " (" + t.baseline().formula() + ")");
        o.println("each: " + c.model().layers() + (c.model().layers() == 1 ? " layer" : " layers") + " of " + c.model().hidden()
                + (init == null ? "" : ", init " + Inits.describe(init)) + "; " + Format.grouped(c.steps()) + " updates"
                + (timePerCell == null ? "" : " or " + Format.duration(timePerCell.toMillis() / 1000.0)) + " of "
                + c.optimizer().cliName() + " " + TrainCommand.describe(c.learningRate())
                + (c.clipNorm() > 0 ? ", clip " + c.clipNorm() : "") + "; evaluation every " + Format.grouped(c.evalEvery())
                + " updates on " + c.evalBatches() + " held-out batches; seed " + c.seed() + "; " + threadCount
                + (threadCount == 1 ? " thread" : " threads"));
        o.println("output: " + outDir);
        o.flush();
    }

    private TaskTraining.Result train(F32Ops ops, SequenceTask t, Entry e, TaskTraining.Config c, AtomicBoolean stop) {
        Terminal term = terminal();
        long start = term.clock().getAsLong();
        long limit = timePerCell == null ? Long.MAX_VALUE : timePerCell.toNanos();
        long lines = Math.max(1, c.steps() / 10);
        try (Progress p = Progress.start(term, progress.mode(), new Progress.Plan(c.steps(), 0, "seqs", lines))) {
            double[] recent = new double[20];
            long[] count = {0};
            return TaskTraining.run(ops, t, e.provider(), c, new TaskTraining.Listener() {
                @Override
                public void evaluated(TaskTraining.CurvePoint point) {
                    if (point.step() > 0) {
                        p.message("  step " + point.step() + ": evaluation loss " + Format.loss(point.evalLoss()) + ", "
                                + t.metric().label() + " " + Format.loss(point.evalMetric()));
                    }
                }

                @Override
                public boolean stepped(long step, double loss) {
                    recent[(int) (count[0]++ % recent.length)] = loss;
                    double sum = 0;
                    int n = (int) Math.min(count[0], recent.length);
                    for (int i = 0; i < n; i++) {
                        sum += recent[i];
                    }
                    p.update(step, sum / n, step * t.batchSize());
                    return !stop.get() && term.clock().getAsLong() - start < limit;
                }
            });
        }
    }

    private String outcome(String id, TaskTraining.Result r) {
        String metric = r.metric().label();
        if (r.diverged()) {
            return id + ": diverged after " + Format.grouped(r.stepsTaken()) + (r.stepsTaken() == 1 ? " update (" : " updates (") + r.divergence().getMessage() + ")";
        }
        return id + ": " + metric + " " + Format.loss(r.finalMetric()) + " (baseline " + Format.loss(r.baselineMetric()) + ", "
                + (r.solved() ? "solved" : "not solved") + ") after " + Format.grouped(r.stepsTaken()) + " updates in "
                + Format.duration(r.trainSeconds()) + ", " + Format.compact(r.sequencesPerSecond()) + " sequences/s";
    }

    /** The leaderboard: best first (see {@link TaskComparison#ranked}). */
    static Table leaderboard(List<TaskComparison.Entry> runs) {
        String metric = runs.isEmpty() ? "metric" : runs.get(0).result().metric().label();
        Table t = new Table(Table.Column.right("rank"), Table.Column.left("cell"), Table.Column.right("final loss"),
                Table.Column.right(metric), Table.Column.left("vs baseline"), Table.Column.left("solved"),
                Table.Column.right("params"), Table.Column.right("updates"), Table.Column.right("train time"),
                Table.Column.right("seq/s"), Table.Column.right("timesteps/s"));
        int rank = 1;
        for (TaskComparison.Entry e : TaskComparison.ranked(runs)) {
            TaskTraining.Result r = e.result();
            String vs;
            if (r.diverged()) {
                vs = "diverged";
            } else {
                double gap = Math.abs(r.gapClosed()) < 5e-4 ? 0 : r.gapClosed();
                vs = Format.loss(r.baselineMetric()) + (gap >= 0 ? ", " + Format.percent(gap) + " of the way" : ", worse");
            }
            t.row(Integer.toString(rank++), e.name(), Format.loss(r.finalLoss()), Format.loss(r.finalMetric()), vs,
                    r.solved() ? "yes" : "no", Format.grouped(r.parameters()),
                    Format.grouped(r.stepsTaken()) + (r.stepsTaken() < r.config().steps() && !r.diverged() ? " (stopped)" : ""),
                    Format.duration(r.trainSeconds()), Format.compact(r.sequencesPerSecond()), Format.compact(r.timeStepsPerSecond()));
        }
        return t;
    }
}
