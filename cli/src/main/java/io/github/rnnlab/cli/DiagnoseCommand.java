package io.github.rnnlab.cli;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.checkpoint.TrainingConfig;
import io.github.rnnlab.checkpoint.TrainingState;
import io.github.rnnlab.data.NotEnoughTokensException;
import io.github.rnnlab.data.RandomWindowBatcher;
import io.github.rnnlab.data.TextCorpus;
import io.github.rnnlab.data.TokenBatch;
import io.github.rnnlab.data.UnknownCharacterException;
import io.github.rnnlab.data.Vocabulary;
import io.github.rnnlab.diagnose.DiagnosticReport;
import io.github.rnnlab.diagnose.Diagnosis;
import io.github.rnnlab.diagnose.GeometricFit;
import io.github.rnnlab.diagnose.GradientFlow;
import io.github.rnnlab.diagnose.Verdict;
import io.github.rnnlab.init.ParameterInit;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.task.SequenceTask;
import io.github.rnnlab.task.TaskKind;
import io.github.rnnlab.train.TaskTraining;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rnnlab diagnose}: the lecture's account of vanishing and exploding gradients, measured on one or more
 * cells (fresh from their initializers) or on a trained model (a checkpoint), on one batch of a synthetic task or
 * of a text: the spectra of the recurrent weights ({@link io.github.rnnlab.diagnose.RecurrentSpectra}), the norm
 * of the gradient of a loss at the last step against the distance from it, the step Jacobians' norms, the fitted
 * rate per step and a verdict ({@link GradientFlow}). Prints the tables of {@link DiagnosticReport} and writes its
 * CSV files and PNG plots.
 *
 * <p>A fresh model on a task is {@link TaskTraining#createModel}'s, its parameters and the batch both drawn from
 * {@code new Rng(seed)}, as in the README's experiment ({@link io.github.rnnlab.diagnose.LectureExperiment}), so
 * that the same seed and sizes give its part-1 figures. On a text it is a character model (embedding, stack, head)
 * and the batch B random windows of T characters. A checkpoint's model is diagnosed on its own kind of data: the
 * task it was trained on ({@code train --task}), or windows of its text ({@code --data FILE}, by default the text
 * it was trained on).
 */
@Command(name = "diagnose",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpAutoWidth = false,
        description = {
            "Measures how the gradient of a loss at the last step travels back through time: vanishing, exploding "
                    + "or stable.",
            "",
            "For each cell (fresh from its initializers) or for a trained model (--model CKPT), on one batch of a "
                    + "synthetic task or a text: the spectral radius and singular values of every recurrent weight "
                    + "block; per state (h, and c for the LSTM) the norm of dL_T/ds_t against the distance from T, "
                    + "its fitted rate per step and the verdict (vanishing below 1 - tolerance, exploding above "
                    + "1 + tolerance); the norms of the step Jacobians ds_t/ds_(t-1).",
            "",
            "Printed: the tables. Written to --out: gradient_norms.csv (every norm at every distance), "
                    + "gradient_summary.csv (the fits and verdicts), spectra.csv, and two plots, one line per run: "
                    + "gradient_norms.png (the norm, log scale, against the distance from T) and jacobian_norms.png "
                    + "(the step Jacobians' norms against t)."})
final class DiagnoseCommand extends CliCommand {
    static final String DEFAULT_CELLS = "rnn_tanh,lstm,gru";
    static final String DEFAULT_TASK = "adding";
    static final int DEFAULT_SEQ_LEN = 100;
    static final int DEFAULT_BATCH = 32;
    static final int DEFAULT_HIDDEN = 64;

    /** The loss at the last step. */
    enum ObjectiveKind {
        /** A fixed random projection of the top layer's output. */
        PROJECTION,
        /** The model's head and loss against the batch's targets. */
        LOSS;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }

        static final class Converter extends EnumConverter<ObjectiveKind> {
            Converter() {
                super(ObjectiveKind.class);
            }
        }
    }

    @Option(names = {"--cells", "--cell"}, paramLabel = "ID", split = ",", splitSynopsisLabel = ",", order = 1,
            description = "The cells to diagnose, fresh from their initializers; default: " + DEFAULT_CELLS + ".")
    List<String> cells;

    @Option(names = "--model", paramLabel = "CKPT", order = 2,
            description = "Diagnose this checkpoint's trained model instead (of 'rnnlab train', a text or --task run).")
    Path model;

    @Option(names = "--task", paramLabel = "NAME", order = 3,
            description = "The batch comes from this task: adding (default), copy, reber or parity.")
    String task;

    @Option(names = "--data", paramLabel = "FILE", order = 4,
            description = "The batch is B random windows of this UTF-8 text (a character model), instead of a task.")
    Path data;

    @Option(names = {"--seq-len", "--steps-back"}, paramLabel = "T", order = 5,
            description = "T: the loss is at step T, the gradient measured back to step 1; default: " + DEFAULT_SEQ_LEN
                    + " (for a task checkpoint: its own T).")
    Integer seqLen;

    @Option(names = "--batch", paramLabel = "B", order = 6,
            description = "Rows of the batch (the norms are means over them); default: " + DEFAULT_BATCH + ".")
    Integer batch;

    @Option(names = "--hidden", paramLabel = "N", order = 7, description = "Hidden units per layer; default: " + DEFAULT_HIDDEN + ".")
    Integer hidden;

    @Option(names = "--layers", paramLabel = "N", order = 8, description = "Stacked layers; default: 1.")
    Integer layers;

    @Option(names = "--embedding", paramLabel = "N", order = 9,
            description = "With --data: the size of the character embedding; default: " + TrainCommand.DEFAULT_EMBEDDING + ".")
    Integer embedding;

    @Option(names = "--init", paramLabel = "BLOCK=INIT", order = 10,
            description = "The initializer of a recurrent parameter block (repeatable), as for 'rnnlab train', e.g. "
                    + "--init weight_hh=orthogonal or --init 'weight_hh=orthogonal(1.5)'.")
    Map<String, String> init;

    @Option(names = "--objective", paramLabel = "KIND", order = 11, converter = ObjectiveKind.Converter.class,
            description = "The loss at T: projection (a fixed random projection of the top layer's output: the "
                    + "recurrence alone, the default) or loss (the model's head and loss against the batch's targets).")
    ObjectiveKind objective;

    @Option(names = "--jacobian-rows", paramLabel = "N", order = 12,
            description = "Batch rows whose step Jacobians are computed exactly (0: none); default: 2.")
    Integer jacobianRows;

    @Option(names = "--tolerance", paramLabel = "D", order = 13,
            description = "Rates per step within [1 - D, 1 + D] are stable; default: 0.02.")
    Double tolerance;

    @Option(names = "--seed", paramLabel = "S", order = 14, description = "Seed of the parameters, the batch and the projection; default: 1.")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", order = 15, description = "Output folder; default: runs/diagnose-<date-time>.")
    Path out;

    @Mixin
    PluginOptions plugins;

    /** The batch and how the header describes it. */
    private record Input(Batch<float[]> batch, String description) {
    }

    @Override
    protected int run() throws IOException {
        for (Object[] p : new Object[][] {{"--seq-len", seqLen}, {"--batch", batch}, {"--hidden", hidden}, {"--layers", layers},
                {"--embedding", embedding}}) {
            if (p[1] != null && (Integer) p[1] < 1) {
                throw new UsageException(p[0] + " must be at least 1, got " + p[1]);
            }
        }
        if (seqLen != null && seqLen < 2) {
            throw new UsageException("--seq-len must be at least 2 (a rate needs two distances), got " + seqLen);
        }
        if (jacobianRows != null && jacobianRows < 0) {
            throw new UsageException("--jacobian-rows must be 0 (none) or more, got " + jacobianRows);
        }
        if (tolerance != null && !(tolerance > 0 && tolerance < 1)) {
            throw new UsageException("--tolerance must be in (0, 1), got " + tolerance);
        }
        if (task != null && data != null) {
            throw new UsageException("--task and --data both say where the batch comes from; give one of them");
        }
        long s = seed == null ? 1 : seed;
        GradientFlow.Config flow;
        try {
            flow = GradientFlow.Config.defaults().withSeed(s).withJacobians(jacobianRows == null ? 2 : jacobianRows, 1)
                    .withObjective(objective == ObjectiveKind.LOSS ? GradientFlow.Objective.MODEL_LOSS : GradientFlow.Objective.RANDOM_PROJECTION)
                    .withThresholds(tolerance == null ? io.github.rnnlab.diagnose.Verdict.Thresholds.DEFAULT
                            : new io.github.rnnlab.diagnose.Verdict.Thresholds(tolerance));
        } catch (CellConfig.InvalidConfigException e) {
            throw new UsageException(e.getMessage());
        }
        PrintWriter o = terminal().out();
        Path outDir = out != null ? out : RunFolders.next("diagnose-");
        try (CellRegistry registry = plugins.registry(terminal());
             OutputDir dir = OutputDir.open(outDir, "--out")) {
            List<Diagnosis> runs = new ArrayList<>();
            String what;
            if (model != null) {
                List<String> fresh = new ArrayList<>();
                Map<String, Object> options = new LinkedHashMap<>();
                options.put("--cells", cells);
                options.put("--init", init);
                options.put("--hidden", hidden);
                options.put("--layers", layers);
                options.put("--embedding", embedding);
                options.forEach((k, v) -> {
                    if (v != null) {
                        fresh.add(k);
                    }
                });
                if (!fresh.isEmpty()) {
                    throw new UsageException(String.join(", ", fresh) + " describe" + (fresh.size() == 1 ? "s" : "")
                            + " a fresh model, but --model diagnoses the checkpoint's", "Leave out --model or " + String.join(", ", fresh));
                }
                TrainingState state = Checkpoints.load(model, "--model", registry, null, "", F32Ops.standard());
                if (state.model().rnn().directions() != 1) {
                    throw new CliException("--model: checkpoint " + model + " holds a bidirectional model; the gradient flow "
                            + "needs a forward stack (one direction of time)", "Give a checkpoint of a forward model");
                }
                Input in = checkpointInput(state, s);
                what = in.description();
                header(o, "checkpoint " + model + " (" + state.config().cell() + ", step " + Format.grouped(state.step()) + ")",
                        what, flow);
                runs.add(measure(state.config().cell() + " (step " + state.step() + ")", state.cell(), state.model(), in.batch(), flow));
            } else {
                List<String> ids = cellIds();
                List<CellProvider> providers = new ArrayList<>();
                for (String id : ids) {
                    providers.add(Cells.provider(registry, id, "--cells"));
                }
                ParameterInit parameterInit = Inits.parse(init);
                int h = hidden == null ? DEFAULT_HIDDEN : hidden;
                int l = layers == null ? 1 : layers;
                if (data != null) {
                    CharData text = CharData.load(data, "--data", 0);
                    int e = embedding == null ? TrainCommand.DEFAULT_EMBEDDING : embedding;
                    Input in = textInput(text.corpus(), text.vocabulary(), "--data", s);
                    what = in.description();
                    header(o, ids.size() + (ids.size() == 1 ? " fresh character model" : " fresh character models") + " of "
                            + l + (l == 1 ? " layer" : " layers") + " of " + h + ", embedding " + e + initText(), what, flow);
                    for (CellProvider p : providers) {
                        SequenceModel<float[]> m = freshTextModel(p, text.vocabulary().size(), e, h, l, parameterInit, s);
                        runs.add(measure(p.id(), p, m, in.batch(), flow));
                    }
                } else {
                    TaskKind kind = TaskDefaults.parse(task == null ? DEFAULT_TASK : task, "--task");
                    SequenceTask t = TaskDefaults.create(kind, seqLen == null ? DEFAULT_SEQ_LEN : seqLen, batch == null ? DEFAULT_BATCH : batch);
                    Input in = new Input(TaskTraining.prepare(t.sample(new Rng(s))).batch(), taskText(t));
                    what = in.description();
                    header(o, ids.size() + (ids.size() == 1 ? " fresh model" : " fresh models") + " of " + l
                            + (l == 1 ? " layer" : " layers") + " of " + h + initText(), what, flow);
                    for (CellProvider p : providers) {
                        SequenceModel<float[]> m;
                        try {
                            m = TaskTraining.createModel(F32Ops.standard(), t, p, new TaskTraining.Model(h, l, Map.of(), parameterInit), new Rng(s));
                        } catch (CellConfig.InvalidConfigException e) {
                            throw new UsageException("cell " + p.id() + ": " + e.getMessage(),
                                    init == null ? "See 'rnnlab cells'" : "Check --init: every cell must have the blocks it names");
                        }
                        runs.add(measure(p.id(), p, m, in.batch(), flow));
                    }
                }
            }
            o.println();
            o.print(DiagnosticReport.table(runs));
            o.println();
            o.println("Recurrent weight blocks:");
            o.print(DiagnosticReport.spectraTable(runs));
            o.println();
            for (Diagnosis d : runs) {
                o.println(verdictLine(d));
            }
            for (String name : DiagnosticReport.FILES) {
                dir.file(name); // recorded: removed again if writing fails
            }
            List<Path> files = DiagnosticReport.writeAll(dir.path(), runs);
            dir.commit();
            o.println();
            o.println("wrote " + String.join(", ", files.stream().map(Cells::shown).toList()));
            o.flush();
            return ExitCodes.OK;
        }
    }

    private String initText() {
        return init == null ? "" : ", init " + Inits.describe(init);
    }

    private void header(PrintWriter o, String models, String input, GradientFlow.Config flow) {
        o.println("rnnlab diagnose: " + models);
        o.println("batch: " + input);
        o.println("loss at T: " + (flow.objective() == GradientFlow.Objective.RANDOM_PROJECTION
                ? "a fixed random unit projection of the top layer's output (seed " + flow.seed() + "): the recurrence alone"
                : "the model's head and loss against the batch's targets")
                + "; exact step Jacobians of " + flow.jacobianRows() + (flow.jacobianRows() == 1 ? " row" : " rows")
                + "; stable for a rate per step within 1 +- " + flow.thresholds().rateTolerance());
        o.flush();
    }

    /** The ids of {@code --cells} ({@link Cells#ids}). */
    private List<String> cellIds() {
        return Cells.ids(cells == null ? List.of(DEFAULT_CELLS.split(",")) : cells);
    }

    private static String taskText(SequenceTask t) {
        return "the " + t.kind().cliName() + " task, T = " + t.steps() + " steps, " + t.batchSize() + " rows";
    }

    private Diagnosis measure(String name, CellProvider cell, SequenceModel<float[]> m, Batch<float[]> b, GradientFlow.Config flow) {
        try {
            return Diagnosis.of(name, cell, m, b, flow);
        } catch (IllegalArgumentException e) {
            throw new CliException("cannot diagnose " + name + ": " + e.getMessage(), "");
        }
    }

    private SequenceModel<float[]> freshTextModel(CellProvider p, int vocabulary, int e, int h, int l, ParameterInit parameterInit,
                                                  long s) {
        try {
            SequenceModel<float[]> m = new SequenceModel<>(F32Ops.standard(), p, new SequenceModel.Config(
                    new SequenceModel.Tokens(vocabulary, e), new RecurrentConfig(e, h, l, Directions.FORWARD, 0, Map.of()), vocabulary,
                    SequenceModel.Objective.CROSS_ENTROPY));
            Inits.apply(m.parameters(), parameterInit, new Rng(s));
            return m;
        } catch (CellConfig.InvalidConfigException ex) {
            throw new UsageException("cell " + p.id() + ": " + ex.getMessage(), "See 'rnnlab cells'");
        }
    }

    /** B random windows of T characters of {@code corpus}, encoded with {@code vocabulary}, drawn from {@code seed}. */
    private Input textInput(TextCorpus corpus, Vocabulary vocabulary, String option, long s) {
        int t = seqLen == null ? DEFAULT_SEQ_LEN : seqLen;
        int b = batch == null ? DEFAULT_BATCH : batch;
        int[] ids;
        try {
            ids = corpus.encode(vocabulary);
        } catch (UnknownCharacterException e) {
            throw new CliException(option + ": " + e.getMessage(), "Give a text of the characters the model was trained on");
        }
        TokenBatch windows;
        try {
            windows = new RandomWindowBatcher(ids, t, b).next(new Rng(s));
        } catch (NotEnoughTokensException e) {
            throw new CliException(option + ": " + corpus.source() + " has " + Format.grouped(ids.length) + " characters, fewer than "
                    + "a window of --seq-len " + t + " needs (" + (t + 1) + ")", "Use a shorter --seq-len, or a longer text");
        }
        return new Input(Batch.ofTokens(t, b, windows.inputs(), windows.targets(), null),
                b + " random windows of " + t + " characters of " + corpus.source());
    }

    /** The batch a checkpoint's model is diagnosed on: its task's, or windows of its text. */
    private Input checkpointInput(TrainingState state, long s) {
        TrainingConfig cfg = state.config();
        Map<String, String> x = cfg.extra();
        if (x.containsKey("task")) {
            if (data != null) {
                throw new UsageException("--data: checkpoint " + model + " is of the " + x.get("task") + " task, not of a text",
                        "Leave out --data");
            }
            TaskKind kind = TaskDefaults.parse(x.get("task"), "--model: the checkpoint's task");
            if (task != null && TaskDefaults.parse(task, "--task") != kind) {
                throw new UsageException("--task " + task + ": checkpoint " + model + " was trained on the " + kind.cliName() + " task",
                        "Leave out --task");
            }
            SequenceTask t = TaskDefaults.create(kind, seqLen == null ? cfg.sequenceLength() : seqLen, batch == null ? DEFAULT_BATCH : batch);
            return new Input(TaskTraining.prepare(t.sample(new Rng(s))).batch(), taskText(t));
        }
        if (state.vocabulary() != null && state.model().embedding() != null) {
            if (task != null) {
                throw new UsageException("--task: checkpoint " + model + " is of a character model", "Leave out --task, or give --data FILE");
            }
            TextCorpus corpus;
            String option;
            if (data != null) {
                corpus = CharData.load(data, "--data", 0).corpus();
                option = "--data";
            } else {
                String key = x.getOrDefault("data", "");
                if (key.equals(CharData.EMBEDDED)) {
                    corpus = TextCorpus.embedded();
                } else if (!key.isEmpty() && Files.isRegularFile(Path.of(key))) {
                    corpus = CharData.load(Path.of(key), "the checkpoint's text", 0).corpus();
                } else {
                    throw new CliException("--model: checkpoint " + model + " was trained on " + (key.isEmpty() ? "a text it does not name"
                            : key + ", which is not there any more"), "Give the text with --data FILE");
                }
                option = "the checkpoint's text";
            }
            return textInput(corpus, state.vocabulary(), option, s);
        }
        throw new CliException("--model: checkpoint " + model + " holds a model of " + cfg.model().input()
                + " trained on neither a text nor a task rnnlab knows, so there is no batch to diagnose it on",
                "Give a checkpoint of 'rnnlab train' (a text or --task run)");
    }

    /**
     * {@code "rnn_tanh: vanishing (rate 0.6170 per step; |dL/ds| at distance 100 is 9.100e-22 times that at distance 1)"}:
     * the run's verdict, with the rate and the change of the bottom layer's whole-state norm.
     */
    static String verdictLine(Diagnosis d) {
        GradientFlow.LayerFlow lf = d.flow().bottom();
        GeometricFit f = lf.fit(GradientFlow.WHOLE_STATE);
        double[] g = lf.gradientNorms(GradientFlow.WHOLE_STATE);
        Verdict v = d.verdict();
        String ratio = g.length > 1 && g[0] > 0 && Double.isFinite(g[g.length - 1])
                ? "; |dL/ds| at distance " + g.length + " is " + Format.loss(g[g.length - 1] / g[0]) + " times that at distance 1"
                : "";
        return d.name() + ": " + v.label() + " (rate " + Format.loss(f.rate()) + " per step" + ratio
                + (d.flow().layers().size() > 1 ? "; the worst of " + d.flow().layers().size() + " layers decides" : "") + ")";
    }
}
