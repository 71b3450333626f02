package io.github.rnnlab.diagnose;

import io.github.rnnlab.io.AtomicFiles;
import io.github.rnnlab.report.PngChart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The output of {@code rnnlab diagnose} for one or more runs ({@link Diagnosis}): text tables, CSV
 * files and PNG plots. Every method is a pure function of the runs (the files are written
 * atomically).
 *
 * <h2>Files ({@link #writeAll})</h2>
 * <ul>
 *   <li>{@value #CURVES_CSV}: one row per (run, layer, state, distance d = 1…T):
 *       {@code run,cell,layer,state,distance,grad_norm,step,jacobian_norm,jacobian_rms}, where {@code grad_norm} is
 *       the mean over counted rows of ‖∂ℓ/∂s‖ of that state at distance d (the state after step
 *       T − d), {@code step} = T − d + 1 and {@code jacobian_norm} the mean spectral norm of that
 *       state's block of the step Jacobian ∂s_step/∂s_{step−1} (the factor the gradient passes through
 *       from distance d − 1 to d) and {@code jacobian_rms} its RMS singular value, empty where not
 *       sampled. State {@value GradientFlow#WHOLE_STATE} is
 *       the whole state row;</li>
 *   <li>{@value #SUMMARY_CSV}: one row per (run, layer, state): the fitted rate per step, its log₁₀
 *       change over the window, the norms at d = 1 and d = T, the mean logarithms of the step
 *       Jacobian's spectral norm and RMS singular value, and the verdict;</li>
 *   <li>{@value #SPECTRA_CSV}: one row per recurrent weight block: spectral radius, σ₁, σ_min;</li>
 *   <li>{@value #GRADIENT_PNG}: log₁₀ ‖∂ℓ/∂s‖ (whole state, layer 0) against the distance from T, one
 *       line per run; {@value #JACOBIAN_PNG}: ‖∂s_t/∂s_{t−1}‖ (layer 0) against the step t.</li>
 * </ul>
 */
public final class DiagnosticReport {
    public static final String CURVES_CSV = "gradient_norms.csv";
    public static final String SUMMARY_CSV = "gradient_summary.csv";
    public static final String SPECTRA_CSV = "spectra.csv";
    public static final String GRADIENT_PNG = "gradient_norms.png";
    public static final String JACOBIAN_PNG = "jacobian_norms.png";
    /** The files {@link #writeAll} writes, in order. */
    public static final List<String> FILES = List.of(CURVES_CSV, SUMMARY_CSV, SPECTRA_CSV, GRADIENT_PNG, JACOBIAN_PNG);

    private DiagnosticReport() {
    }

    /**
     * The summary table: one line per (run, layer, state) — for a single-state cell the state alone —
     * with the largest spectral radius and σ₁ of the layer's recurrent weights, the fitted per-step rate
     * of ‖∂ℓ/∂s‖, its log₁₀ change over the window, the norms at distance 1 and T, the geometric means
     * over the sampled steps of the step Jacobian's spectral norm σ₁(J) and RMS singular value rms(J)
     * (of the state's diagonal block on a state's line), and the verdict.
     */
    public static String table(List<Diagnosis> runs) {
        TextTable t = new TextTable(List.of("run", "cell", "layer", "state", "rho(W_hh)", "sigma1(W_hh)", "rate/step",
                "log10 change", "|g| d=1", "|g| d=T", "sigma1(J)", "rms(J)", "verdict"));
        for (Diagnosis d : runs) {
            for (GradientFlow.LayerFlow lf : d.flow().layers()) {
                for (String state : shownStates(lf)) {
                    GeometricFit f = lf.fit(state);
                    double[] g = lf.gradientNorms(state);
                    boolean whole = state.equals(GradientFlow.WHOLE_STATE) || lf.states().size() == 2;
                    double jac = Math.exp(lf.meanLogJacobianNorm(state)), rms = Math.exp(lf.meanLogJacobianRms(state));
                    t.row(List.of(d.name(), d.cell(), Integer.toString(lf.layer()), state, TextTable.num(d.maxSpectralRadius(lf.layer())),
                            TextTable.num(d.maxSingularValue(lf.layer())), TextTable.num(f.rate()), TextTable.num(f.log10Change()),
                            TextTable.num(g[0]), TextTable.num(g[g.length - 1]), TextTable.num(jac), TextTable.num(rms),
                            whole ? lf.verdict().label() : ""));
                }
            }
        }
        return t.text();
    }

    /** The spectra table: one line per recurrent weight block of every run. */
    public static String spectraTable(List<Diagnosis> runs) {
        TextTable t = new TextTable(List.of("run", "block", "shape", "spectral radius", "sigma max", "sigma min"));
        for (Diagnosis d : runs) {
            for (RecurrentSpectra.BlockSpectrum b : d.spectra()) {
                t.row(List.of(d.name(), b.label(), b.rows() + "x" + b.cols(), TextTable.num(b.spectralRadius()),
                        TextTable.num(b.largestSingularValue()), TextTable.num(b.smallestSingularValue())));
            }
        }
        return t.text();
    }

    /** {@value #CURVES_CSV}'s content (see the class comment). */
    public static String curvesCsv(List<Diagnosis> runs) {
        TextTable t = new TextTable(List.of("run", "cell", "layer", "state", "distance", "grad_norm", "step", "jacobian_norm",
                "jacobian_rms"));
        for (Diagnosis d : runs) {
            int steps = d.flow().steps();
            for (GradientFlow.LayerFlow lf : d.flow().layers()) {
                for (String state : lf.states()) {
                    double[] g = lf.gradientNorms(state), j = lf.jacobianNorms(state), r = lf.jacobianRms(state);
                    for (int dist = 1; dist <= steps; dist++) {
                        int step = steps - dist + 1;
                        t.row(List.of(d.name(), d.cell(), Integer.toString(lf.layer()), state, Integer.toString(dist),
                                TextTable.csvNum(g[dist - 1]), Integer.toString(step), TextTable.csvNum(j[step - 1]),
                                TextTable.csvNum(r[step - 1])));
                    }
                }
            }
        }
        return t.csv();
    }

    /** {@value #SUMMARY_CSV}'s content (see the class comment). */
    public static String summaryCsv(List<Diagnosis> runs) {
        TextTable t = new TextTable(List.of("run", "cell", "layer", "state", "rate_per_step", "log10_change", "fitted_points",
                "grad_norm_d1", "grad_norm_dT", "mean_log_jacobian_norm", "mean_log_jacobian_rms", "verdict", "steps", "counted_rows"));
        for (Diagnosis d : runs) {
            for (GradientFlow.LayerFlow lf : d.flow().layers()) {
                for (String state : lf.states()) {
                    GeometricFit f = lf.fit(state);
                    double[] g = lf.gradientNorms(state);
                    double mlj = lf.meanLogJacobianNorm(state), mlr = lf.meanLogJacobianRms(state);
                    t.row(List.of(d.name(), d.cell(), Integer.toString(lf.layer()), state, TextTable.csvNum(f.rate()),
                            TextTable.csvNum(f.log10Change()), Integer.toString(f.points()), TextTable.csvNum(g[0]),
                            TextTable.csvNum(g[g.length - 1]), TextTable.csvNum(mlj), TextTable.csvNum(mlr),
                            Verdict.of(f, d.flow().config().thresholds()).label(),
                            Integer.toString(d.flow().steps()), Integer.toString(d.flow().countedRows())));
                }
            }
        }
        return t.csv();
    }

    /** {@value #SPECTRA_CSV}'s content. */
    public static String spectraCsv(List<Diagnosis> runs) {
        TextTable t = new TextTable(List.of("run", "cell", "parameter", "gate", "rows", "cols", "spectral_radius", "sigma_max", "sigma_min"));
        for (Diagnosis d : runs) {
            for (RecurrentSpectra.BlockSpectrum b : d.spectra()) {
                t.row(List.of(d.name(), d.cell(), b.parameter(), b.gate() < 0 ? "" : Integer.toString(b.gate()),
                        Integer.toString(b.rows()), Integer.toString(b.cols()), TextTable.csvNum(b.spectralRadius()),
                        TextTable.csvNum(b.largestSingularValue()), TextTable.csvNum(b.smallestSingularValue())));
            }
        }
        return t.csv();
    }

    /** The series of {@value #GRADIENT_PNG}: per run, layer 0's whole-state norm against the distance. */
    public static List<PngChart.Line> gradientSeries(List<Diagnosis> runs) {
        List<PngChart.Line> out = new ArrayList<>();
        for (Diagnosis d : runs) {
            GradientFlow.LayerFlow lf = d.flow().bottom();
            double[] g = lf.gradientNorms(GradientFlow.WHOLE_STATE);
            double[] x = new double[g.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
            }
            GeometricFit f = lf.fit(GradientFlow.WHOLE_STATE);
            out.add(new PngChart.Line(String.format(Locale.ROOT, "%s: %.3f/step, %s", d.name(), f.rate(), lf.verdict().label()), x, g));
        }
        return out;
    }

    /** The series of {@value #JACOBIAN_PNG}: per run, layer 0's whole-state step-Jacobian norm against the step. */
    public static List<PngChart.Line> jacobianSeries(List<Diagnosis> runs) {
        List<PngChart.Line> out = new ArrayList<>();
        for (Diagnosis d : runs) {
            GradientFlow.LayerFlow lf = d.flow().bottom();
            double[] j = lf.jacobianNorms(GradientFlow.WHOLE_STATE);
            double[] x = new double[j.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
            }
            out.add(new PngChart.Line(String.format(Locale.ROOT, "%s: geo-mean %.3f", d.name(), lf.geometricMeanJacobianNorm()), x, j));
        }
        return out;
    }

    /**
     * Writes the three CSV files and the two PNG plots into {@code dir} (created if needed).
     *
     * @return the files written, in the order of the class comment
     */
    public static List<Path> writeAll(Path dir, List<Diagnosis> runs) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        files.add(write(dir.resolve(CURVES_CSV), curvesCsv(runs)));
        files.add(write(dir.resolve(SUMMARY_CSV), summaryCsv(runs)));
        files.add(write(dir.resolve(SPECTRA_CSV), spectraCsv(runs)));
        int steps = runs.isEmpty() ? 0 : runs.get(0).flow().steps();
        Path g = dir.resolve(GRADIENT_PNG);
        PngChart.writeLines(g, "Gradient of a loss at step T, back through time (T = " + steps + ")",
                "distance from T (steps)", "mean ||dL_T/ds_t|| (log scale)", true, gradientSeries(runs));
        files.add(g);
        Path j = dir.resolve(JACOBIAN_PNG);
        PngChart.writeLines(j, "Step Jacobian norms ||ds_t/ds_(t-1)||", "step t", "spectral norm (log scale)", true, jacobianSeries(runs));
        files.add(j);
        return files;
    }

    private static Path write(Path file, String text) throws IOException {
        AtomicFiles.writeString(file, text);
        return file;
    }

    private static List<String> shownStates(GradientFlow.LayerFlow lf) {
        // a single-state cell: its state is the whole state; show it once
        return lf.states().size() == 2 ? List.of(lf.states().get(0)) : lf.states();
    }

}
