package io.github.rnnlab.cli;

import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.checkpoint.TrainingState;
import io.github.rnnlab.data.RandomWindowBatcher;
import io.github.rnnlab.data.SequentialBatcher;
import io.github.rnnlab.generate.Generator;
import io.github.rnnlab.generate.Sampling;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.Rng;
import java.util.Arrays;

/**
 * A character-level language model on a text ({@link CharData}): batches of the training part, sequential
 * (each row a contiguous stream, the state carried from batch to batch) or random windows (from a zero state);
 * validation on the held-out end of the text, run as parallel streams with the state carried; samples primed
 * with a line break.
 */
final class CharWorkload implements Workload {
    /** Steps per evaluation chunk. */
    private static final int EVAL_STEPS = 256;
    /** Parallel streams of an evaluation. */
    private static final int EVAL_STREAMS = 32;

    /** How training batches are cut from the text. */
    enum Batching {
        /** B contiguous streams, each batch continuing where the last stopped, the state carried. */
        SEQUENTIAL,
        /** B windows at random offsets, from a zero state. */
        RANDOM;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static final class Converter extends EnumConverter<Batching> {
            Converter() {
                super(Batching.class);
            }
        }
    }

    private final TrainingState state;
    private final CharData data;
    private final Batching batching;
    private final SequentialBatcher sequential;
    private final RandomWindowBatcher random;
    private final int[] validationAll;
    private final int[] validationPart;
    private final int evalChars;
    private final int sampleLength;
    private final double temperature;

    /**
     * @param evalChars    how many validation characters the periodic evaluations read (the first ones)
     * @param sampleLength characters per sample (0: no samples)
     * @param temperature  sampling temperature of the samples
     * @throws io.github.rnnlab.data.NotEnoughTokensException if the training text is too short for the batches
     */
    CharWorkload(TrainingState state, CharData data, Batching batching, int evalChars, int sampleLength, double temperature) {
        this.state = state;
        this.data = data;
        this.batching = batching;
        int[] train = data.split().train();
        int t = state.config().sequenceLength();
        int b = state.config().batch();
        this.sequential = batching == Batching.SEQUENTIAL ? new SequentialBatcher(train, t, b) : null;
        this.random = batching == Batching.RANDOM ? new RandomWindowBatcher(train, t, b) : null;
        this.validationAll = data.split().validation();
        this.validationPart = spread(validationAll, evalChars);
        this.evalChars = evalChars;
        this.sampleLength = sampleLength;
        this.temperature = temperature;
    }

    @Override
    public TrainingState state() {
        return state;
    }

    @Override
    public String unit() {
        return "chars";
    }

    @Override
    public BatchResult train() {
        if (sequential != null) {
            int before = state.dataPosition();
            double loss = state.trainSequential(sequential);
            int after = state.dataPosition();
            int steps = after > before ? after - before : after; // an epoch ended: the batch started at 0
            return new BatchResult(loss, (long) steps * state.config().batch());
        }
        double loss = state.trainRandomWindows(random);
        return new BatchResult(loss, (long) state.config().sequenceLength() * state.config().batch());
    }

    @Override
    public boolean validates() {
        return validationAll.length >= 2;
    }

    @Override
    public Validation validate(boolean all) {
        if (!validates()) {
            return new Validation(Double.NaN, Double.NaN);
        }
        return new Validation(all || validationPart.length == validationAll.length ? evaluate(state.model(), validationAll)
                : evaluate(state.model(), validationPart, streams(evalChars)), Double.NaN);
    }

    @Override
    public double baseline() {
        return data.baselineValidation();
    }

    @Override
    public String validationLine(long step, Validation v) {
        double base = baseline();
        return "step " + step + ": validation loss " + Format.loss(v.loss()) + " nats/char = "
                + Format.loss(v.loss() / Math.log(2)) + " bits/char"
                + (Double.isFinite(base) ? " (unigram baseline " + Format.loss(base) + ")" : "");
    }

    @Override
    public String metric() {
        return null;
    }

    @Override
    public String lossLabel() {
        return "loss (nats per character)";
    }

    @Override
    public String baselineName() {
        return "unigram baseline (validation)";
    }

    @Override
    public String sample(long step) {
        if (sampleLength <= 0) {
            return null;
        }
        int[] prime = SampleCommand.encodePrime(SampleCommand.defaultPrime(data.vocabulary()), data.vocabulary());
        int[] out = new Generator<>(state.model()).generate(prime, sampleLength, new Sampling(temperature, 0),
                new Rng(state.config().seed() * 1_000_003L + step));
        return data.vocabulary().decode(out);
    }

    /** How many parallel streams an evaluation of {@code n} characters reads them as. */
    static int streams(int n) {
        return Math.max(1, Math.min(EVAL_STREAMS, (n - 1) / EVAL_STEPS));
    }

    /**
     * About {@code chars} characters of {@code ids} for the periodic evaluations: {@link #streams} windows spread
     * evenly over the whole of it, one per evaluation stream (so that the figure tracks the loss on all of it,
     * not on its beginning); all of {@code ids} when it is not longer.
     */
    static int[] spread(int[] ids, int chars) {
        if (chars >= ids.length) {
            return ids.clone();
        }
        int streams = streams(chars);
        int window = chars / streams;
        int stride = ids.length / streams;
        int[] part = new int[streams * window];
        for (int i = 0; i < streams; i++) {
            System.arraycopy(ids, i * stride, part, i * window, window);
        }
        return part;
    }

    /**
     * The mean loss of {@code model} over {@code ids} read as {@link #streams} parallel streams (contiguous
     * parts of equal length), {@value #EVAL_STEPS} steps at a time, the state carried, in inference mode.
     */
    static double evaluate(SequenceModel<float[]> model, int[] ids) {
        return evaluate(model, ids, streams(ids.length));
    }

    /** {@link #evaluate(SequenceModel, int[])} with the number of streams given. */
    static double evaluate(SequenceModel<float[]> model, int[] ids, int streams) {
        int length = ids.length / streams;
        float[] state = null;
        double sum = 0;
        long count = 0;
        for (int p = 0; p + 1 < length; p += EVAL_STEPS) {
            int steps = Math.min(EVAL_STEPS, length - 1 - p);
            int[] in = new int[steps * streams];
            int[] target = new int[steps * streams];
            for (int b = 0; b < streams; b++) {
                for (int t = 0; t < steps; t++) {
                    in[t * streams + b] = ids[b * length + p + t];
                    target[t * streams + b] = ids[b * length + p + t + 1];
                }
            }
            double loss = model.evaluate(Batch.ofTokens(steps, streams, in, target, null),
                    state == null ? null : Slice.of(state));
            state = Arrays.copyOf(model.finalState(), model.stateLength(streams));
            sum += loss * steps * streams;
            count += (long) steps * streams;
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** How batches are cut. */
    Batching batching() {
        return batching;
    }
}
