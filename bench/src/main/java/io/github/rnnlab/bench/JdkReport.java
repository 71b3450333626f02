package io.github.rnnlab.bench;

import io.github.rnnlab.io.AtomicFiles;
import io.github.rnnlab.report.PngChart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns JMH JSON results ({@code -rf json}), one file per JDK, into a Markdown report with a table
 * (benchmark × JDK: score ± error, GFLOP/s for GEMM rows, speed relative to the first JDK) and a PNG
 * bar chart of those relative speeds. Used by {@code bench/compare-jdks}.
 *
 * <pre>
 * java -cp benchmarks.jar io.github.rnnlab.bench.JdkReport [--percentile P] OUT_DIR LABEL=results.json [LABEL=results.json ...]
 * </pre>
 * writes {@code OUT_DIR/report.md} and {@code OUT_DIR/report.png}. A file {@code results.species.txt}
 * beside a JSON file (the output of {@link Species}) is quoted under that JDK's heading. With
 * {@code --percentile 50} the scores are medians of sample-time results ({@code -bm sample}), which a
 * busy machine disturbs less than means.
 */
public final class JdkReport {
    private JdkReport() {
    }

    /** One benchmark result: its name with parameters, score, error and unit. */
    record Result(String key, double score, double error, String unit, Map<String, String> params) {
        /** Whether a larger score is better (throughput) or a smaller one (time per op). */
        boolean higherIsBetter() {
            return unit.endsWith("/s") || unit.startsWith("ops/");
        }

        /** 2·m·n·k / seconds per op, for results with a {@code shape} parameter m x n x k and a time unit; else NaN. */
        double gflops() {
            String shape = params.get("shape");
            Double seconds = secondsPerOp(score, unit);
            if (shape == null || seconds == null) return Double.NaN;
            int[] s = GemmBench.shape(shape);
            return 2.0 * s[0] * s[1] * s[2] / seconds / 1e9;
        }
    }

    /** One JDK's results, in file order. */
    record Run(String label, String species, List<Result> results) {
    }

    static Double secondsPerOp(double score, String unit) {
        return switch (unit) {
            case "s/op" -> score;
            case "ms/op" -> score * 1e-3;
            case "us/op" -> score * 1e-6;
            case "ns/op" -> score * 1e-9;
            default -> null;
        };
    }

    /** Reads one JMH JSON file, taking each result's mean score. */
    static List<Result> read(Path json) throws IOException {
        return read(json, null);
    }

    /**
     * Reads one JMH JSON file. With a percentile (such as "50.0", from sample-time mode's
     * {@code scorePercentiles}) each score is that percentile and the error is left out; results
     * without it keep their mean.
     */
    @SuppressWarnings("unchecked")
    static List<Result> read(Path json, String percentile) throws IOException {
        Object root = Json.parse(Files.readString(json, StandardCharsets.UTF_8));
        if (!(root instanceof List<?> list)) {
            throw new IllegalArgumentException(json + ": expected a JSON array of JMH results, got " + kind(root));
        }
        List<Result> out = new ArrayList<>();
        for (Object o : list) {
            Map<String, Object> r = (Map<String, Object>) o;
            String name = (String) r.get("benchmark");
            String shortName = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            Map<String, String> params = new TreeMap<>();
            if (r.get("params") instanceof Map<?, ?> p) {
                p.forEach((k, v) -> params.put((String) k, String.valueOf(v)));
            }
            Map<String, Object> metric = (Map<String, Object>) r.get("primaryMetric");
            StringBuilder key = new StringBuilder(shortName);
            params.forEach((k, v) -> key.append(' ').append(k).append('=').append(v));
            double score = number(metric.get("score")), error = number(metric.get("scoreError"));
            if (percentile != null && metric.get("scorePercentiles") instanceof Map<?, ?> pct && pct.containsKey(percentile)) {
                score = number(pct.get(percentile));
                error = Double.NaN;
            }
            out.add(new Result(key.toString(), score, error, (String) metric.get("scoreUnit"), params));
        }
        return out;
    }

    private static String kind(Object o) {
        return o == null ? "null" : o instanceof Map ? "an object" : o.getClass().getSimpleName();
    }

    private static double number(Object o) {
        if (o instanceof Double d) return d;
        if (o instanceof String s) return s.equals("NaN") ? Double.NaN : Double.parseDouble(s);
        return Double.NaN;
    }

