package io.github.rnnlab.nn;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Rng;

/**
 * Many-to-one: [embedding] → recurrent stack → the top layer's final output of each direction
 * ({@link Recurrent#finalOutput}: the output at each row's last valid step; for a bidirectional
 * stack the backward direction's output after reading the row back to its first step) → linear
 * head → class logits, trained with softmax cross-entropy on one label per sequence. For the
 * built-in cells, whose output is h, this is the final {@code h}: for a concatenating bidirectional
 * stack {@code [h_n fwd ; h_n bwd]}, as PyTorch users write {@code cat(h_n[-2], h_n[-1])}; for a
 * summing one their sum. It reads outputs, not states, so it works for any cell, also one whose
 * state is wider than its output (the SSM's h is H·N). A row without valid steps is summarised by
 * zeros.
 *
 * <p>Parameter names: {@code embedding.weight}, {@code rnn.…}, {@code head.weight}, {@code head.bias}.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public final class SequenceClassifier<A> {

    /**
     * @param input   tokens or features
     * @param rnn     the stack; its input size must be the input's width
     * @param classes the number of classes
     */
    public record Config(SequenceModel.Input input, RecurrentConfig rnn, int classes) {
        public Config {
            if (input == null || rnn == null || classes < 1) {
                throw new CellConfig.InvalidConfigException("a classifier needs an input, a stack and at least 1 class");
            }
            if (rnn.inputSize() != input.width()) {
                throw new CellConfig.InvalidConfigException("recurrent input size: expected " + input.width() + ", got " + rnn.inputSize());
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
    private final Buffer<A> summary;
    private final Buffer<A> logits;
    private final Buffer<A> logitGrad;
    private final Buffer<A> summaryGrad;
    private final int summaryWidth;
    private Batch<A> batch;

    public SequenceClassifier(Ops<A> ops, CellProvider cell, Config config) {
        this.ops = ops;
        this.config = config;
        this.parameters = new Parameters<>(ops);
        this.embedding = config.input() instanceof SequenceModel.Tokens t ? new Embedding<>(parameters, "embedding.", t.vocabulary(), t.embeddingSize()) : null;
        this.rnn = new Recurrent<>(parameters, "rnn.", cell, config.rnn());
        this.summaryWidth = config.rnn().directions().outputWidth(rnn.hiddenSize());
        this.head = new Linear<>(parameters, "head.", summaryWidth, config.classes());
        parameters.allocate();
        this.crossEntropy = new SoftmaxCrossEntropy<>(ops);
        this.pool = new Buffer.Pool<>(ops);
        this.embedded = pool.create();
        this.summary = pool.create();
        this.logits = pool.create();
        this.logitGrad = pool.create();
        this.summaryGrad = pool.create();
    }

    /** Creates and initialises ({@link Parameters#initialize}) a classifier. */
    public static <A> SequenceClassifier<A> create(Ops<A> ops, CellProvider cell, Config config, Rng rng) {
        SequenceClassifier<A> c = new SequenceClassifier<>(ops, cell, config);
        c.parameters.initialize(rng);
        return c;
    }

    public Parameters<A> parameters() {
        return parameters;
    }

    public Recurrent<A> rnn() {
        return rnn;
    }

    /**
     * Runs the batch (its inputs and mask; per-step targets are ignored) and computes the logits
     * (B, classes), returned as a view valid until the next call.
     */
    public A forward(Batch<A> batch, Slice<A> initialState, Pass pass) {
        int b = batch.batch();
        int rows = batch.steps() * b;
        Slice<A> in;
        if (embedding != null) {
            if (batch.tokens() == null) {
                throw new IllegalArgumentException("this classifier reads tokens; the batch has features");
            }
            A e = embedded.ensure((long) rows * embedding.size());
            embedding.forward(rows, batch.tokens(), 0, e, 0);
            in = Slice.of(e);
        } else {
            if (batch.features() == null) {
                throw new IllegalArgumentException("this classifier reads features; the batch has tokens");
            }
            in = Slice.of(batch.features());
        }
        rnn.forward(pass, batch.steps(), b, in, batch.mask(), initialState);
        A s = summary.ensure((long) b * summaryWidth);
        rnn.finalOutput(s, 0);
        A z = logits.ensure((long) b * config.classes());
        head.forward(b, s, 0, z, 0);
        this.batch = batch;
        return z;
    }

    /**
     * Full BPTT on one batch with one label per row (negative = ignore): the mean cross-entropy,
     * its gradient accumulated into {@link Parameters#gradients()}.
     */
    public double lossAndGradient(Batch<A> batch, int[] labels, long dropoutSeed) {
        return lossAndGradient(batch, labels, null, dropoutSeed);
    }

    /** {@link #lossAndGradient(Batch, int[], long)} from a given initial state (D·layers, B, S); dL/d it in {@link #initialStateGradient()}. */
    public double lossAndGradient(Batch<A> batch, int[] labels, Slice<A> initialState, long dropoutSeed) {
        ShapeException.check("labels (one per batch row)", batch.batch(), labels.length);
        forward(batch, initialState, Pass.training(dropoutSeed));
        int b = batch.batch(), c = config.classes();
        int counted = SoftmaxCrossEntropy.count(b, labels, 0, null, 0);
        double scale = counted == 0 ? 0 : 1.0 / counted;
        A g = logitGrad.ensure((long) b * c);
        double loss = crossEntropy.compute(b, c, logits.array(), 0, labels, 0, null, 0, scale, g, 0);
        A ds = summaryGrad.ensure((long) b * summaryWidth);
        head.backward(b, summary.array(), 0, g, 0, ds, 0);
        rnn.backward(null, Slice.of(ds), null, true, true);
        if (embedding != null) {
            embedding.backward(batch.steps() * b, batch.tokens(), 0, rnn.inputGradient(), 0);
        }
        return loss;
    }

    /** The mean cross-entropy of one batch in inference mode (no dropout, no gradient). */
    public double evaluate(Batch<A> batch, int[] labels, Slice<A> initialState) {
        ShapeException.check("labels (one per batch row)", batch.batch(), labels.length);
        A z = forward(batch, initialState, Pass.inference());
        int counted = SoftmaxCrossEntropy.count(batch.batch(), labels, 0, null, 0);
        return crossEntropy.compute(batch.batch(), config.classes(), z, 0, labels, 0, null, 0, counted == 0 ? 0 : 1.0 / counted, null, 0);
    }

    /** dL/d input vectors (steps, B, width) of the last {@link #lossAndGradient}. */
    public A inputGradient() {
        return rnn.inputGradient();
    }

    /** dL/d initial state of the last {@link #lossAndGradient}. */
    public A initialStateGradient() {
        return rnn.initialStateGradient();
    }

    /** The most likely class of each row (inference). */
    public int[] predict(Batch<A> batch) {
        A z = forward(batch, null, Pass.inference());
        int[] out = new int[batch.batch()];
        for (int r = 0; r < out.length; r++) {
            out[r] = ops.argmax(config.classes(), z, r * config.classes());
        }
        return out;
    }
}
