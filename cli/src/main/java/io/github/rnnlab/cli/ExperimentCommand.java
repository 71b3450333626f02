package io.github.rnnlab.cli;

import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.diagnose.LectureExperiment;
import io.github.rnnlab.kernel.WorkerTeam;
import io.github.rnnlab.numeric.F32Ops;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rnnlab experiment vanishing}: the README's documented experiment ({@link LectureExperiment}) — the lecture's
 * claims about vanishing and exploding gradients on the adding problem, in three parts (diagnosis at
 * initialisation, training with the same budget, clipping) — with its tables printed and its CSV and PNG files
 * written under {@code --out}. {@code --quick} runs a small version for a smoke check.
 */
@Command(name = "experiment",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpAutoWidth = false,
        description = {
            "Runs a documented experiment and writes its tables and plots.",
            "",
            "vanishing: the lecture's claims about vanishing and exploding gradients, on the adding problem "
                    + "(T = 100, H = 64, batches of 32, seed 2024): 1. the gradient of a loss at T back through time at "
                    + "initialisation, for rnn_tanh with PyTorch's init and with an orthogonal weight_hh, lstm with "
                    + "PyTorch's and the chrono init, gru, and an exploding rnn_relu (orthogonal weight_hh x 1.5); "
                    + "2. rnn_tanh, lstm (both inits) and gru trained with the same budget (2000 Adam updates), then "
                    + "diagnosed again; 3. the exploding rnn_relu trained with plain SGD without and with gradient "
                    + "clipping. See the README's section 'Vanishing and exploding gradients, measured'.",
            "",
            "Written to --out: diagnose/, adding/, trained/ and clipping/, each with its CSV files and PNG plots."})
final class ExperimentCommand extends CliCommand {
    /** The experiments this command runs. */
    enum Name {
        VANISHING;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }

        static final class Converter extends EnumConverter<Name> {
            Converter() {
                super(Name.class);
            }
        }
    }

    @Parameters(index = "0", paramLabel = "NAME", converter = Name.Converter.class,
            description = "The experiment: vanishing (the only one so far).")
    Name name;

    @Option(names = "--quick", order = 1,
            description = "A small version for a smoke check (T = " + ExperimentCommand.QUICK_T + ", H = "
                    + ExperimentCommand.QUICK_H + ", " + ExperimentCommand.QUICK_STEPS + " updates, the rnn_relu at gain 2): "
                    + "about a quarter of a minute; its numbers are not the README's.")
    boolean quick;

    @Option(names = "--hidden", paramLabel = "N", order = 2, description = "Hidden units of every cell; default: 64 (quick: "
            + ExperimentCommand.QUICK_H + ").")
    Integer hidden;

    @Option(names = "--train-steps", paramLabel = "N", order = 3,
            description = "The training budget of part 2 (updates); default: 2000 (quick: " + ExperimentCommand.QUICK_STEPS + ").")
    Integer trainSteps;

    @Option(names = "--threads", paramLabel = "N", order = 4,
            description = "Worker threads; default: 1 (the README's figures are of one thread; the same thread count gives "
                    + "the same numbers).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", order = 5, description = "Output folder; default: runs/vanishing-<date-time>.")
    Path out;

    @Mixin
    ProgressOptions progress;

    @Mixin
    PluginOptions plugins;

    /** The sizes of {@link LectureExperiment.Config#quick()}, for the help (a test checks that they agree). */
    static final int QUICK_T = 50, QUICK_H = 32, QUICK_STEPS = 1000;

    @Override
    protected int run() throws IOException {
        if (hidden != null && hidden < 1) {
            throw new UsageException("--hidden must be at least 1, got " + hidden);
        }
        if (trainSteps != null && trainSteps < 1) {
            throw new UsageException("--train-steps must be at least 1, got " + trainSteps);
        }
        if (threads != null && (threads < 1 || threads > 1024)) {
            throw new UsageException("--threads must be in [1, 1024], got " + threads);
        }
        LectureExperiment.Config config = quick ? LectureExperiment.Config.quick() : LectureExperiment.Config.standard();
        if (hidden != null) {
            config = config.withHidden(hidden);
        }
        if (trainSteps != null) {
            config = config.withTrainSteps(trainSteps);
        }
        int threadCount = threads == null ? 1 : threads;
        PrintWriter o = terminal().out();
        Terminal term = terminal();
        long start = term.clock().getAsLong();
        try (CellRegistry registry = plugins.registry(terminal())) {
            for (String id : List.of("rnn_tanh", "rnn_relu", "lstm", "gru")) {
                Cells.provider(registry, id, "the experiment");
            }
            Path outDir = out != null ? out : RunFolders.next("vanishing-");
            try (OutputDir dir = OutputDir.open(outDir, "--out");
                 WorkerTeam team = threadCount > 1 ? new WorkerTeam(threadCount) : null) {
                F32Ops ops = team == null ? F32Ops.standard() : F32Ops.with(team);
                o.println("rnnlab experiment vanishing" + (quick ? " --quick" : "") + ": the adding problem, T = " + config.steps()
                        + ", H = " + config.hidden() + ", batches of " + config.batchSize() + ", seed " + config.seed() + "; "
                        + threadCount + (threadCount == 1 ? " thread" : " threads"));
                o.println("output: " + outDir);
                o.flush();
                boolean show = progress.mode().resolve(term) != ProgressMode.NONE;
                LectureExperiment.Result r = LectureExperiment.run(registry::provider, ops, config, (part, p) -> {
                    if (!show) {
                        return;
                    }
                    double t = (term.clock().getAsLong() - start) / 1e9;
                    if (p == null) {
                        o.printf(Locale.ROOT, "[%7s] diagnosed %s%n", Format.duration(t), part);
                    } else {
                        o.printf(Locale.ROOT, "[%7s] %-26s update %5d  train loss %-9s  eval loss %-9s  |g| %s%n", Format.duration(t),
                                part, p.step(), figure(p.step(), p.trainLoss()), figure(p.step(), p.evalLoss()),
                                figure(p.step(), p.gradientNorm()));
                    }
                    o.flush();
                });
                for (String name : LectureExperiment.fileNames()) {
                    dir.file(name);
                }
                r = r.withFiles(r.write(dir.path()));
                dir.commit();
                o.println();
                o.print(r.summary());
                o.println();
                o.println("wrote " + r.files().size() + " files under " + Cells.shown(dir.path()) + " (diagnose/, adding/, trained/, "
                        + "clipping/) in " + Format.duration((term.clock().getAsLong() - start) / 1e9));
                o.flush();
            }
        }
        return ExitCodes.OK;
    }

    /** A figure; "-" for the training figures at update 0, where no update has run yet (a NaN later is shown: divergence). */
    private static String figure(long step, double v) {
        return step == 0 && Double.isNaN(v) ? "-" : Format.loss(v);
    }
}