    /**
     * The Markdown report for {@code runs} (the first run is the reference for the ratios); {@code percentile},
     * if not null, names the sample percentile the scores are.
     */
    static String markdown(List<Run> runs, String chartFile, String percentile) {
        Map<String, Result[]> table = table(runs);
        boolean anyGflops = table.values().stream().anyMatch(rs -> rs[0] != null && !Double.isNaN(rs[0].gflops())
                || rs.length > 1 && rs[1] != null && !Double.isNaN(rs[1].gflops()));
        StringBuilder md = new StringBuilder();
        md.append("# rnnlab benchmarks across JDKs\n\n");
        for (Run r : runs) {
            md.append("- **").append(r.label()).append("**")
                    .append(r.species().isEmpty() ? "" : ": `" + r.species() + "`").append('\n');
        }
        md.append(percentile == null ? "\nScores are JMH's (mean ± 99.9% half-interval)."
                : "\nScores are the " + percentile + "th percentile of JMH's samples (sample-time mode; means where there are no samples).");
        md.append(" Speed is relative to **")
                .append(runs.get(0).label()).append("**: above 1 is faster")
                .append(" (for time per op it is the first JDK's time divided by this one's).");
        if (anyGflops) md.append(" GFLOP/s = 2·m·n·k / time per op.");
        md.append("\n\n| benchmark |");
        for (Run r : runs) {
            md.append(' ').append(r.label()).append(" |");
            if (anyGflops) md.append(' ').append(r.label()).append(" GFLOP/s |");
        }
        for (int j = 1; j < runs.size(); j++) md.append(" speed ").append(runs.get(j).label()).append(" |");
        md.append("\n|---|");
        int cols = runs.size() * (anyGflops ? 2 : 1) + runs.size() - 1;
        md.append("---:|".repeat(cols)).append('\n');
        for (Map.Entry<String, Result[]> e : table.entrySet()) {
            Result[] rs = e.getValue();
            md.append("| ").append(e.getKey()).append(" |");
            for (Result r : rs) {
                md.append(' ').append(r == null ? "—" : fmt(r.score()) + (Double.isNaN(r.error()) ? "" : " ± " + fmt(r.error()))
                        + " " + r.unit()).append(" |");
                if (anyGflops) md.append(' ').append(r == null || Double.isNaN(r.gflops()) ? "" : fmt(r.gflops())).append(" |");
            }
            for (int j = 1; j < rs.length; j++) {
                double s = speed(rs[0], rs[j]);
                md.append(' ').append(Double.isNaN(s) ? "—" : String.format(Locale.ROOT, "%.2f×", s)).append(" |");
            }
            md.append('\n');
        }
        md.append("\n![relative speed](").append(chartFile).append(")\n");
        return md.toString();
    }

    /** Rows keyed by benchmark and parameters, in first-seen order; one column per run. */
    static Map<String, Result[]> table(List<Run> runs) {
        Map<String, Result[]> table = new LinkedHashMap<>();
        for (int j = 0; j < runs.size(); j++) {
            for (Result r : runs.get(j).results()) {
                table.computeIfAbsent(r.key(), k -> new Result[runs.size()])[j] = r;
            }
        }
        return table;
    }

    /** How many times faster {@code other} is than {@code reference} (NaN if either is missing or units differ). */
    static double speed(Result reference, Result other) {
        if (reference == null || other == null || !reference.unit().equals(other.unit())) return Double.NaN;
        return reference.higherIsBetter() ? other.score() / reference.score() : reference.score() / other.score();
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "NaN";
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.3g", v);
    }

    /** Writes report.md and report.png into {@code dir}. */
    static void write(Path dir, List<Run> runs) throws IOException {
        write(dir, runs, null);
    }

    static void write(Path dir, List<Run> runs, String percentile) throws IOException {
        Files.createDirectories(dir);
        Map<String, Result[]> table = table(runs);
        List<String> categories = new ArrayList<>(table.keySet());
        List<String> labels = shortLabels(categories);
        List<PngChart.Bars> bars = new ArrayList<>();
        for (int j = 0; j < runs.size(); j++) {
            double[] v = new double[categories.size()];
            for (int i = 0; i < v.length; i++) {
                Result[] rs = table.get(categories.get(i));
                v[i] = speed(rs[0], rs[j]);
            }
            bars.add(new PngChart.Bars(runs.get(j).label(), v));
        }
        PngChart.writeBars(dir.resolve("report.png"), "Speed relative to " + runs.get(0).label(),
                "speed (× " + runs.get(0).label() + ")", labels, bars);
        AtomicFiles.writeString(dir.resolve("report.md"), markdown(runs, "report.png", percentile));
    }

    /** Chart labels: each row's key without the words (such as {@code impl=simd}) that every row shares. */
    static List<String> shortLabels(List<String> keys) {
        if (keys.size() < 2) return keys;
        java.util.Set<String> common = new java.util.LinkedHashSet<>(List.of(keys.get(0).split(" ")));
        for (String k : keys) common.retainAll(List.of(k.split(" ")));
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            StringBuilder b = new StringBuilder();
            for (String w : k.split(" ")) {
                if (!common.contains(w)) b.append(b.length() == 0 ? "" : " ").append(w);
            }
            out.add(b.length() == 0 ? k : b.toString());
        }
        return out;
    }

    static List<Run> runs(List<String> specs) throws IOException {
        return runs(specs, null);
    }

    static List<Run> runs(List<String> specs, String percentile) throws IOException {
        List<Run> runs = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected LABEL=results.json, got " + spec);
            }
            Path json = Path.of(spec.substring(eq + 1));
            String base = json.getFileName().toString().replaceFirst("\\.json$", "");
            Path speciesFile = json.resolveSibling(base + ".species.txt");
            String species = Files.exists(speciesFile) ? Files.readString(speciesFile).trim() : "";
            runs.add(new Run(spec.substring(0, eq), species, read(json, percentile)));
        }
        return runs;
    }

    public static void main(String[] args) throws IOException {
        List<String> a = new ArrayList<>(List.of(args));
        String percentile = null;
        if (a.size() >= 2 && a.get(0).equals("--percentile")) {
            percentile = String.valueOf(Double.parseDouble(a.get(1))); // "50" → "50.0", JMH's key
            a = a.subList(2, a.size());
        }
        if (a.size() < 2) {
            System.err.println("usage: JdkReport [--percentile P] OUT_DIR LABEL=results.json [LABEL=results.json ...]");
            System.exit(2);
        }
        Path dir = Path.of(a.get(0));
        write(dir, runs(a.subList(1, a.size()), percentile), percentile);
        System.out.println("wrote " + dir.resolve("report.md") + " and " + dir.resolve("report.png"));
    }
}
