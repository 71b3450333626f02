package io.github.rnnlab.nn;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Rng;

/**
 * Encoder–decoder (sequence to sequence, Sutskever et al. 2014): an encoder stack reads the source
 * tokens; its final states (after each row's last valid step) are the decoder's initial states; the
 * decoder reads a begin token and then the target shifted by one ({@code teacher forcing} in
 * training), and a head predicts each target token. Inference decodes greedily, feeding each
 * prediction back, until an end token or a length limit.
 *
 * <p>Encoder and decoder share the stack's shape (cell, hidden size, layers) and run forward only,
 * so the encoder's (layers, B, S) final state fits the decoder. Parameter names, as a PyTorch module
 * with sub-modules {@code encoder{embedding, rnn}} and {@code decoder{embedding, rnn, head}}:
 * {@code encoder.embedding.weight}, {@code encoder.rnn.weight_ih_l0}, …, {@code decoder.head.bias}.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public final class Seq2Seq<A> {

    /**
     * @param sourceVocabulary tokens of the source
     * @param targetVocabulary tokens of the target, begin and end tokens included
     * @param embeddingSize    width of both embeddings (the stacks' input size)
     * @param rnn              the shape of both stacks; forward only; input size = embeddingSize
     * @param begin            the token the decoder reads first
     * @param end              the token that ends a decoded sequence
     */
    public record Config(int sourceVocabulary, int targetVocabulary, int embeddingSize, RecurrentConfig rnn, int begin, int end) {
        public Config {
            if (sourceVocabulary < 1 || targetVocabulary < 1 || embeddingSize < 1 || rnn == null) {
                throw new CellConfig.InvalidConfigException("seq2seq needs vocabularies, an embedding size and a stack");
            }
            if (rnn.directions() != Directions.FORWARD) {
                throw new CellConfig.InvalidConfigException("seq2seq stacks run forward only (the encoder's final state seeds the decoder), got " + rnn.directions());
            }
            if (rnn.inputSize() != embeddingSize) {
                throw new CellConfig.InvalidConfigException("recurrent input size: expected " + embeddingSize + ", got " + rnn.inputSize());
            }
            if (begin < 0 || begin >= targetVocabulary || end < 0 || end >= targetVocabulary) {
                throw new CellConfig.InvalidConfigException("begin and end tokens must be target tokens (0…" + (targetVocabulary - 1) + ")");
            }
        }
    }

    private final Ops<A> ops;
    private final Config config;
    private final Parameters<A> parameters;
    private final Embedding<A> sourceEmbedding;
    private final Recurrent<A> encoder;
    private final Embedding<A> targetEmbedding;
    private final Recurrent<A> decoder;
    private final Linear<A> head;
    private final SoftmaxCrossEntropy<A> crossEntropy;
    private final Buffer.Pool<A> pool;
    private final Buffer<A> sourceVectors;
    private final Buffer<A> targetVectors;
    private final Buffer<A> logits;
    private final Buffer<A> logitGrad;
    private final Buffer<A> outputGrad;
    private final Buffer<A> state;
    private int[] decoderInput = new int[0];

    public Seq2Seq(Ops<A> ops, CellProvider cell, Config config) {
        this.ops = ops;
        this.config = config;
        this.parameters = new Parameters<>(ops);
        this.sourceEmbedding = new Embedding<>(parameters, "encoder.embedding.", config.sourceVocabulary(), config.embeddingSize());
        this.encoder = new Recurrent<>(parameters, "encoder.rnn.", cell, config.rnn());
        this.targetEmbedding = new Embedding<>(parameters, "decoder.embedding.", config.targetVocabulary(), config.embeddingSize());
        this.decoder = new Recurrent<>(parameters, "decoder.rnn.", cell, config.rnn());
        this.head = new Linear<>(parameters, "decoder.head.", decoder.outputSize(), config.targetVocabulary());
        parameters.allocate();
        this.crossEntropy = new SoftmaxCrossEntropy<>(ops);
        this.pool = new Buffer.Pool<>(ops);
        this.sourceVectors = pool.create();
        this.targetVectors = pool.create();
        this.logits = pool.create();
        this.logitGrad = pool.create();
        this.outputGrad = pool.create();
        this.state = pool.create();
    }

    /** Creates and initialises ({@link Parameters#initialize}) a model. */
    public static <A> Seq2Seq<A> create(Ops<A> ops, CellProvider cell, Config config, Rng rng) {
        Seq2Seq<A> m = new Seq2Seq<>(ops, cell, config);
        m.parameters.initialize(rng);
        return m;
    }

    public Parameters<A> parameters() {
        return parameters;
    }

    private void encode(int sourceSteps, int batch, int[] source, Mask sourceMask, Pass pass) {
        ShapeException.check("source tokens (steps·batch)", (long) sourceSteps * batch, source.length);
        int rows = sourceSteps * batch;
        A e = sourceVectors.ensure((long) rows * config.embeddingSize());
        sourceEmbedding.forward(rows, source, 0, e, 0);
        encoder.forward(pass, sourceSteps, batch, Slice.of(e), sourceMask, null);
    }

    /**
     * Teacher-forced training on one batch: the decoder reads {@code begin, target[0], …, target[T−2]}
     * and is trained to output {@code target[0…T−1]} (mean cross-entropy over valid target
     * positions); the gradient is accumulated into {@link Parameters#gradients()}.
     *
     * @param source     (sourceSteps, B) tokens, time-major
     * @param sourceMask valid source steps, or null
     * @param target     (targetSteps, B) tokens, time-major (typically ending with the end token)
     * @param targetMask valid target steps, or null
     * @return the mean loss
     */
    public double lossAndGradient(int sourceSteps, int batch, int[] source, Mask sourceMask,
                                  int targetSteps, int[] target, Mask targetMask, long dropoutSeed) {
        return run(sourceSteps, batch, source, sourceMask, targetSteps, target, targetMask, dropoutSeed, true);
    }

    /** The teacher-forced mean loss of one batch, in inference mode (no dropout, no gradient). */
    public double evaluate(int sourceSteps, int batch, int[] source, Mask sourceMask, int targetSteps, int[] target, Mask targetMask) {
        return run(sourceSteps, batch, source, sourceMask, targetSteps, target, targetMask, 0, false);
    }

    private double run(int sourceSteps, int batch, int[] source, Mask sourceMask, int targetSteps, int[] target, Mask targetMask,
                       long dropoutSeed, boolean training) {
        ShapeException.check("target tokens (steps·batch)", (long) targetSteps * batch, target.length);
        encode(sourceSteps, batch, source, sourceMask, training ? Pass.training(dropoutSeed) : Pass.inference());
        int rows = targetSteps * batch;
        if (decoderInput.length < rows) {
            decoderInput = new int[rows];
        }
        for (int r = 0; r < batch; r++) {
            decoderInput[r] = config.begin();
        }
        System.arraycopy(target, 0, decoderInput, batch, rows - batch);
        int es = config.embeddingSize();
        A e = targetVectors.ensure((long) rows * es);
        targetEmbedding.forward(rows, decoderInput, 0, e, 0);
        decoder.forward(training ? Pass.training(dropoutSeed ^ 0x5DEECE66DL) : Pass.inference(), targetSteps, batch, Slice.of(e), targetMask, Slice.of(encoder.finalState()));
        int v = config.targetVocabulary();
        A z = logits.ensure((long) rows * v);
        head.forward(rows, decoder.output(), 0, z, 0);
        int counted = SoftmaxCrossEntropy.count(rows, target, 0, targetMask, 0);
        double scale = counted == 0 ? 0 : 1.0 / counted;
        A g = training ? logitGrad.ensure((long) rows * v) : null;
        double loss = crossEntropy.compute(rows, v, z, 0, target, 0, targetMask, 0, scale, g, 0);
        if (!training) {
            return loss;
        }
        A dOut = outputGrad.ensure((long) rows * decoder.outputSize());
        head.backward(rows, decoder.output(), 0, g, 0, dOut, 0);
        decoder.backward(Slice.of(dOut), null, true, true);
        targetEmbedding.backward(rows, decoderInput, 0, decoder.inputGradient(), 0);
        encoder.backward(null, Slice.of(decoder.initialStateGradient()), true, false);
        sourceEmbedding.backward(sourceSteps * batch, source, 0, encoder.inputGradient(), 0);
        return loss;
    }

    /**
     * Greedy decoding without teacher forcing: encodes the source, then feeds {@code begin} and each
     * predicted token back, for at most {@code maxSteps} steps. A row's output stops at its end token
     * (which is included); later positions hold −1.
     *
     * @return (maxSteps, B) tokens, time-major
     */
    public int[] decodeGreedy(int sourceSteps, int batch, int[] source, Mask sourceMask, int maxSteps) {
        encode(sourceSteps, batch, source, sourceMask, Pass.inference());
        int sl = decoder.stateLength(batch);
        A s = state.ensure(sl);
        ops.copy(sl, encoder.finalState(), 0, s, 0);
        int es = config.embeddingSize(), v = config.targetVocabulary();
        A e = targetVectors.ensure((long) batch * es);
        A z = logits.ensure((long) batch * v);
        int[] in = new int[batch];
        java.util.Arrays.fill(in, config.begin());
        boolean[] done = new boolean[batch];
        int[] out = new int[maxSteps * batch];
        java.util.Arrays.fill(out, -1);
        for (int t = 0; t < maxSteps; t++) {
            targetEmbedding.forward(batch, in, 0, e, 0);
            decoder.forward(Pass.inference(), 1, batch, Slice.of(e), null, Slice.of(s));
            ops.copy(sl, decoder.finalState(), 0, s, 0);
            head.forward(batch, decoder.output(), 0, z, 0);
            for (int r = 0; r < batch; r++) {
                int tok = ops.argmax(v, z, r * v);
                in[r] = tok;
                if (!done[r]) {
                    out[t * batch + r] = tok;
                    done[r] = tok == config.end();
                }
            }
        }
        return out;
    }
}
