package io.github.rnnlab.tck;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellLayout;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Chunk;
import io.github.rnnlab.cell.OptionSpec;
import io.github.rnnlab.cell.ParameterSpec;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.cell.StateSpec;
import io.github.rnnlab.init.Orthogonal;
import io.github.rnnlab.init.ParameterInit;
import io.github.rnnlab.kernel.WorkerTeam;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Rng;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The laws every cell must obey, as plain Java: each method checks one law on one case and returns a
 * {@link CheckResult} (it never throws for a broken cell; it reports). {@link CellContract} runs them
 * as jqwik properties over random cases; {@code rnnlab check --cell ID} runs {@link #all} and prints
 * the results.
 *
 * <h2>Tolerances</h2>
 * Comparisons between two computations of the same quantity are made per block (output, final
 * state, each parameter block's gradient, input gradient, initial-state gradient), relative to the
 * block's scale: {@code max |a − r| ≤ tol · (1 + max |r|)}.
 * <ul>
 *   <li>{@link #F32_TOLERANCE} = 1e-4: float32 (Vector API kernels) against the float64 reference on
 *       the same float-rounded data; about 800 float32 ulps of the block's scale, room for the
 *       rounding of a few steps of recurrence, sums of up to a few hundred terms and the SIMD
 *       activations' few-ulp errors, and still four orders below any real bug.</li>
 *   <li>{@link #VARIANT_TOLERANCE} = 1e-5: float32 against float32 computed another way (SIMD on vs
 *       off, several threads vs one), which may differ only by summation order and activation
 *       rounding.</li>
 *   <li>{@link #SAME_MATH_TOLERANCE} = 1e-12: float64 against float64 by the same arithmetic in other
 *       chunking (streaming vs chunked, padded step vs skipped step, one row vs a batch).</li>
 *   <li>{@link #ORTHOGONAL_TOLERANCE} = 1e-5: each singular value of an orthogonally initialised block
 *       against the gain.</li>
 *   <li>Gradients: {@link GradientCheck} (|a − n| ≤ 1e-5 + 1e-3·|n|, ε = 1e-6).</li>
 * </ul>
 */
public final class CellChecks {
    /** float32 vs float64, relative to the block's scale. */
    public static final double F32_TOLERANCE = 1e-4;
    /** float32 vs float32 by another route (SIMD switch, threads), relative to the block's scale. */
    public static final double VARIANT_TOLERANCE = 1e-5;
    /** float64 vs float64 by the same arithmetic, relative to the block's scale. */
    public static final double SAME_MATH_TOLERANCE = 1e-12;
    /** Singular values of an orthogonal block vs the gain. */
    public static final double ORTHOGONAL_TOLERANCE = 1e-5;

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");

    private CellChecks() {
    }

    /**
     * A few cases for a one-off check of {@code config} (what {@code rnnlab check} runs {@link #all} on):
     * batch 3 and 4 steps, once without padding, once with random holes, once with packed lengths.
     */
    public static List<Scenario> scenarios(CellConfig config, long seed) {
        List<Scenario> out = new ArrayList<>();
        for (Scenario.Padding p : Scenario.Padding.values()) {
            out.add(new Scenario(config, 3, 4, p, seed + p.ordinal()));
        }
        return out;
    }

    /** Every law on one case, in a fixed order: the table {@code rnnlab check} prints. */
    public static List<CheckResult> all(CellProvider p, Scenario s) {
        return all(p, s, null);
    }

    /**
     * {@link #all(CellProvider, Scenario)} with the case's finite-difference report already computed by
     * {@link GradientCheck#run} (as {@code rnnlab check} does to print it), so the most expensive law is not
     * run twice; null computes it.
     */
    public static List<CheckResult> all(CellProvider p, Scenario s, GradientReport gradients) {
        List<CheckResult> r = new ArrayList<>();
        r.add(metadata(p));
        r.add(layout(p, s.config()));
        r.add(unknownOptionThrows(p, s.config()));
        r.add(gradients == null ? gradients(p, s) : gradients(gradients));
        r.add(float32AgreesWithFloat64(p, s));
        r.add(simdOnAndOffAgree(p, s));
        r.add(teamAgreesWithOneThread(p, s, 2));
        r.add(streamingEqualsChunked(p, s));
        r.add(paddedStepsAreSkippedSteps(p, s));
        r.add(deterministic(p, s));
        r.add(nullGradientsMeanZero(p, s));
        r.add(inputsUnmodified(p, s));
        r.add(wrongInputSizeThrows(p, s));
        r.add(emptyChunks(p, s.config(), s.seed()));
        r.add(orthogonalInit(p, s.config(), 1.0, s.seed()));
        return r;
    }

    // ---- the laws -----------------------------------------------------------------------------------

    /** The provider's descriptor is well formed: id, version, description, specs. */
    public static CheckResult metadata(CellProvider p) {
        String law = "provider metadata";
        return guard(law, () -> {
            List<String> problems = new ArrayList<>();
            String id = p.id();
            if (id == null || !ID.matcher(id).matches()) {
                problems.add("id must match [a-z][a-z0-9_]*, got " + id);
            }
            if (p.version() == null || p.version().isBlank()) {
                problems.add("version is empty");
            }
            String d = p.description();
            if (d == null || d.isBlank() || d.contains("\n")) {
                problems.add("description must be one non-empty line, got " + (d == null ? null : "\"" + d + "\""));
            }
            if (p.gateCount() < 0) {
                problems.add("gateCount must be ≥ 0, got " + p.gateCount());
            }
            List<StateSpec> states = p.states();
            if (states == null || states.isEmpty() || !states.get(0).name().equals("h")) {
                problems.add("the first state must be h, got " + states);
            }
            unique("parameter", p.parameters().stream().map(ParameterSpec::name).toList(), problems);
            unique("state", states == null ? List.of() : states.stream().map(StateSpec::name).toList(), problems);
            unique("option", p.options().stream().map(OptionSpec::name).toList(), problems);
            if (!signature(p.parameters()).equals(signature(p.parameters()))
                    || !String.valueOf(p.states()).equals(String.valueOf(p.states()))) {
                problems.add("parameters() or states() changes between calls");
            }
            return problems.isEmpty() ? CheckResult.pass(law, p.id() + " " + p.version() + ": " + d)
                    : CheckResult.fail(law, String.join("; ", problems));
        });
    }

    /** The created cell's layout is the provider's specs resolved for the configuration. */
    public static CheckResult layout(CellProvider p, CellConfig config) {
        String law = "layout follows the specs";
        return guard(law, () -> {
            Cell cell = p.create(config);
            List<String> problems = new ArrayList<>();
            if (!p.id().equals(cell.id())) {
                problems.add("cell id " + cell.id() + " differs from provider id " + p.id());
            }
            if (cell.config().inputSize() != config.inputSize() || cell.config().hiddenSize() != config.hiddenSize()) {
                problems.add("cell config " + cell.config() + " differs from " + config);
            }
            CellLayout want = CellLayout.of(p, cell.config());
            CellLayout got = cell.layout();
            if (!describe(want).equals(describe(got))) {
                problems.add("layout expected " + describe(want) + ", got " + describe(got));
            }
            long count = 0;
            for (ParameterSpec spec : p.parameters()) {
                long n = 1;
                for (int d : spec.resolve(cell.config())) {
                    n *= d;
                }
                count += n;
            }
            if (got.parameterCount() != count) {
                problems.add("parameter count expected " + count + ", got " + got.parameterCount());
            }
            if (cell.outputSize() < 1) {
                problems.add("output size must be ≥ 1, got " + cell.outputSize());
            }
            if (cell.tapeSize(3, 2) < 0 || cell.workspaceSize(3, 2) < 0) {
                problems.add("tape and workspace sizes must be ≥ 0");
            }
            return problems.isEmpty()
                    ? CheckResult.pass(law, got.parameterCount() + " parameters, state " + got.stateSize() + " per row")
                    : CheckResult.fail(law, String.join("; ", problems));
        });
    }

    /** {@code create} rejects an option the cell does not know with InvalidConfigException. */
    public static CheckResult unknownOptionThrows(CellProvider p, CellConfig config) {
        String law = "unknown option rejected";
        return guard(law, () -> {
            String name = "zz_no_such_option";
            try {
                p.create(config.withOption(name, "1"));
                return CheckResult.fail(law, "create accepted option " + name);
            } catch (CellConfig.InvalidConfigException e) {
                return e.getMessage() != null && e.getMessage().contains(name)
                        ? CheckResult.pass(law, e.getMessage())
                        : CheckResult.fail(law, "the message does not name the option: " + e.getMessage());
            }
        });
    }

    /** Finite differences in float64 for every parameter block, the input and the initial states. */
    public static CheckResult gradients(CellProvider p, Scenario s) {
        return guard(GRADIENTS, () -> gradients(GradientCheck.run(p.create(s.config()), s)));
    }

    private static final String GRADIENTS = "gradients match finite differences";

    private static CheckResult gradients(GradientReport report) {
        return new CheckResult(GRADIENTS, report.passed(), report.table().strip());
    }

    /** The float32 path agrees with the float64 reference, forward and backward. */
    public static CheckResult float32AgreesWithFloat64(CellProvider p, Scenario s) {
        String law = "float32 agrees with float64";
        return guard(law, () -> {
            Cell cell = p.create(s.config());
            Fixture f = Fixture.random(cell, s).roundedToFloat();
            ChunkRunner.Result ref = ChunkRunner.run(cell, F64Ops.INSTANCE, f, ChunkRunner.Mode.TRAINING);
            F32Ops f32 = F32Ops.standard();
            ChunkRunner.Result got = ChunkRunner.run(cell, f32, f, ChunkRunner.Mode.TRAINING);
            return compare(law, cell, got, ref, F32_TOLERANCE, f32 + " vs float64");
        });
    }

    /** The Vector API kernels and their scalar twins give the same cell results. */
    public static CheckResult simdOnAndOffAgree(CellProvider p, Scenario s) {
        String law = "SIMD on and off agree";
        return guard(law, () -> {
            Cell cell = p.create(s.config());
            Fixture f = Fixture.random(cell, s).roundedToFloat();
            ChunkRunner.Result off = ChunkRunner.run(cell, new F32Ops(false, null), f, ChunkRunner.Mode.TRAINING);
            ChunkRunner.Result on = ChunkRunner.run(cell, new F32Ops(true, null), f, ChunkRunner.Mode.TRAINING);
            return compare(law, cell, on, off, VARIANT_TOLERANCE, "simd vs scalar");
        });
    }

    /** A run split across a worker team of {@code threads} agrees with a single-threaded run. */
    public static CheckResult teamAgreesWithOneThread(CellProvider p, Scenario s, int threads) {
        String law = "a team of " + threads + " agrees with one thread";
        return guard(law, () -> {
            Cell cell = p.create(s.config());
            Fixture f = Fixture.random(cell, s).roundedToFloat();
            ChunkRunner.Result one = ChunkRunner.run(cell, F32Ops.standard(), f, ChunkRunner.Mode.TRAINING);
            ChunkRunner.Result many;
            try (WorkerTeam team = new WorkerTeam(threads)) {
                many = ChunkRunner.run(cell, F32Ops.with(team), f, ChunkRunner.Mode.TRAINING);
            }
            return compare(law, cell, many, one, VARIANT_TOLERANCE, threads + " threads vs 1");
        });
    }

    /**
     * Streaming (one-step inference chunks, state carried by the caller) equals the chunked forward,
     * with and without a tape, in float64 and float32.
     */
    public static CheckResult streamingEqualsChunked(CellProvider p, Scenario s) {
        String law = "step by step equals chunked";
        return guard(law, () -> {
            Cell cell = p.create(s.config());
            Fixture f = Fixture.random(cell, s).roundedToFloat();
            StringBuilder detail = new StringBuilder();
            for (Ops<?> ops : List.of(F64Ops.INSTANCE, F32Ops.standard())) {
                double tol = ops == F64Ops.INSTANCE ? SAME_MATH_TOLERANCE : VARIANT_TOLERANCE;
                ChunkRunner.Result chunked = ChunkRunner.run(cell, ops, f, ChunkRunner.Mode.TRAINING);
                ChunkRunner.Result inference = ChunkRunner.run(cell, ops, f, ChunkRunner.Mode.INFERENCE);
                ChunkRunner.Result streamed = ChunkRunner.runStepByStep(cell, ops, f);
                CheckResult a = compareForward(law, cell, streamed, chunked, tol, ops + " streaming vs chunked");
                if (!a.passed()) {
                    return a;
                }
                CheckResult b = compareForward(law, cell, inference, chunked, tol, ops + " inference vs training forward");
                if (!b.passed()) {
                    return b;
                }
                detail.append(a.detail()).append("; ").append(b.detail()).append("; ");
            }
            return CheckResult.pass(law, detail.toString().strip());
        });
    }

    /**
     * A padded step is a skipped step: each row of a masked chunk, run alone on its valid steps
     * only, gives the same outputs at those steps and the same final state; padded outputs are 0.
     */
    public static CheckResult paddedStepsAreSkippedSteps(CellProvider p, Scenario s) {
        String law = "padded steps are skipped steps";
        return guard(law, () -> {
            Cell cell = p.create(s.config());
            Fixture f = Fixture.random(cell, s);
            ChunkRunner.Result all = ChunkRunner.run(cell, F64Ops.INSTANCE, f, ChunkRunner.Mode.INFERENCE);
            int out = cell.outputSize(), st = cell.layout().stateSize(), n = f.inputSize(), b = f.batch();
            double worst = 0;
            int padded = 0;
            for (int row = 0; row < b; row++) {
                List<Integer> valid = new ArrayList<>();
                for (int t = 0; t < f.steps(); t++) {
                    if (f.valid(t, row)) {
                        valid.add(t);
                    } else {
                        padded++;
                        for (int j = 0; j < out; j++) {
                            double v = all.output()[(t * b + row) * out + j];
                            if (v != 0) {
                                return CheckResult.fail(law, "output at padded step " + t + " of row " + row + " is " + v + ", expected 0");
                            }
                        }
                    }
                }
                double[] x = new double[valid.size() * n];
                for (int i = 0; i < valid.size(); i++) {
                    System.arraycopy(f.input(), (valid.get(i) * b + row) * n, x, i * n, n);
                }
                double[] init = java.util.Arrays.copyOfRange(f.initialState(), row * st, (row + 1) * st);
                Fixture alone = new Fixture(valid.size(), 1, n, x, null, f.parameters(), init,
                        new double[valid.size() * out], new double[st], f.gradientSeed(), f.offsetSeed() + row);
                ChunkRunner.Result r = ChunkRunner.run(cell, F64Ops.INSTANCE, alone, ChunkRunner.Mode.INFERENCE);
                for (int i = 0; i < valid.size(); i++) {
                    int t = valid.get(i);
                    for (int j = 0; j < out; j++) {
                        double ref = r.output()[i * out + j], got = all.output()[(t * b + row) * out + j];
                        double err = Math.abs(got - ref) / (1 + Math.abs(ref));
                        if (!(err <= SAME_MATH_TOLERANCE)) {
                            return CheckResult.fail(law, "row " + row + ", step " + t + ", output " + j + ": batched " + got
                                    + ", alone on its valid steps " + ref);
                        }
                        worst = Math.max(worst, err);
                    }
                }
                for (int j = 0; j < st; j++) {
                    double ref = r.finalState()[j], got = all.finalState()[row * st + j];
                    double err = Math.abs(got - ref) / (1 + Math.abs(ref));
                    if (!(err <= SAME_MATH_TOLERANCE)) {
                        return CheckResult.fail(law, "row " + row + ", final state " + j + ": batched " + got
                                + ", alone on its valid steps " + ref);
                    }
                    worst = Math.max(worst, err);
                }
            }
            return CheckResult.pass(law, String.format(Locale.ROOT, "%d padded of %d steps, max rel diff %.2e",
                    padded, f.steps() * b, worst));
        });
    }

    /** The same inputs give bit-identical results, from one cell instance or two, in each precision. */
    public static CheckResult deterministic(CellProvider p, Scenario s) {
        String law = "deterministic";
        return guard(law, () -> {
            Cell cell = p.create(s.config());
            Cell twin = p.create(s.config());
            Fixture f = Fixture.random(cell, s);
            Fixture again = Fixture.random(twin, s);
            if (!java.util.Arrays.equals(f.parameters(), again.parameters())) {
                return CheckResult.fail(law, "the default initializers gave different parameters for the same seed");
            }
            for (Ops<?> ops : List.of(F64Ops.INSTANCE, F32Ops.standard())) {
                ChunkRunner.Result a = ChunkRunner.run(cell, ops, f, ChunkRunner.Mode.TRAINING);
                ChunkRunner.Result b = ChunkRunner.run(twin, ops, f, ChunkRunner.Mode.TRAINING);
                ChunkRunner.Result c = ChunkRunner.run(cell, ops, f, ChunkRunner.Mode.TRAINING);
                CheckResult r1 = compare(law, cell, b, a, 0, ops + " second instance");
                CheckResult r2 = compare(law, cell, c, a, 0, ops + " second call");
                if (!r1.passed()) {
                    return r1;
                }
                if (!r2.passed()) {
                    return r2;
                }
            }
            return CheckResult.pass(law, "bit-identical across calls and instances, float64 and float32");
        });
    }

    /**
     * The optional gradient buffers: a null output or final-state gradient means zero, and leaving out
     * the input and initial-state gradients changes nothing else (float64, {@link #SAME_MATH_TOLERANCE}).
     */
    public static CheckResult nullGradientsMeanZero(CellProvider p, Scenario s) {
        String law = "null gradient buffers";
        return guard(law, () -> {
            Cell cell = p.create(s.config());
            Fixture f = Fixture.random(cell, s);
            int outLen = f.outputGrad().length, stLen = f.finalStateGrad().length;
            String[] cases = {"output gradient null", "final state gradient null"};
            for (int k = 0; k < 2; k++) {
                Fixture zeroed = new Fixture(f.steps(), f.batch(), f.inputSize(), f.input(), f.mask(), f.parameters(),
                        f.initialState(), k == 0 ? new double[outLen] : f.outputGrad(),
                        k == 1 ? new double[stLen] : f.finalStateGrad(), f.gradientSeed(), f.offsetSeed());
                ChunkRunner.Result ref = ChunkRunner.run(cell, F64Ops.INSTANCE, zeroed, ChunkRunner.Mode.TRAINING);
                double[] paramGrad = new double[f.parameters().length];
                double[] initGrad = new double[stLen];
                int rows = f.steps() * f.batch();
                Chunk<double[]> c = new Chunk<>(f.steps(), f.batch(), f.inputSize(), Slice.of(f.input().clone()),
                        f.mask() == null ? null : Slice.of(f.mask().clone()), Slice.of(f.parameters().clone()),
                        Slice.of(f.initialState().clone()), Slice.of(new double[rows * cell.outputSize()]),
                        Slice.of(new double[stLen]), Slice.of(new double[Math.toIntExact(cell.tapeSize(f.steps(), f.batch()))]),
                        Slice.of(new double[Math.toIntExact(cell.workspaceSize(f.steps(), f.batch()))]));
                cell.forward(F64Ops.INSTANCE, c);
                // k = 0: no output gradient, no input gradient; k = 1: no final-state gradient, no initial-state gradient
                cell.backward(F64Ops.INSTANCE, c, new io.github.rnnlab.cell.ChunkGradients<>(
                        k == 0 ? null : Slice.of(f.outputGrad().clone()), k == 1 ? null : Slice.of(f.finalStateGrad().clone()),
                        Slice.of(paramGrad), null, k == 0 ? Slice.of(initGrad) : null));
                CheckResult r = compareBlocks(law, k == 0 ? List.of("d parameters", "d initial state") : List.of("d parameters"),
                        k == 0 ? List.of(paramGrad, initGrad) : List.of(paramGrad),
                        k == 0 ? List.of(ref.parameterGrad(), ref.initialStateGrad()) : List.of(ref.parameterGrad()),
                        SAME_MATH_TOLERANCE, cases[k]);
                if (!r.passed()) {
                    return r;
                }
            }
            return CheckResult.pass(law, "null output/final-state gradients act as zeros; input and initial-state gradients optional");
        });
    }

    /** Forward and backward leave their inputs alone and write only inside their regions. */
    public static CheckResult inputsUnmodified(CellProvider p, Scenario s) {
        String law = "inputs not modified, writes stay in their regions";
        return guard(law, () -> {
            Cell cell = p.create(s.config());
            Fixture f = Fixture.random(cell, s);
            // ChunkRunner checks guards and snapshots on every run and throws AssertionError on a violation.
            ChunkRunner.run(cell, F64Ops.INSTANCE, f, ChunkRunner.Mode.TRAINING);
            ChunkRunner.run(cell, F32Ops.standard(), f.roundedToFloat(), ChunkRunner.Mode.TRAINING);
            ChunkRunner.run(cell, F32Ops.standard(), f.roundedToFloat(), ChunkRunner.Mode.INFERENCE);
            return CheckResult.pass(law, "input, mask, parameters, initial state and incoming gradients unchanged");
        });
    }

    /**
     * A chunk whose input size is not the cell's throws ShapeException "… expected n, got m", and so
     * does a parameter vector that is too short.
     */
    public static CheckResult wrongInputSizeThrows(CellProvider p, Scenario s) {
        String law = "wrong sizes throw ShapeException";
        return guard(law, () -> {
            Cell cell = p.create(s.config());
            Fixture f = Fixture.random(cell, s);
            int n = f.inputSize();
            String expected = "expected " + n, got = "got " + (n + 1);
            try {
                ChunkRunner.run(cell, F64Ops.INSTANCE, f.withInputSize(n + 1), ChunkRunner.Mode.INFERENCE);
                return CheckResult.fail(law, "forward accepted input size " + (n + 1) + " for a cell of input size " + n);
            } catch (ShapeException e) {
                if (e.getMessage() == null || !e.getMessage().contains(expected) || !e.getMessage().contains(got)) {
                    return CheckResult.fail(law, "the message should contain \"" + expected + "\" and \"" + got + "\", was: " + e.getMessage());
                }
            }
            int count = f.parameters().length;
            if (count > 0) {
                // exact-size arrays at offset 0: a parameter array one element short
                int rows = f.steps() * f.batch(), st = cell.layout().stateSize();
                Chunk<double[]> c = new Chunk<>(f.steps(), f.batch(), n, Slice.of(f.input().clone()), null,
                        Slice.of(new double[count - 1]), Slice.of(f.initialState().clone()),
                        Slice.of(new double[rows * cell.outputSize()]), Slice.of(new double[f.batch() * st]), null,
                        Slice.of(new double[(int) cell.workspaceSize(f.steps(), f.batch())]));
                try {
                    cell.forward(F64Ops.INSTANCE, c);
                    return CheckResult.fail(law, "forward accepted " + (count - 1) + " parameters, needs " + count);
                } catch (ShapeException e) {
                    if (e.getMessage() == null || !e.getMessage().contains("expected")) {
                        return CheckResult.fail(law, "the message should say what was expected, was: " + e.getMessage());
                    }
                }
            }
            return CheckResult.pass(law, "input size " + (n + 1) + " and a short parameter vector rejected");
        });
    }

    /** Zero steps: the final state is the initial state and its gradient passes through; zero rows: nothing happens. */
    public static CheckResult emptyChunks(CellProvider p, CellConfig config, long seed) {
        String law = "empty chunks";
        return guard(law, () -> {
            Cell cell = p.create(config);
            Fixture f = Fixture.random(cell, new Scenario(config, 2, 0, Scenario.Padding.NONE, seed));
            ChunkRunner.Result r = ChunkRunner.run(cell, F64Ops.INSTANCE, f, ChunkRunner.Mode.TRAINING);
            if (!java.util.Arrays.equals(r.finalState(), f.initialState())) {
                return CheckResult.fail(law, "with 0 steps the final state should equal the initial state");
            }
            if (!java.util.Arrays.equals(r.initialStateGrad(), f.finalStateGrad())) {
                return CheckResult.fail(law, "with 0 steps dL/d initial state should equal dL/d final state");
            }
            for (double g : r.parameterGrad()) {
                if (g != 0) {
                    return CheckResult.fail(law, "with 0 steps the parameter gradient should be unchanged");
                }
            }
            Fixture none = Fixture.random(cell, new Scenario(config, 0, 3, Scenario.Padding.NONE, seed));
            ChunkRunner.run(cell, F64Ops.INSTANCE, none, ChunkRunner.Mode.TRAINING);
            ChunkRunner.run(cell, F32Ops.standard(), none, ChunkRunner.Mode.TRAINING);
            return CheckResult.pass(law, "0 steps and 0 rows");
        });
    }

    /**
     * Orthogonal initialisation (per gate block) of every input and recurrent weight matrix: every
     * singular value of each block equals {@code gain} within {@link #ORTHOGONAL_TOLERANCE}: a square
     * (recurrent) block is orthogonal, so its spectral radius is {@code gain}; a rectangular block has
     * orthonormal rows or columns (times gain).
     */
    public static CheckResult orthogonalInit(CellProvider p, CellConfig config, double gain, long seed) {
        String law = "orthogonal init is orthogonal";
        return guard(law, () -> {
            Cell cell = p.create(config);
            Orthogonal orth = new Orthogonal(gain);
            ParameterInit init = ParameterInit.defaults().with(Role.RECURRENT_WEIGHT, orth).with(Role.INPUT_WEIGHT, orth);
            double[] params = init.initialize(cell, new Rng(seed));
            List<String> checked = new ArrayList<>();
            int hidden = cell.config().hiddenSize();
            for (CellLayout.ParameterBlock b : cell.layout().parameters()) {
                Role role = b.spec().role();
                if ((role != Role.RECURRENT_WEIGHT && role != Role.INPUT_WEIGHT) || b.shape().length != 2) {
                    continue;
                }
                int rows = b.rows(), cols = b.cols();
                int br = orth.blockRows(rows, hidden);
                double lo = Double.POSITIVE_INFINITY, hi = 0;
                for (int r0 = 0; r0 < rows; r0 += br) {
                    double[] sv = Spectra.singularValues(params, b.offset() + r0 * cols, br, cols);
                    for (double v : sv) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                        if (!(Math.abs(v - gain) <= ORTHOGONAL_TOLERANCE * Math.max(1, gain))) {
                            return CheckResult.fail(law, String.format(Locale.ROOT,
                                    "%s rows %d..%d (%dx%d): singular value %.9f, expected %.9f", b.name(), r0, r0 + br - 1,
                                    br, cols, v, gain));
                        }
                    }
                }
                String kind = br == cols ? "orthogonal" : br > cols ? "orthonormal columns" : "orthonormal rows";
                checked.add(String.format(Locale.ROOT, "%s: %d blocks %dx%d %s, singular values in [%.9f, %.9f]",
                        b.name(), rows / br, br, cols, kind, lo, hi));
            }
            return CheckResult.pass(law, checked.isEmpty() ? "no input or recurrent weight matrices" : String.join("; ", checked));
        });
    }

    // ---- comparison --------------------------------------------------------------------------------

    private static CheckResult compare(String law, Cell cell, ChunkRunner.Result got, ChunkRunner.Result ref,
                                       double tol, String what) {
        List<String> names = new ArrayList<>();
        List<double[]> a = new ArrayList<>(), r = new ArrayList<>();
        names.add("output");
        a.add(got.output());
        r.add(ref.output());
        names.add("final state");
        a.add(got.finalState());
        r.add(ref.finalState());
        if (ref.parameterGrad() != null) {
            for (CellLayout.ParameterBlock b : cell.layout().parameters()) {
                names.add("d " + b.name());
                a.add(java.util.Arrays.copyOfRange(got.parameterGrad(), b.offset(), b.offset() + b.size()));
                r.add(java.util.Arrays.copyOfRange(ref.parameterGrad(), b.offset(), b.offset() + b.size()));
            }
            names.add("d input");
            a.add(got.inputGrad());
            r.add(ref.inputGrad());
            names.add("d initial state");
            a.add(got.initialStateGrad());
            r.add(ref.initialStateGrad());
        }
        return compareBlocks(law, names, a, r, tol, what);
    }

    private static CheckResult compareForward(String law, Cell cell, ChunkRunner.Result got, ChunkRunner.Result ref,
                                              double tol, String what) {
        return compareBlocks(law, List.of("output", "final state"), List.of(got.output(), got.finalState()),
                List.of(ref.output(), ref.finalState()), tol, what);
    }

    /** Per block: max |a − r| ≤ tol·(1 + max |r|); NaN fails. */
    static CheckResult compareBlocks(String law, List<String> names, List<double[]> got, List<double[]> ref,
                                     double tol, String what) {
        double worstRatio = 0;
        for (int k = 0; k < names.size(); k++) {
            double[] a = got.get(k), r = ref.get(k);
            if (a.length != r.length) {
                return CheckResult.fail(law, what + ": " + names.get(k) + " has " + a.length + " elements, expected " + r.length);
            }
            double scale = 1;
            for (double v : r) {
                scale = Math.max(scale, 1 + Math.abs(v));
            }
            for (int i = 0; i < a.length; i++) {
                double err = Math.abs(a[i] - r[i]);
                boolean ok = tol == 0 ? Double.doubleToLongBits(a[i]) == Double.doubleToLongBits(r[i]) : err <= tol * scale;
                if (!ok) {
                    return CheckResult.fail(law, String.format(Locale.ROOT,
                            "%s: %s[%d] = %.9g, reference %.9g (|diff| %.3e > %.1e·%.3g)", what, names.get(k), i, a[i], r[i],
                            err, tol, scale));
                }
                worstRatio = Math.max(worstRatio, err / scale);
            }
        }
        return CheckResult.pass(law, String.format(Locale.ROOT, "%s: max |diff|/scale %.2e (tolerance %.0e)", what, worstRatio, tol));
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static CheckResult guard(String law, Supplier<CheckResult> check) {
        try {
            return check.get();
        } catch (AssertionError | RuntimeException e) {
            return CheckResult.fail(law, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static void unique(String what, List<String> names, List<String> problems) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                problems.add(what + " name " + n + " appears twice");
            }
        }
    }

    private static String signature(List<ParameterSpec> specs) {
        StringBuilder sb = new StringBuilder();
        for (ParameterSpec s : specs) {
            sb.append(s.name()).append(' ').append(s.role()).append(' ').append(s.shapeSymbol()).append(';');
        }
        return sb.toString();
    }

    private static String describe(CellLayout l) {
        StringBuilder sb = new StringBuilder("[");
        for (CellLayout.ParameterBlock b : l.parameters()) {
            sb.append(b.name()).append(java.util.Arrays.toString(b.shape())).append('@').append(b.offset()).append(' ');
        }
        for (CellLayout.StateBlock s : l.states()) {
            sb.append(s.name()).append('(').append(s.size()).append(")@").append(s.offset()).append(' ');
        }
        return sb.append("count=").append(l.parameterCount()).append(" state=").append(l.stateSize()).append(']').toString();
    }
}
