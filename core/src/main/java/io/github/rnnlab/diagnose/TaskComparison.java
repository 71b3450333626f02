package io.github.rnnlab.diagnose;

import io.github.rnnlab.io.AtomicFiles;
import io.github.rnnlab.report.PngChart;
import io.github.rnnlab.task.Metric;
import io.github.rnnlab.train.TaskTraining;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The output of {@code rnnlab compare --task}: several {@link TaskTraining} runs on one task (one per
 * cell, with the same budget and seed) as a leaderboard, CSV files and a plot of the learning curves.
 *
 * <p>Ranking: runs that finished come first, ordered by their final metric (higher first for an
 * accuracy, lower first for MSE); diverged runs come last, in the given order.
 *
 * <h2>Files ({@link #writeAll})</h2>
 * <ul>
 *   <li>{@value #LEADERBOARD_CSV}: {@code rank,run,parameters,final_loss,final_metric,metric,baseline_metric,
 *       gap_closed,solved,steps,train_seconds,sequences_per_second,time_steps_per_second,status};</li>
 *   <li>{@value #CURVES_CSV}: {@code run,cell,step,train_loss,eval_loss,eval_metric,grad_norm,elapsed_seconds},
 *       one row per evaluation of every run;</li>
 *   <li>{@value #CURVES_PNG}: the evaluation metric against the update step, one line per cell and a
 *       flat line at the baseline (log scale for MSE).</li>
 * </ul>
 */
public final class TaskComparison {
    public static final String LEADERBOARD_CSV = "compare.csv";
    public static final String CURVES_CSV = "curves.csv";
    public static final String CURVES_PNG = "curves.png";
    /** The files {@link #writeAll} writes, in order. */
    public static final List<String> FILES = List.of(LEADERBOARD_CSV, CURVES_CSV, CURVES_PNG);

    private TaskComparison() {
    }

    /** One run of the comparison, under the name it gets in tables, files and legends. */
    public record Entry(String name, TaskTraining.Result result) {
    }

    /** The runs named by their cell ids (as {@code rnnlab compare --cells a,b,c} names them). */
    public static List<Entry> byCell(List<TaskTraining.Result> runs) {
        return runs.stream().map(r -> new Entry(r.cell(), r)).toList();
    }

    /** The runs in leaderboard order (see the class comment). */
    public static List<Entry> ranked(List<Entry> runs) {
        List<Entry> finished = new ArrayList<>(), diverged = new ArrayList<>();
        for (Entry r : runs) {
            (r.result().diverged() ? diverged : finished).add(r);
        }
        Comparator<Entry> byMetric = Comparator.comparingDouble(e -> e.result().finalMetric());
        if (!runs.isEmpty() && runs.get(0).result().metric().higherIsBetter()) {
            byMetric = byMetric.reversed();
        }
        finished.sort(byMetric);
        finished.addAll(diverged);
        return finished;
    }

    /**
     * The leaderboard as text: rank, cell, parameters, final loss and metric, the baseline metric, the
     * fraction of the gap to perfect closed, solved or not, updates, training time, sequences and time
     * steps per second of training, and the status: "finished", "diverged after n updates" for a run stopped
     * by a non-finite loss, "stopped after n of N updates" for one its listener stopped (a time limit).
     *
     */
    public static String table(List<Entry> runs) {
        TextTable t = header();
        int rank = 1;
        for (Entry r : ranked(runs)) {
            t.row(row(r, rank++, false));
        }
        return t.text();
    }

    /** {@value #LEADERBOARD_CSV}'s content. */
    public static String leaderboardCsv(List<Entry> runs) {
        TextTable t = new TextTable(List.of("rank", "run", "parameters", "final_loss", "final_metric", "metric", "baseline_metric",
                "gap_closed", "solved", "steps", "train_seconds", "sequences_per_second", "time_steps_per_second", "status"));
        int rank = 1;
        for (Entry r : ranked(runs)) {
            t.row(row(r, rank++, true));
        }
        return t.csv();
    }

    private static TextTable header() {
        return new TextTable(List.of("rank", "run", "params", "final loss", "final metric", "metric", "baseline",
                "gap closed", "solved", "steps", "train s", "seq/s", "timesteps/s", "status"));
    }

    private static List<String> row(Entry e, int rank, boolean csv) {
        TaskTraining.Result r = e.result();
        java.util.function.DoubleFunction<String> f = csv ? TextTable::csvNum : TextTable::num;
        String status = r.diverged() ? "diverged after " + updates(r.stepsTaken())
                : r.stepsTaken() < r.config().steps() ? "stopped after " + r.stepsTaken() + " of " + r.config().steps() + " updates"
                : "finished";
        return List.of(Integer.toString(rank), e.name(), Integer.toString(r.parameters()), f.apply(r.finalLoss()),
                f.apply(r.finalMetric()), r.metric().label(), f.apply(r.baselineMetric()), f.apply(r.gapClosed()),
                r.solved() ? "yes" : "no", Long.toString(r.stepsTaken()), f.apply(r.trainSeconds()),
                f.apply(r.sequencesPerSecond()), f.apply(r.timeStepsPerSecond()), status);
    }

    /** {@code "1 update"}, {@code "2 updates"}. */
    static String updates(long n) {
        return n + (n == 1 ? " update" : " updates");
    }

    /** {@value #CURVES_CSV}'s content. */
    public static String curvesCsv(List<Entry> runs) {
        TextTable t = new TextTable(List.of("run", "cell", "step", "train_loss", "eval_loss", "eval_metric", "grad_norm", "elapsed_seconds"));
        for (Entry e : runs) {
            TaskTraining.Result r = e.result();
            for (TaskTraining.CurvePoint p : r.curve()) {
                t.row(List.of(e.name(), r.cell(), Long.toString(p.step()), TextTable.csvNum(p.trainLoss()), TextTable.csvNum(p.evalLoss()),
                        TextTable.csvNum(p.evalMetric()), TextTable.csvNum(p.gradientNorm()), TextTable.csvNum(p.elapsedSeconds())));
            }
        }
        return t.csv();
    }

    /** The series of {@value #CURVES_PNG}: each run's evaluation metric by step, then the baseline. */
    public static List<PngChart.Line> curveSeries(List<Entry> runs) {
        List<PngChart.Line> out = new ArrayList<>();
        long maxStep = 1;
        for (Entry e : runs) {
            TaskTraining.Result r = e.result();
            double[] x = new double[r.curve().size()], y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.curve().get(i).step();
                y[i] = r.curve().get(i).evalMetric();
                maxStep = Math.max(maxStep, r.curve().get(i).step());
            }
            out.add(new PngChart.Line(r.diverged() ? e.name() + " (diverged after " + updates(r.stepsTaken()) + ")" : e.name(), x, y));
        }
        if (!runs.isEmpty()) {
            double b = runs.get(0).result().baselineMetric();
            out.add(new PngChart.Line("baseline " + TextTable.num(b), new double[]{0, maxStep}, new double[]{b, b}));
        }
        return out;
    }

    /**
     * Writes the two CSV files and the learning-curve plot into {@code dir} (created if needed).
     *
     * @return the files written
     */
    public static List<Path> writeAll(Path dir, List<Entry> runs) throws IOException {
        Files.createDirectories(dir);
        Path lb = dir.resolve(LEADERBOARD_CSV), cv = dir.resolve(CURVES_CSV), png = dir.resolve(CURVES_PNG);
        AtomicFiles.writeString(lb, leaderboardCsv(runs));
        AtomicFiles.writeString(cv, curvesCsv(runs));
        Metric m = runs.isEmpty() ? Metric.MEAN_SQUARED_ERROR : runs.get(0).result().metric();
        String task = runs.isEmpty() ? "" : runs.get(0).result().task();
        PngChart.writeLines(png, "Learning curves: " + task + " task", "update step", "evaluation " + m.label()
                + (m.higherIsBetter() ? "" : " (log scale)"), !m.higherIsBetter(), curveSeries(runs));
        return List.of(lb, cv, png);
    }
}
