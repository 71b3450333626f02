package io.github.rnnlab.tck;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellLayout;
import io.github.rnnlab.numeric.F64Ops;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a cell's hand-written backward pass against central finite differences in float64, as
 * REFERENCE.md §3 prescribes: {@code n = (L(w + ε) − L(w − ε)) / 2ε} with ε = 1e-6 for every element
 * of every parameter block, of the input sequence and of the initial states; an element passes when
 * {@code |a − n| ≤ 1e-5 + 1e-3·|n|} (PyTorch's gradcheck). DL4J's symmetric relative error is reported
 * beside it. The loss is the fixed random linear functional of {@link Fixture}, so every output and
 * final state carries gradient; padded steps are included when the scenario has a mask.
 */
public final class GradientCheck {
    /** The finite-difference step. */
    public static final double EPSILON = 1e-6;
    /** Absolute tolerance of the pass criterion. */
    public static final double ATOL = 1e-5;
    /** Relative tolerance of the pass criterion. */
    public static final double RTOL = 1e-3;
    /** DL4J: maximum symmetric relative error. */
    public static final double DL4J_MAX_REL = 1e-3;
    /** DL4J: absolute errors below this never fail. */
    public static final double DL4J_MIN_ABS = 1e-8;

    private GradientCheck() {
    }

    /** Checks {@code cell} on random data for {@code scenario}. */
    public static GradientReport run(Cell cell, Scenario scenario) {
        return run(cell, scenario, Fixture.random(cell, scenario));
    }

    /** Checks {@code cell} on {@code f}. */
    public static GradientReport run(Cell cell, Scenario scenario, Fixture f) {
        F64Ops ops = F64Ops.INSTANCE;
        ChunkRunner.Result analytic = ChunkRunner.run(cell, ops, f, ChunkRunner.Mode.TRAINING);
        List<GradientReport.Entry> entries = new ArrayList<>();
        CellLayout layout = cell.layout();
        for (CellLayout.ParameterBlock b : layout.parameters()) {
            double[] numeric = new double[b.size()];
            for (int i = 0; i < b.size(); i++) {
                int k = b.offset() + i;
                numeric[i] = derivative(cell, f, Target.PARAMETERS, k);
            }
            entries.add(compare(b.name(), slice(analytic.parameterGrad(), b.offset(), b.size()), numeric));
        }
        double[] numericInput = new double[f.input().length];
        for (int i = 0; i < numericInput.length; i++) {
            numericInput[i] = derivative(cell, f, Target.INPUT, i);
        }
        entries.add(compare("input", analytic.inputGrad(), numericInput));
        int s = layout.stateSize();
        for (CellLayout.StateBlock st : layout.states()) {
            double[] a = new double[f.batch() * st.size()];
            double[] n = new double[a.length];
            for (int row = 0; row < f.batch(); row++) {
                for (int j = 0; j < st.size(); j++) {
                    int k = row * s + st.offset() + j;
                    a[row * st.size() + j] = analytic.initialStateGrad()[k];
                    n[row * st.size() + j] = derivative(cell, f, Target.INITIAL_STATE, k);
                }
            }
            entries.add(compare("initial " + st.name(), a, n));
        }
        return new GradientReport(cell.id(), scenario, entries);
    }

    private enum Target { PARAMETERS, INPUT, INITIAL_STATE }

    private static double derivative(Cell cell, Fixture f, Target target, int k) {
        double[] x = switch (target) {
            case PARAMETERS -> f.parameters().clone();
            case INPUT -> f.input().clone();
            case INITIAL_STATE -> f.initialState().clone();
        };
        double w = x[k];
        x[k] = w + EPSILON;
        double plus = loss(cell, withTarget(f, target, x));
        x[k] = w - EPSILON;
        double minus = loss(cell, withTarget(f, target, x));
        return (plus - minus) / (2 * EPSILON);
    }

    private static Fixture withTarget(Fixture f, Target target, double[] x) {
        return switch (target) {
            case PARAMETERS -> f.with(f.input(), x, f.initialState());
            case INPUT -> f.with(x, f.parameters(), f.initialState());
            case INITIAL_STATE -> f.with(f.input(), f.parameters(), x);
        };
    }

    /** {@code L = Σ outputGrad ⊙ output + Σ finalStateGrad ⊙ finalState}, forward in float64 without a tape. */
    static double loss(Cell cell, Fixture f) {
        ChunkRunner.Result r = ChunkRunner.run(cell, F64Ops.INSTANCE, f, ChunkRunner.Mode.INFERENCE);
        double l = 0;
        for (int i = 0; i < r.output().length; i++) {
            l += f.outputGrad()[i] * r.output()[i];
        }
        for (int i = 0; i < r.finalState().length; i++) {
            l += f.finalStateGrad()[i] * r.finalState()[i];
        }
        return l;
    }

    private static double[] slice(double[] a, int off, int len) {
        return java.util.Arrays.copyOfRange(a, off, off + len);
    }

    static GradientReport.Entry compare(String name, double[] analytic, double[] numeric) {
        double maxAbs = 0, maxRel = 0, maxSym = 0, worstRatio = -1;
        int worst = -1, failures = 0, symFailures = 0;
        for (int i = 0; i < numeric.length; i++) {
            double a = analytic[i], n = numeric[i];
            double abs = Math.abs(a - n);
            if (Double.isNaN(abs)) {
                abs = Double.POSITIVE_INFINITY;
            }
            maxAbs = Math.max(maxAbs, abs);
            if (n != 0) {
                maxRel = Math.max(maxRel, abs / Math.abs(n));
            }
            double denom = Math.abs(a) + Math.abs(n);
            double sym = denom == 0 ? (abs == 0 ? 0 : Double.POSITIVE_INFINITY) : abs / denom;
            if (Double.isNaN(sym)) {
                sym = Double.POSITIVE_INFINITY;
            }
            maxSym = Math.max(maxSym, sym);
            double bound = ATOL + RTOL * Math.abs(n);
            if (!(abs <= bound)) {
                failures++;
            }
            if (sym > DL4J_MAX_REL && abs >= DL4J_MIN_ABS) {
                symFailures++;
            }
            double ratio = abs / bound;
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = i;
            }
        }
        return new GradientReport.Entry(name, numeric.length, maxAbs, maxRel, maxSym, worst,
                worst < 0 ? 0 : analytic[worst], worst < 0 ? 0 : numeric[worst], failures, symFailures);
    }
}
