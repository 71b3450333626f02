package io.github.rnnlab.diagnose;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellLayout;
import io.github.rnnlab.cell.Chunk;
import io.github.rnnlab.cell.ChunkGradients;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.linalg.Matrix;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.Mask;
import io.github.rnnlab.nn.Parameters;
import io.github.rnnlab.nn.Recurrent;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Rng;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the gradient of a loss at the last step travels back through a recurrent stack: the lecture's
 * diagnosis, measured. {@code ∂L_T/∂s_t = ∂L_T/∂s_{T-1} · J_{T-1} ⋯ J_{t+1}} is a product of step
 * Jacobians {@code J_t = ∂s_t/∂s_{t-1}}, so its norm shrinks or grows geometrically with their size.
 *
 * <p>For a stack of cells (any {@link Cell}, through the SPI only), its parameters and one batch of
 * input, {@link #measure} records, in float64:
 * <ul>
 *   <li>{@code ‖∂ℓ/∂s_t‖} of every state of every layer (for the LSTM both {@code h} and {@code c}, by
 *       the names of the cell's {@link CellLayout} states, and the whole state row as {@value #WHOLE_STATE}),
 *       against the distance {@code d} from the loss, each the <b>arithmetic mean over the batch rows
 *       whose loss counts</b> of the per-row Euclidean norms;</li>
 *   <li>the spectral norm (largest singular value, the worst-case stretch) and the RMS singular value
 *       ({@code ‖J‖_F/√n}, the stretch of a random direction) of the exact step Jacobian
 *       {@code ∂s_t/∂s_{t-1}} of every layer ({@link StepJacobian}, from the cell's own backward pass),
 *       and of its diagonal block for each state ({@code ∂h_t/∂h_{t-1}}, {@code ∂c_t/∂c_{t-1}}), at
 *       sampled steps for the first {@link Config#jacobianRows()} counted rows, each step's value the
 *       mean over those rows;</li>
 *   <li>a geometric fit of each curve ({@link GeometricFit}) and a {@link Verdict} per layer from the
 *       whole state's curve; the run's verdict is the most alarming layer's.</li>
 * </ul>
 *
 * <h2>Definitions</h2>
 * Steps are t = 1…T; {@code s_t} is a layer's state after step t ({@code s_0} the initial state, zeros).
 * The loss of batch row b is {@code ℓ_b}, a function of the top layer's output {@code y} at the row's
 * <i>loss step</i> {@code T_b}: its last valid step (T without a mask). The stack is run one step at a
 * time ({@link Cell#forward} with steps = 1 and a tape per step) and back-propagated one step at a
 * time from {@code ∂ℓ_b/∂y_{T_b}} alone, so that {@code ∂ℓ_b/∂s_t} of every step is seen. The distance of
 * {@code s_t} from the loss is {@code d = T_b − t}: d = 1 is the state the loss step reads, d = T_b the
 * initial state. A layer's state gradient includes every path: back through its own later steps and
 * down from the layers above. The step Jacobian of a layer holds its input fixed.
 *
 * <h2>The loss at the end</h2>
 * {@link Objective#RANDOM_PROJECTION} (the default): {@code ℓ_b = u·y_{T_b}} with one fixed random unit
 * vector u (from {@link Config#seed()}), so {@code ∂ℓ_b/∂y = u} for every row: the recurrence alone,
 * independent of targets and head. {@link Objective#MODEL_LOSS} (for a {@link SequenceModel}): the
 * model's head and objective against the batch's target at the loss step, per row (MSE: the sum of
 * squared errors of the row; cross-entropy: the row's loss; a row whose target there is ignored does
 * not count).
 *
 * <p>Cost: the forward and backward of the stack at batch B, plus one forward and backward at batch S
 * (the state size) per sampled Jacobian, all in scalar float64. Memory: the tape of every step.
 * Bidirectional stacks are refused (the backward direction has no single direction of time).
 */
public final class GradientFlow {
    /** The name under which the whole state row's gradient (all states together) is reported. */
    public static final String WHOLE_STATE = "all";

    private static final F64Ops OPS = F64Ops.INSTANCE;

    private GradientFlow() {
    }

    /** The loss at the last step whose gradient is traced back. */
    public enum Objective {
        /** {@code ℓ_b = u·y_T} for a fixed random unit vector u. */
        RANDOM_PROJECTION,
        /** The model's head and loss against the batch's targets at the last step. */
        MODEL_LOSS
    }

    /**
     * What to measure.
     *
     * @param objective      the loss at the last step
     * @param seed           the seed of the random projection
     * @param jacobianRows   counted rows whose step Jacobians are computed (0: none), ≥ 0
     * @param jacobianStride compute the Jacobian at steps T, T − k, T − 2k, … (k ≥ 1)
     * @param thresholds     of the verdict
     */
    public record Config(Objective objective, long seed, int jacobianRows, int jacobianStride, Verdict.Thresholds thresholds) {
        public Config {
            if (objective == null || thresholds == null) {
                throw new CellConfig.InvalidConfigException("a gradient-flow measurement needs an objective and thresholds");
            }
            if (jacobianRows < 0 || jacobianStride < 1) {
                throw new CellConfig.InvalidConfigException("Jacobian rows must be ≥ 0 and the stride ≥ 1, got "
                        + jacobianRows + " and " + jacobianStride);
            }
        }

        /** Random projection (seed 1), Jacobians of 2 rows at every step, the default thresholds. */
        public static Config defaults() {
            return new Config(Objective.RANDOM_PROJECTION, 1, 2, 1, Verdict.Thresholds.DEFAULT);
        }

        public Config withObjective(Objective objective) {
            return new Config(objective, seed, jacobianRows, jacobianStride, thresholds);
        }

        public Config withSeed(long seed) {
            return new Config(objective, seed, jacobianRows, jacobianStride, thresholds);
        }

        public Config withJacobians(int rows, int stride) {
            return new Config(objective, seed, rows, stride, thresholds);
        }

        public Config withThresholds(Verdict.Thresholds thresholds) {
            return new Config(objective, seed, jacobianRows, jacobianStride, thresholds);
        }
    }

    /** The gradient of the per-row loss with respect to the top layer's output at each row's loss step. */
    @FunctionalInterface
    public interface LossAtEnd {
        /**
         * @param batch     B
         * @param width     W, the top layer's output width
         * @param lossSteps each row's loss step (0-based index of its last valid step; −1 for a row without one)
         * @param outputs   (B, W): each row's output at its loss step; not modified
         * @param grad      (B, W), zero on entry: written with {@code ∂ℓ_b/∂y}
         * @return whether each row's loss counts (a row that does not is left out of every mean)
         */
        boolean[] gradient(int batch, int width, int[] lossSteps, double[] outputs, double[] grad);

        /** {@code ℓ_b = u·y} for a random unit vector u drawn from {@code seed}. */
        static LossAtEnd randomProjection(long seed) {
            return (batch, width, lossSteps, outputs, grad) -> {
                Rng rng = new Rng(seed);
                double[] u = new double[width];
                double n = 0;
                for (int i = 0; i < width; i++) {
                    u[i] = rng.nextGaussian();
                    n += u[i] * u[i];
                }
                n = Math.sqrt(n);
                boolean[] counted = new boolean[batch];
                for (int b = 0; b < batch; b++) {
                    for (int i = 0; i < width; i++) {
                        grad[b * width + i] = u[i] / n;
                    }
                    counted[b] = true;
                }
                return counted;
            };
        }
    }

    /**
     * The measurements of one layer.
     *
     * @param layer               the layer index (0 = the one reading the input)
     * @param states              the cell's state names, then {@value #WHOLE_STATE}
     * @param gradientNorms       per name of {@code states}: {@code [d − 1]} = mean ‖∂ℓ/∂s‖ at distance d = 1…T
     *                            (NaN where no row reaches that distance)
     * @param fits                per name of {@code states}: the geometric fit of its curve
     * @param jacobianNorms       per name: {@value #WHOLE_STATE} → the spectral norm (σ₁) of the full step
     *                            Jacobian, each state → of its diagonal block; {@code [t − 1]} = step t
     *                            (∂s_t/∂s_{t-1}), mean over the sampled rows; NaN where not sampled
     * @param jacobianRms         the same for the root-mean-square singular value ‖J‖_F/√n
     *                            ({@link StepJacobian#rmsGain}): the typical rather than the worst stretch
     * @param meanLogJacobianNorms per name: the mean of ln σ₁ of the (block of the) step Jacobian over every
     *                            sampled (step, row) where it is positive and finite; NaN if none
     * @param meanLogJacobianRmsGains the same for the RMS singular value
     * @param verdict             from the fit of {@value #WHOLE_STATE}
     */
    public record LayerFlow(int layer, List<String> states, Map<String, double[]> gradientNorms, Map<String, GeometricFit> fits,
                            Map<String, double[]> jacobianNorms, Map<String, double[]> jacobianRms,
                            Map<String, Double> meanLogJacobianNorms, Map<String, Double> meanLogJacobianRmsGains, Verdict verdict) {
        public LayerFlow {
            states = List.copyOf(states);
            gradientNorms = Collections.unmodifiableMap(new LinkedHashMap<>(gradientNorms));
            fits = Collections.unmodifiableMap(new LinkedHashMap<>(fits));
            jacobianNorms = Collections.unmodifiableMap(new LinkedHashMap<>(jacobianNorms));
            jacobianRms = Collections.unmodifiableMap(new LinkedHashMap<>(jacobianRms));
            meanLogJacobianNorms = Collections.unmodifiableMap(new LinkedHashMap<>(meanLogJacobianNorms));
            meanLogJacobianRmsGains = Collections.unmodifiableMap(new LinkedHashMap<>(meanLogJacobianRmsGains));
        }

        /** The mean of ln σ₁(∂s_t/∂s_{t-1}) of the whole state over the sampled (step, row) pairs, NaN if none. */
        public double meanLogJacobianNorm() {
            return meanLogJacobianNorms.get(WHOLE_STATE);
        }

        /** The mean of ln rms(∂s_t/∂s_{t-1}) of the whole state over the sampled (step, row) pairs, NaN if none. */
        public double meanLogJacobianRms() {
            return meanLogJacobianRmsGains.get(WHOLE_STATE);
        }

        /** The mean of ln σ₁ of state {@code name}'s block ({@value #WHOLE_STATE}: the whole Jacobian). */
        public double meanLogJacobianNorm(String name) {
            return require(meanLogJacobianNorms, name);
        }

        /** The mean of ln rms of state {@code name}'s block ({@value #WHOLE_STATE}: the whole Jacobian). */
        public double meanLogJacobianRms(String name) {
            return require(meanLogJacobianRmsGains, name);
        }

        /** The RMS singular values of state {@code name}'s block of the step Jacobians at steps 1…T (a copy). */
        public double[] jacobianRms(String name) {
            return require(jacobianRms, name).clone();
        }

        /** e^{mean ln rms(J)}: the geometric mean of the sampled RMS singular values. */
        public double geometricMeanJacobianRms() {
            return Math.exp(meanLogJacobianRms());
        }

        /** The mean ‖∂ℓ/∂s‖ of state {@code name} at distances 1…T (a copy). */
        public double[] gradientNorms(String name) {
            return require(gradientNorms, name).clone();
        }

        /** The fit of state {@code name}'s curve. */
        public GeometricFit fit(String name) {
            return require(fits, name);
        }

        /** The spectral norms of state {@code name}'s block of the step Jacobians at steps 1…T (a copy). */
        public double[] jacobianNorms(String name) {
            return require(jacobianNorms, name).clone();
        }

        /** e^{mean ln ‖J‖}: the geometric mean of the sampled step-Jacobian norms. */
        public double geometricMeanJacobianNorm() {
            return Math.exp(meanLogJacobianNorm());
        }

        private static <V> V require(Map<String, V> m, String name) {
            V v = m.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no state named " + name + "; have " + m.keySet());
            }
            return v;
        }
    }

    /**
     * One measurement.
     *
     * @param cell        the cell id (of layer 0)
     * @param steps       T
     * @param batch       B
     * @param countedRows rows whose loss counted
     * @param config      what was measured
     * @param layers      per layer, bottom first
     * @param verdict     the most alarming layer verdict ({@link Verdict#worse})
     */
    public record Result(String cell, int steps, int batch, int countedRows, Config config, List<LayerFlow> layers, Verdict verdict) {
        public Result {
            layers = List.copyOf(layers);
        }

        /** Layer 0's measurements. */
        public LayerFlow bottom() {
            return layers.get(0);
        }
    }

    /**
     * Measures the recurrent stack of {@code model} on {@code batch} (its features, or its tokens looked
     * up in the model's embedding; its mask; for {@link Objective#MODEL_LOSS} its targets).
     *
     * @throws IllegalArgumentException for a bidirectional model, or a batch without the targets the objective needs
     */
    public static <A> Result measure(SequenceModel<A> model, Batch<A> batch, Config config) {
        Recurrent<A> rnn = model.rnn();
        requireForward(rnn);
        Ops<A> ops = model.ops();
        int steps = batch.steps(), rows = batch.batch(), in = rnn.inputSize();
        double[] features = new double[steps * rows * in];
        if (model.embedding() != null) {
            if (batch.tokens() == null) {
                throw new IllegalArgumentException("this model reads tokens; the batch has features");
            }
            A e = ops.allocate(Math.max(1, features.length));
            model.embedding().forward(steps * rows, batch.tokens(), 0, e, 0);
            ops.toDoubles(features.length, e, 0, features, 0);
        } else {
            if (batch.features() == null) {
                throw new IllegalArgumentException("this model reads features; the batch has tokens");
            }
            ShapeException.check("input features (steps·batch·" + in + ")", features.length, ops.length(batch.features()));
            ops.toDoubles(features.length, batch.features(), 0, features, 0);
        }
        LossAtEnd loss = config.objective() == Objective.RANDOM_PROJECTION
                ? LossAtEnd.randomProjection(config.seed())
                : modelLoss(model, batch);
        return measure(rnn, model.parameters(), steps, rows, features, batch.mask(), loss, config);
    }

    /**
     * Measures the recurrent stack {@code rnn} of any model (a classifier, an encoder, …) whose
     * parameters are {@code parameters}, on input vectors {@code features} (T, B, the stack's input size),
     * with {@code loss} at each row's last valid step (e.g. {@link LossAtEnd#randomProjection}).
     *
     * @throws IllegalArgumentException for a bidirectional stack
     */
    public static <A> Result measure(Recurrent<A> rnn, Parameters<A> parameters, int steps, int batch, double[] features,
                                     Mask mask, LossAtEnd loss, Config config) {
        requireForward(rnn);
        Ops<A> ops = parameters.ops();
        List<Cell> cells = new ArrayList<>();
        List<double[]> params = new ArrayList<>();
        for (int l = 0; l < rnn.layers(); l++) {
            Cell c = rnn.cell(l);
            double[] v = new double[c.layout().parameterCount()];
            ops.toDoubles(v.length, parameters.values(), rnn.parameterOffset(l, 0), v, 0);
            cells.add(c);
            params.add(v);
        }
        return measure(cells, params, steps, batch, features, mask, loss, config);
    }

    private static void requireForward(Recurrent<?> rnn) {
        if (rnn.directions() != 1) {
            throw new IllegalArgumentException("gradient flow needs a forward-only stack; this one has " + rnn.directions() + " directions");
        }
    }

    /** The model's head and objective against {@code batch}'s targets at each row's loss step. */
    static <A> LossAtEnd modelLoss(SequenceModel<A> model, Batch<A> batch) {
        Ops<A> ops = model.ops();
        Parameters<A> p = model.parameters();
        int outputs = model.outputs();
        double[] weight = p.get("head.weight"), bias = p.get("head.bias");
        boolean ce = model.config().objective() == SequenceModel.Objective.CROSS_ENTROPY;
        if (ce ? batch.targets() == null : batch.targetValues() == null) {
            throw new IllegalArgumentException("the model-loss objective needs the batch's target " + (ce ? "classes" : "values"));
        }
        int rows = batch.batch();
        return (b, width, lossSteps, y, grad) -> {
            boolean[] counted = new boolean[b];
            double[] z = new double[outputs], dz = new double[outputs];
            for (int r = 0; r < b; r++) {
                int t = lossSteps[r];
                if (t < 0) {
                    continue;
                }
                for (int j = 0; j < outputs; j++) {
                    double s = bias[j];
                    for (int k = 0; k < width; k++) {
                        s += weight[j * width + k] * y[r * width + k];
                    }
                    z[j] = s;
                }
                if (ce) {
                    int target = batch.targets()[t * rows + r];
                    if (target < 0) {
                        continue;
                    }
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (double v : z) {
                        max = Math.max(max, v);
                    }
                    for (int j = 0; j < outputs; j++) {
                        dz[j] = Math.exp(z[j] - max);
                        sum += dz[j];
                    }
                    for (int j = 0; j < outputs; j++) {
                        dz[j] = dz[j] / sum - (j == target ? 1 : 0);   // softmax − onehot
                    }
                } else {
                    for (int j = 0; j < outputs; j++) {
                        dz[j] = 2 * (z[j] - ops.get(batch.targetValues(), (t * rows + r) * outputs + j));
                    }
                }
                for (int k = 0; k < width; k++) {
                    double s = 0;
                    for (int j = 0; j < outputs; j++) {
                        s += dz[j] * weight[j * width + k];
                    }
                    grad[r * width + k] = s;                              // Wᵀ·∂ℓ/∂z
                }
                counted[r] = true;
            }
            return counted;
        };
    }

    /**
     * Measures a stack of cells given directly.
     *
     * @param layers     the cell of each layer, bottom first; layer l &gt; 0 reads layer l − 1's output
     * @param parameters each layer's flat parameter vector (float64); not modified
     * @param steps      T ≥ 1
     * @param batch      B ≥ 1
     * @param features   (T, B, layer 0's input size); not modified
     * @param mask       which steps are valid, or null for all
     * @param loss       the loss at each row's last valid step
     * @throws ShapeException if the sizes do not fit
     * @throws IllegalArgumentException if no row's loss counts
     */
    public static Result measure(List<Cell> layers, List<double[]> parameters, int steps, int batch, double[] features,
                                 Mask mask, LossAtEnd loss, Config config) {
        int nl = layers.size();
        if (nl == 0 || parameters.size() != nl) {
            throw new IllegalArgumentException("expected one parameter vector per layer (" + nl + " layers), got " + parameters.size());
        }
        if (steps < 1 || batch < 1) {
            throw new ShapeException("gradient flow needs at least 1 step and 1 row, got steps=" + steps + " batch=" + batch);
        }
        int[] in = new int[nl], s = new int[nl], w = new int[nl];
        for (int l = 0; l < nl; l++) {
            Cell c = layers.get(l);
            in[l] = c.config().inputSize();
            s[l] = c.layout().stateSize();
            w[l] = c.outputSize();
            if (l > 0) {
                ShapeException.check("input size of layer " + l + " (the output width of layer " + (l - 1) + ")", w[l - 1], in[l]);
            }
            ShapeException.check("parameters of layer " + l, c.layout().parameterCount(), parameters.get(l).length);
        }
        ShapeException.check("features (steps·batch·" + in[0] + ")", (long) steps * batch * in[0], features.length);
        float[] maskArray = null;
        if (mask != null) {
            ShapeException.check("mask steps", steps, mask.steps());
            ShapeException.check("mask batch", batch, mask.batch());
            maskArray = mask.allValid() ? null : mask.toArray();
        }

        // ---- forward, one step at a time, a tape per step -------------------------------------
        double[][] states = new double[nl][], outputs = new double[nl][], tapes = new double[nl][], paramGrads = new double[nl][];
        long[] tapeStep = new long[nl];
        long ws = 1;
        for (int l = 0; l < nl; l++) {
            Cell c = layers.get(l);
            tapeStep[l] = c.tapeSize(1, batch);
            states[l] = new double[checkedSize((long) (steps + 1) * batch * s[l], "states")];
            outputs[l] = new double[checkedSize((long) steps * batch * w[l], "outputs")];
            tapes[l] = new double[checkedSize(steps * tapeStep[l], "tapes")];
            paramGrads[l] = new double[c.layout().parameterCount()];
            ws = Math.max(ws, c.workspaceSize(1, batch));
        }
        double[] workspace = new double[checkedSize(ws, "workspace")];
        List<List<Chunk<double[]>>> chunks = new ArrayList<>();
        for (int l = 0; l < nl; l++) {
            chunks.add(new ArrayList<>(steps));
            Cell c = layers.get(l);
            double[] x = l == 0 ? features : outputs[l - 1];
            Slice<double[]> params = Slice.of(parameters.get(l));
            for (int t = 0; t < steps; t++) {
                Chunk<double[]> ch = new Chunk<>(1, batch, in[l], new Slice<>(x, t * batch * in[l]),
                        maskArray == null ? null : new Slice<>(maskArray, t * batch), params,
                        new Slice<>(states[l], t * batch * s[l]), new Slice<>(outputs[l], t * batch * w[l]),
                        new Slice<>(states[l], (t + 1) * batch * s[l]), new Slice<>(tapes[l], (int) (t * tapeStep[l])),
                        Slice.of(workspace));
                c.forward(OPS, ch);
                chunks.get(l).add(ch);
            }
        }

        // ---- the loss at each row's last valid step --------------------------------------------
        int top = nl - 1, wt = w[top];
        int[] lossStep = new int[batch];
        double[] last = new double[batch * wt];
        for (int b = 0; b < batch; b++) {
            lossStep[b] = mask == null ? steps - 1 : mask.lastValid(b);
            if (lossStep[b] >= 0) {
                System.arraycopy(outputs[top], (lossStep[b] * batch + b) * wt, last, b * wt, wt);
            }
        }
        double[] g = new double[batch * wt];
        boolean[] counted = loss.gradient(batch, wt, lossStep, last, g);
        ShapeException.check("rows of the loss's counted flags", batch, counted.length);
        double[] dTop = new double[checkedSize((long) steps * batch * wt, "output gradient")];
        int countedRows = 0;
        for (int b = 0; b < batch; b++) {
            counted[b] &= lossStep[b] >= 0;
            if (counted[b]) {
                countedRows++;
                System.arraycopy(g, b * wt, dTop, (lossStep[b] * batch + b) * wt, wt);
            }
        }
        if (countedRows == 0) {
            throw new IllegalArgumentException("no batch row's loss counts (no valid step, or every target ignored)");
        }

        // ---- backward, one step at a time, recording ‖∂ℓ/∂s_t‖ ----------------------------------
        List<List<CellLayout.StateBlock>> blocks = new ArrayList<>();
        for (Cell c : layers) {
            blocks.add(c.layout().states());
        }
        double[][][] sums = new double[nl][][];
        for (int l = 0; l < nl; l++) {
            sums[l] = new double[blocks.get(l).size() + 1][steps];
        }
        int[] counts = new int[steps];
        double[][] dNext = new double[nl][], dPrev = new double[nl][], dIn = new double[nl][];
        for (int l = 0; l < nl; l++) {
            dNext[l] = new double[batch * s[l]];
            dPrev[l] = new double[batch * s[l]];
            dIn[l] = l > 0 ? new double[batch * in[l]] : null;
        }
        for (int t = steps - 1; t >= 0; t--) {
            Slice<double[]> above = null;
            for (int l = top; l >= 0; l--) {
                Slice<double[]> outGrad = l == top ? new Slice<>(dTop, t * batch * wt) : above;
                java.util.Arrays.fill(paramGrads[l], 0); // accumulated and unused: keep it bounded
                layers.get(l).backward(OPS, chunks.get(l).get(t), new ChunkGradients<>(outGrad, Slice.of(dNext[l]),
                        Slice.of(paramGrads[l]), dIn[l] == null ? null : Slice.of(dIn[l]), Slice.of(dPrev[l])));
                above = dIn[l] == null ? null : Slice.of(dIn[l]);
                double[] tmp = dNext[l];
                dNext[l] = dPrev[l];
                dPrev[l] = tmp;   // dNext[l] now holds ∂ℓ/∂s_t (t = this chunk's initial state)
            }
            for (int b = 0; b < batch; b++) {
                if (!counted[b] || lossStep[b] < t) {
                    continue;
                }
                int d = lossStep[b] - t + 1;   // s_t is read by step t+1 (1-based); the loss is at step lossStep+1
                counts[d - 1]++;
                for (int l = 0; l < nl; l++) {
                    double all = 0;
                    List<CellLayout.StateBlock> sb = blocks.get(l);
                    for (int k = 0; k < sb.size(); k++) {
                        double q = 0;
                        int o = b * s[l] + sb.get(k).offset();
                        for (int i = 0; i < sb.get(k).size(); i++) {
                            double v = dNext[l][o + i];
                            q += v * v;
                        }
                        all += q;
                        sums[l][k][d - 1] += Math.sqrt(q);
                    }
                    sums[l][sb.size()][d - 1] += Math.sqrt(all);
                }
            }
        }

        // ---- step Jacobians at sampled steps and rows -----------------------------------------
        int[] jacRows = new int[Math.min(config.jacobianRows(), countedRows)];
        for (int b = 0, k = 0; b < batch && k < jacRows.length; b++) {
            if (counted[b]) {
                jacRows[k++] = b;
            }
        }
        List<LayerFlow> flows = new ArrayList<>();
        Verdict verdict = Verdict.UNDETERMINED;
        for (int l = 0; l < nl; l++) {
            Cell c = layers.get(l);
            List<CellLayout.StateBlock> sb = blocks.get(l);
            List<String> names = new ArrayList<>();
            for (CellLayout.StateBlock b : sb) {
                names.add(b.name());
            }
            names.add(WHOLE_STATE);
            Map<String, double[]> norms = new LinkedHashMap<>();
            Map<String, GeometricFit> fits = new LinkedHashMap<>();
            for (int k = 0; k < names.size(); k++) {
                double[] curve = new double[steps];
                int[] ds = new int[steps];
                double[] fitted = new double[steps];
                int n = 0;
                for (int d = 1; d <= steps; d++) {
                    curve[d - 1] = counts[d - 1] == 0 ? Double.NaN : sums[l][k][d - 1] / counts[d - 1];
                    if (counts[d - 1] > 0) {
                        ds[n] = d;
                        fitted[n++] = curve[d - 1];
                    }
                }
                norms.put(names.get(k), curve);
                fits.put(names.get(k), GeometricFit.of(java.util.Arrays.copyOf(ds, n), java.util.Arrays.copyOf(fitted, n)));
            }
            Map<String, double[]> jac = new LinkedHashMap<>(), rms = new LinkedHashMap<>();
            int ns = names.size(), whole = ns - 1;
            double[][] jSum = new double[ns][steps], rSum = new double[ns][steps];
            int[] jCount = new int[steps];
            double[] logSum = new double[ns], logRms = new double[ns];
            int[] logCount = new int[ns], rmsCount = new int[ns];
            if (jacRows.length > 0) {
                StepJacobian sj = new StepJacobian(c, parameters.get(l), 0);
                double[] x = l == 0 ? features : outputs[l - 1];
                for (int t = steps - 1; t >= 0; t -= config.jacobianStride()) {
                    for (int b : jacRows) {
                        if (maskArray != null && maskArray[t * batch + b] == 0f) {
                            continue;   // a padded step: the state passes unchanged (J = I)
                        }
                        Matrix j = sj.at(x, (t * batch + b) * in[l], states[l], (t * batch + b) * s[l]);
                        for (int k = 0; k < ns; k++) {
                            Matrix block = k == whole ? j : StepJacobian.diagonalBlock(j, sb.get(k).offset(), sb.get(k).size());
                            double n = norm(block), r = StepJacobian.rmsGain(block);
                            jSum[k][t] += n;
                            rSum[k][t] += r;
                            if (n > 0 && Double.isFinite(n)) {
                                logSum[k] += Math.log(n);
                                logCount[k]++;
                            }
                            if (r > 0 && Double.isFinite(r)) {
                                logRms[k] += Math.log(r);
                                rmsCount[k]++;
                            }
                        }
                        jCount[t]++;
                    }
                }
            }
            Map<String, Double> meanLog = new LinkedHashMap<>(), meanLogRms = new LinkedHashMap<>();
            for (int k = 0; k < ns; k++) {
                double[] v = new double[steps], r = new double[steps];
                for (int t = 0; t < steps; t++) {
                    v[t] = jCount[t] == 0 ? Double.NaN : jSum[k][t] / jCount[t];
                    r[t] = jCount[t] == 0 ? Double.NaN : rSum[k][t] / jCount[t];
                }
                jac.put(names.get(k), v);
                rms.put(names.get(k), r);
                meanLog.put(names.get(k), logCount[k] == 0 ? Double.NaN : logSum[k] / logCount[k]);
                meanLogRms.put(names.get(k), rmsCount[k] == 0 ? Double.NaN : logRms[k] / rmsCount[k]);
            }
            Verdict lv = Verdict.of(fits.get(WHOLE_STATE), config.thresholds());
            verdict = l == 0 ? lv : verdict.worse(lv);
            flows.add(new LayerFlow(l, names, norms, fits, jac, rms, meanLog, meanLogRms, lv));
        }
        return new Result(layers.get(0).id(), steps, batch, countedRows, config, flows, verdict);
    }

    /** The spectral norm, or NaN for a matrix with a non-finite element (an overflowed step). */
    private static double norm(Matrix m) {
        try {
            return StepJacobian.spectralNorm(m);
        } catch (io.github.rnnlab.linalg.NonFiniteMatrixException e) {
            return Double.NaN;
        }
    }

    private static int checkedSize(long n, String what) {
        if (n > Integer.MAX_VALUE - 16) {
            throw new ShapeException("gradient flow " + what + ": expected at most " + (Integer.MAX_VALUE - 16)
                    + " elements, got " + n + " (use fewer steps or rows)");
        }
        return (int) n;
    }
}
