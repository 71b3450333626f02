package io.github.rnnlab.nn;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Rng;

/**
 * A per-step sequence model: [embedding] → recurrent stack → linear head at every step, with a
 * softmax cross-entropy or mean-squared-error objective. It covers the many-to-many aligned pattern
 * (a character-level language model, a tagger, a delayed echo), and, fed its own predictions back,
 * one-to-many generation ({@link io.github.rnnlab.generate.Generator}).
 *
 * <p>Parameter names, as the PyTorch module {@code {embedding: nn.Embedding, rnn: nn.RNN/LSTM/GRU,
 * head: nn.Linear}} would have them: {@code embedding.weight}, {@code rnn.weight_ih_l0}, …,
 * {@code head.weight}, {@code head.bias}.
 *
 * <h2>Passes</h2>
 * Full BPTT is {@link #lossAndGradient}. The pieces it is made of, {@link #forward} over a window of
 * steps, {@link #loss} over the newest steps of that window, and {@link #backward}, are public so that
 * {@link io.github.rnnlab.train.TruncatedBptt} can run a long sequence in windows. Buffers are owned
 * by the model and reused; the arrays returned are views valid until the next call.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public final class SequenceModel<A> {

    /** What the model reads at each step. */
    public sealed interface Input permits Tokens, Features {
        /** The width of the vectors the recurrent stack reads. */
        int width();
    }

    /** Token ids, looked up in an embedding of {@code embeddingSize} per token. */
    public record Tokens(int vocabulary, int embeddingSize) implements Input {
        public Tokens {
            if (vocabulary < 1 || embeddingSize < 1) {
                throw new CellConfig.InvalidConfigException("vocabulary and embedding size must be at least 1, got "
                        + vocabulary + " and " + embeddingSize);
            }
        }

        @Override
        public int width() {
            return embeddingSize;
        }
    }

    /** Dense feature vectors of {@code size} values. */
    public record Features(int size) implements Input {
        public Features {
            if (size < 1) {
                throw new CellConfig.InvalidConfigException("feature size must be at least 1, got " + size);
            }
        }

        @Override
        public int width() {
            return size;
        }
    }

    /** The loss the model is trained on. */
    public enum Objective {
        /** {@link SoftmaxCrossEntropy}, mean over valid positions; targets are classes. */
        CROSS_ENTROPY,
        /** {@link MeanSquaredError}, mean over the elements of valid positions; targets are values. */
        MEAN_SQUARED_ERROR
    }

    /**
     * @param input     tokens or features
     * @param rnn       the recurrent stack; its input size must be the input's width
     * @param outputs   classes (cross-entropy) or values (MSE) per step
     * @param objective the loss
     */
    public record Config(Input input, RecurrentConfig rnn, int outputs, Objective objective) {
        public Config {
            if (input == null || rnn == null || objective == null) {
                throw new CellConfig.InvalidConfigException("a sequence model needs an input, a recurrent stack and an objective");
            }
            if (rnn.inputSize() != input.width()) {
                throw new CellConfig.InvalidConfigException("recurrent input size: expected " + input.width()
                        + " (the width of " + input + "), got " + rnn.inputSize());
            }
            if (outputs < 1) {
                throw new CellConfig.InvalidConfigException("outputs must be at least 1, got " + outputs);
            }
        }
    }

    private final Ops<A> ops;
    private final Config config;
    private final Parameters<A> parameters;
    private final Embedding<A> embedding;
    private final Recurrent<A> rnn;
    private final Linear<A> head;
    private final SoftmaxCrossEntropy<A> crossEntropy;
    private final Buffer.Pool<A> pool;
    private final Buffer<A> embedded;
    private final Buffer<A> predictions;
    private final Buffer<A> predictionGrad;
    private final Buffer<A> outputGrad;

    private Batch<A> batch;
    private int from;
    private int to = -1;
    private int lossFrom;
    private boolean gradientReady;
    private boolean training;

    /** Creates the model (parameters allocated, zero). Use {@link #create} for an initialised one. */
    public SequenceModel(Ops<A> ops, CellProvider cell, Config config) {
        this.ops = ops;
        this.config = config;
        this.parameters = new Parameters<>(ops);
        this.embedding = config.input() instanceof Tokens t ? new Embedding<>(parameters, "embedding.", t.vocabulary(), t.embeddingSize()) : null;
        this.rnn = new Recurrent<>(parameters, "rnn.", cell, config.rnn());
        this.head = new Linear<>(parameters, "head.", rnn.outputSize(), config.outputs());
        parameters.allocate();
        this.crossEntropy = new SoftmaxCrossEntropy<>(ops);
        this.pool = new Buffer.Pool<>(ops);
        this.embedded = pool.create();
        this.predictions = pool.create();
        this.predictionGrad = pool.create();
        this.outputGrad = pool.create();
    }

    /** Creates the model and initialises every parameter from {@code rng} ({@link Parameters#initialize}). */
    public static <A> SequenceModel<A> create(Ops<A> ops, CellProvider cell, Config config, Rng rng) {
        SequenceModel<A> m = new SequenceModel<>(ops, cell, config);
        m.parameters.initialize(rng);
        return m;
    }

    public Config config() {
        return config;
    }

    public Ops<A> ops() {
        return ops;
    }

    public Parameters<A> parameters() {
        return parameters;
    }

    public Recurrent<A> rnn() {
        return rnn;
    }

    public Linear<A> head() {
        return head;
    }

    /** The embedding, or null for a feature-input model. */
    public Embedding<A> embedding() {
        return embedding;
    }

    /** Classes or values per step. */
    public int outputs() {
        return config.outputs();
    }

    /** Elements of state (D·layers, B, S) for {@code batch} rows. */
    public int stateLength(int batch) {
        return rnn.stateLength(batch);
    }

    /** Elements held by the work buffers of the model and its stack (activations, tapes, gradients). */
    public long bufferElements() {
        return pool.elements() + rnn.bufferElements();
    }

    /**
     * Runs steps {@code [from, to)} of {@code batch}: [embedding,] stack and head.
     *
     * @param initialState the state (D·layers, B, S) before step {@code from}, or null for zeros
     * @param pass         training or inference; its {@link Pass#firstStep()} is set to {@code from}
     */
    public void forward(Batch<A> batch, int from, int to, Slice<A> initialState, Pass pass) {
        if (from < 0 || to > batch.steps() || from > to) {
            throw new ShapeException("window [" + from + ", " + to + ") of a batch of " + batch.steps() + " steps");
        }
        int b = batch.batch();
        int steps = to - from;
        int rows = steps * b;
        Slice<A> in;
        if (embedding != null) {
            if (batch.tokens() == null) {
                throw new IllegalArgumentException("this model reads tokens; the batch has features");
            }
            A e = embedded.ensure((long) rows * embedding.size());
            embedding.forward(rows, batch.tokens(), from * b, e, 0);
            in = Slice.of(e);
        } else {
            if (batch.features() == null) {
                throw new IllegalArgumentException("this model reads features; the batch has tokens");
            }
            int n = config.input().width();
            ShapeException.check("input features (steps·batch·" + n + ")", (long) batch.steps() * b * n, ops.length(batch.features()));
            in = new Slice<>(batch.features(), from * b * n);
        }
        Mask m = batch.mask() == null ? null : batch.mask().window(from, to);
        rnn.forward(pass.startingAt(from), steps, b, in, m, initialState);
        A p = predictions.ensure((long) rows * config.outputs());
        head.forward(rows, rnn.output(), 0, p, 0);
        this.batch = batch;
        this.from = from;
        this.to = to;
        this.training = pass.training();
        this.lossFrom = to;
        this.gradientReady = false;
    }

    /** Whole-sequence {@link #forward}. */
    public void forward(Batch<A> batch, Slice<A> initialState, Pass pass) {
        forward(batch, 0, batch.steps(), initialState, pass);
    }

    /** The predictions (steps, B, outputs) of the last forward pass (logits for cross-entropy), from index 0. */
    public A predictions() {
        if (to < 0) {
            throw new IllegalStateException("no forward pass has run yet");
        }
        return predictions.array();
    }

    /** The final state (D·layers, B, S) of the last forward pass. */
    public A finalState() {
        return rnn.finalState();
    }

    /**
     * The number of positions in steps {@code [from, to)} that the loss counts: valid in the mask and,
     * for cross-entropy, with a non-negative target.
     */
    public int countedPositions(Batch<A> batch, int from, int to) {
        int b = batch.batch();
        if (config.objective() == Objective.CROSS_ENTROPY) {
            requireClasses(batch);
            return SoftmaxCrossEntropy.count((to - from) * b, batch.targets(), from * b, batch.mask(), from * b);
        }
        if (batch.mask() == null) {
            return (to - from) * b;
        }
        int n = 0;
        for (int t = from; t < to; t++) {
            for (int r = 0; r < b; r++) {
                n += batch.mask().valid(t, r) ? 1 : 0;
            }
        }
        return n;
    }

    /**
     * The loss of the last forward pass over its steps {@code [lossFrom, to)}: {@code scale ·} (sum of
     * per-position losses); with {@code gradient}, also dL/d predictions for {@link #backward} (0 for the
     * steps before {@code lossFrom}).
     *
     * @param scale 1/{@link #countedPositions} for the mean (for MSE, divided by {@link #outputs()} too,
     *              see {@link #meanScale})
     */
    public double loss(int lossFrom, double scale, boolean gradient) {
        if (to < 0) {
            throw new IllegalStateException("no forward pass has run yet");
        }
        if (lossFrom < from || lossFrom > to) {
            throw new IllegalArgumentException("loss steps from " + lossFrom + " outside the window [" + from + ", " + to + ")");
        }
        int b = batch.batch();
        int v = config.outputs();
        int skip = (lossFrom - from) * b;
        int rows = (to - lossFrom) * b;
        A p = predictions.array();
        A g = null;
        if (gradient) {
            g = predictionGrad.ensure((long) (to - from) * b * v);
            ops.fill(skip * v, 0, g, 0);
        }
        this.lossFrom = lossFrom;
        this.gradientReady = gradient && training;
        if (config.objective() == Objective.CROSS_ENTROPY) {
            requireClasses(batch);
            return crossEntropy.compute(rows, v, p, skip * v, batch.targets(), lossFrom * b, batch.mask(), lossFrom * b, scale, g, skip * v);
        }
        if (batch.targetValues() == null) {
            throw new IllegalArgumentException("this model is trained on values (MSE); the batch has no target values");
        }
        ShapeException.check("target values (steps·batch·" + v + ")", (long) batch.steps() * b * v, ops.length(batch.targetValues()));
        return MeanSquaredError.compute(ops, rows, v, p, skip * v, batch.targetValues(), lossFrom * b * v, batch.mask(), lossFrom * b, scale, g, skip * v);
    }

    /** The scale that makes {@link #loss} the mean over {@code counted} positions (0 when none count). */
    public double meanScale(int counted) {
        if (counted == 0) {
            return 0;
        }
        return config.objective() == Objective.CROSS_ENTROPY ? 1.0 / counted : 1.0 / ((double) counted * config.outputs());
    }

    /**
     * Back-propagates the last {@link #loss} (with gradient) through head, stack and embedding,
     * accumulating into {@link Parameters#gradients()}.
     *
     * @param finalStateGrad  dL/d final state, or null (truncation: nothing flows in from later steps)
     * @param wantInputGrad   whether to compute dL/d features ({@link #inputGradient()})
     * @param wantInitialGrad whether to compute dL/d initial state ({@link #initialStateGradient()})
     */
    public void backward(Slice<A> finalStateGrad, boolean wantInputGrad, boolean wantInitialGrad) {
        if (!gradientReady) {
            throw new IllegalStateException("backward needs a training forward pass followed by loss(…, gradient = true)");
        }
        gradientReady = false;
        int b = batch.batch();
        int w = rnn.outputSize();
        int rows = (to - from) * b;
        int skip = (lossFrom - from) * b;
        A dOut = outputGrad.ensure((long) rows * w);
        ops.fill(skip * w, 0, dOut, 0);
        if (rows > skip) {
            head.backward(rows - skip, rnn.output(), skip * w, predictionGrad.array(), skip * config.outputs(), dOut, skip * w);
        }
        rnn.backward(Slice.of(dOut), finalStateGrad, wantInputGrad || embedding != null, wantInitialGrad);
        if (embedding != null) {
            embedding.backward(rows, batch.tokens(), from * b, rnn.inputGradient(), 0);
        }
    }

    /** dL/d input vectors (steps, B, width) of the last {@link #backward} (the embedded vectors for tokens). */
    public A inputGradient() {
        return rnn.inputGradient();
    }

    /** dL/d initial state of the last {@link #backward} that asked for it. */
    public A initialStateGradient() {
        return rnn.initialStateGradient();
    }

    /**
     * Full BPTT on one batch: forward over the whole sequence, the mean loss over counted positions,
     * and its gradient accumulated into {@link Parameters#gradients()} (not zeroed first).
     *
     * @param initialState (D·layers, B, S) or null for zeros
     * @return the mean loss
     */
    public double lossAndGradient(Batch<A> batch, Slice<A> initialState, long dropoutSeed) {
        forward(batch, initialState, Pass.training(dropoutSeed));
        double l = loss(0, meanScale(countedPositions(batch, 0, batch.steps())), true);
        backward(null, false, false);
        return l;
    }

    /** The mean loss of {@code batch} in inference mode (no dropout, no tape, no gradient). */
    public double evaluate(Batch<A> batch, Slice<A> initialState) {
        forward(batch, initialState, Pass.inference());
        return loss(0, meanScale(countedPositions(batch, 0, batch.steps())), false);
    }

    /**
     * A stream of {@code batch} rows advanced one step at a time with the state carried between calls:
     * the same outputs as running the whole sequence at once. It shares the model's work buffers, so
     * do not interleave it with a forward/backward pair.
     *
     * @throws IllegalStateException for a bidirectional model (the backward direction needs the whole sequence)
     */
    public Stream stream(int batch) {
        if (rnn.directions() != 1) {
            throw new IllegalStateException("a bidirectional model cannot stream: its backward direction needs the whole sequence");
        }
        return new Stream(batch);
    }

    private void requireClasses(Batch<A> batch) {
        if (batch.targets() == null) {
            throw new IllegalArgumentException("this model is trained on classes (cross-entropy); the batch has no target classes");
        }
    }

    /** Step-by-step inference with a carried state. See {@link SequenceModel#stream}. */
    public final class Stream {
        private final int rows;
        private final A state;
        private final A input;
        private final A output;

        private Stream(int rows) {
            this.rows = rows;
            this.state = ops.allocate(Math.max(1, rnn.stateLength(rows)));
            this.input = ops.allocate(Math.max(1, rows * config.input().width()));
            this.output = ops.allocate(Math.max(1, rows * config.outputs()));
        }

        /** The carried state (D·layers, B, S); may be written to set it. */
        public A state() {
            return state;
        }

        /** Sets the state to zeros. */
        public void reset() {
            ops.fill(rnn.stateLength(rows), 0, state, 0);
        }

        /** One step on tokens (B ids); returns the predictions (B, outputs), valid until the next call. */
        public A step(int[] tokens) {
            if (embedding == null) {
                throw new IllegalArgumentException("this model reads features, not tokens");
            }
            ShapeException.check("tokens per step", rows, tokens.length);
            embedding.forward(rows, tokens, 0, input, 0);
            return advance(input, 0);
        }

        /** One step on features (B, n) from {@code off}; returns the predictions (B, outputs). */
        public A step(A features, int off) {
            if (embedding != null) {
                throw new IllegalArgumentException("this model reads tokens, not features");
            }
            return advance(features, off);
        }

        private A advance(A x, int off) {
            rnn.forward(Pass.inference(), 1, rows, new Slice<>(x, off), null, Slice.of(state));
            ops.copy(rnn.stateLength(rows), rnn.finalState(), 0, state, 0);
            head.forward(rows, rnn.output(), 0, output, 0);
            return output;
        }
    }
}
