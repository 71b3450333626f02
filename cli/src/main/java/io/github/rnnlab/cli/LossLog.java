package io.github.rnnlab.cli;

import io.github.rnnlab.report.PngChart;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The loss curve of a training run: one row every so many steps, written as {@code loss.csv} and drawn as
 * {@code loss.png}.
 *
 * <p>CSV columns of a character model ({@link #forText()}, {@link #HEADER}): {@code step} (updates done),
 * {@code train_loss} (mean batch loss since the previous row, nats per character), {@code val_loss} (validation
 * loss at this step, empty when none was measured), {@code lr} (the learning rate of the last update),
 * {@code chars_per_s} (training throughput since the previous row) and {@code elapsed_s} (training time so far,
 * the time of earlier sessions of a resumed run included).
 *
 * <p>A synthetic task ({@link #forTask}) has {@code sequences_per_s} for the throughput and one more column
 * after {@code val_loss}: the evaluation metric, named after it ({@code val_mse}, {@code val_accuracy}, …).
 */
final class LossLog {
    static final String HEADER = "step,train_loss,val_loss,lr,chars_per_s,elapsed_s";

    /**
     * One row; NaN for a value not measured.
     *
     * @param itemsPerSecond training throughput since the previous row (characters or sequences per second)
     * @param valMetric      the evaluation metric at this step (tasks only)
     */
    record Row(long step, double trainLoss, double valLoss, double lr, double itemsPerSecond, double elapsedSeconds,
               double valMetric) {
        /** A row without a metric. */
        Row(long step, double trainLoss, double valLoss, double lr, double itemsPerSecond, double elapsedSeconds) {
            this(step, trainLoss, valLoss, lr, itemsPerSecond, elapsedSeconds, Double.NaN);
        }

        String csv(boolean withMetric) {
            return step + "," + number(trainLoss) + "," + number(valLoss) + (withMetric ? "," + number(valMetric) : "") + ","
                    + number(lr) + ","
                    + (Double.isNaN(itemsPerSecond) ? "" : String.format(Locale.ROOT, "%.0f", itemsPerSecond)) + ","
                    + (Double.isNaN(elapsedSeconds) ? "" : String.format(Locale.ROOT, "%.1f", elapsedSeconds));
        }
    }

    private final String throughputColumn;
    private final String metricColumn;
    private final List<Row> rows = new ArrayList<>();

    /** The curve of a character model (the columns of {@link #HEADER}). */
    LossLog() {
        this("chars_per_s", null);
    }

    private LossLog(String throughputColumn, String metricColumn) {
        this.throughputColumn = throughputColumn;
        this.metricColumn = metricColumn;
    }

    /** The curve of a character model. */
    static LossLog forText() {
        return new LossLog();
    }

    /** The curve of a synthetic task whose metric is called {@code metric} ("MSE", "recall accuracy"). */
    static LossLog forTask(String metric) {
        return new LossLog("sequences_per_s", "val_" + metric.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_"));
    }

    /** An empty curve with the same columns. */
    LossLog emptyCopy() {
        return new LossLog(throughputColumn, metricColumn);
    }

    /** The CSV header line. */
    String header() {
        return "step,train_loss,val_loss" + (metricColumn == null ? "" : "," + metricColumn) + ",lr," + throughputColumn + ",elapsed_s";
    }

    void add(Row row) {
        if (!rows.isEmpty() && row.step() < rows.get(rows.size() - 1).step()) {
            throw new IllegalArgumentException("rows must not go back in steps: " + row.step() + " after "
                    + rows.get(rows.size() - 1).step());
        }
        rows.add(row);
    }

    /**
     * Replaces the validation loss of the last row if it is at {@code step}, else adds a row with only the
     * validation loss.
     */
    void validation(long step, double valLoss, double lr, double elapsed) {
        validation(step, valLoss, Double.NaN, lr, elapsed);
    }

    /** {@link #validation(long, double, double, double)} with the evaluation metric too. */
    void validation(long step, double valLoss, double valMetric, double lr, double elapsed) {
        if (!rows.isEmpty() && rows.get(rows.size() - 1).step() == step) {
            Row r = rows.remove(rows.size() - 1);
            rows.add(new Row(r.step(), r.trainLoss(), valLoss, r.lr(), r.itemsPerSecond(), r.elapsedSeconds(), valMetric));
        } else {
            add(new Row(step, Double.NaN, valLoss, lr, Double.NaN, elapsed, valMetric));
        }
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The elapsed time of the last row, or 0. */
    double lastElapsed() {
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (!Double.isNaN(rows.get(i).elapsedSeconds())) {
                return rows.get(i).elapsedSeconds();
            }
        }
        return 0;
    }

    String csv() {
        StringBuilder sb = new StringBuilder(header()).append('\n');
        for (Row r : rows) {
            sb.append(r.csv(metricColumn != null)).append('\n');
        }
        return sb.toString();
    }

    /**
     * The rows of an earlier session's character-model {@code loss.csv} up to {@code step} (a resumed run
     * continues its curve); empty if the file does not exist or is not such a file.
     */
    static LossLog readTextUpTo(Path csv, long step) {
        return new LossLog().readUpTo(csv, step);
    }

    /**
     * The rows of an earlier session's {@code loss.csv} with this log's columns up to {@code step}, as a new log;
     * empty if the file does not exist or has other columns.
     */
    LossLog readUpTo(Path csv, long step) {
        LossLog log = emptyCopy();
        if (!Files.isRegularFile(csv)) {
            return log;
        }
        int columns = metricColumn == null ? 6 : 7;
        try {
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).trim().equals(header())) {
                return log;
            }
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != columns) {
                    return emptyCopy();
                }
                long s = Long.parseLong(f[0].trim());
                if (s > step) {
                    break;
                }
                int m = metricColumn == null ? 0 : 1;
                log.add(new Row(s, parse(f[1]), parse(f[2]), parse(f[3 + m]), parse(f[4 + m]), parse(f[5 + m]),
                        m == 0 ? Double.NaN : parse(f[3])));
            }
        } catch (IOException | RuntimeException e) {
            return emptyCopy();
        }
        return log;
    }

    /** The chart of a character model: loss in nats per character, the unigram baseline as a flat line. */
    BufferedImage chart(String title, double baseline) {
        return chart(title, "loss (nats per character)", baseline, "unigram baseline (validation)");
    }

    /**
     * The chart: training and validation loss against steps, with the baseline as a flat line.
     *
     * @param yLabel       what the loss is
     * @param baselineName the legend of the baseline (not drawn if {@code baseline} is not finite)
     */
    BufferedImage chart(String title, String yLabel, double baseline, String baselineName) {
        List<double[]> train = series(true);
        List<double[]> val = series(false);
        List<PngChart.Line> lines = new ArrayList<>();
        lines.add(new PngChart.Line("training loss", train.get(0), train.get(1)));
        if (val.get(0).length > 0) {
            lines.add(new PngChart.Line(metricColumn == null ? "validation loss" : "evaluation loss", val.get(0), val.get(1)));
        }
        if (Double.isFinite(baseline) && !rows.isEmpty()) {
            double first = rows.get(0).step();
            double last = rows.get(rows.size() - 1).step();
            lines.add(new PngChart.Line(baselineName, new double[] {first, Math.max(last, first + 1)},
                    new double[] {baseline, baseline}));
        }
        return PngChart.lines(title, "step", yLabel, false, lines);
    }

    private List<double[]> series(boolean training) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Row r : rows) {
            double y = training ? r.trainLoss() : r.valLoss();
            if (Double.isFinite(y)) {
                xs.add((double) r.step());
                ys.add(y);
            }
        }
        return List.of(xs.stream().mapToDouble(Double::doubleValue).toArray(), ys.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : String.format(Locale.ROOT, "%.6g", v);
    }

    private static double parse(String s) {
        String t = s.trim();
        if (t.isEmpty()) {
            return Double.NaN;
        }
        return switch (t) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(t);
        };
    }
}
