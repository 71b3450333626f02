package io.github.rnnlab.checkpoint;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.data.RandomWindowBatcher;
import io.github.rnnlab.data.SequentialBatcher;
import io.github.rnnlab.data.TokenBatch;
import io.github.rnnlab.data.Vocabulary;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.train.Trainer;
import io.github.rnnlab.train.TruncatedBptt;
import io.github.rnnlab.train.optim.Optimizer;

import java.util.Objects;

/**
 * A training run in progress: its configuration, and every object whose state a resumed run needs, so that
 * {@link Checkpoint#save} and {@link Checkpoint#load} round-trip it and training continues bit for bit as if
 * it had never stopped (same configuration, seed and thread count):
 * <ul>
 *   <li>the model ({@link SequenceModel}, float32) and its parameters;</li>
 *   <li>the optimizer, with its step count and buffers;</li>
 *   <li>the trainer ({@link Trainer}: schedule and clipping, and the generator of dropout seeds);</li>
 *   <li>the data position: the generator random windows are drawn with ({@link #dataRng()}), the offset of
 *       the next batch within the streams of sequential batches ({@link #dataPosition()}) and the epoch;</li>
 *   <li>the recurrent state carried from one batch of a stream to the next ({@link #carriedState()});</li>
 *   <li>the vocabulary of a character model, if any.</li>
 * </ul>
 * {@link #trainSequential} and {@link #trainRandomWindows} are the training step of a character-level
 * language model on a text, kept here so that the state they advance is exactly the state saved.
 *
 * <p>Not thread-safe.
 */
public final class TrainingState {
    private final TrainingConfig config;
    private final CellProvider cell;
    private final Vocabulary vocabulary;
    private final SequenceModel<float[]> model;
    private final Optimizer optimizer;
    private final Trainer trainer;
    private final TruncatedBptt<float[]> bptt;
    private final Rng dataRng;
    private long epoch;
    private int dataPosition;
    private float[] carried;

    TrainingState(TrainingConfig config, CellProvider cell, Vocabulary vocabulary, SequenceModel<float[]> model,
                  Optimizer optimizer, Rng trainerRng, Rng dataRng) {
        this.config = config;
        this.cell = cell;
        this.vocabulary = vocabulary;
        this.model = model;
        this.optimizer = optimizer;
        this.trainer = new Trainer(model.parameters(), optimizer, config.trainer(), trainerRng);
        this.bptt = new TruncatedBptt<>(model, config.bptt());
        this.dataRng = dataRng;
    }

    /**
     * A new run: the model initialised, and the trainer's and the data's generators seeded, from
     * {@code config.seed()}: a generator seeded with it is split three times, for the parameters, the
     * trainer (dropout seeds) and the data, in that order.
     *
     * @param vocabulary the characters of a token model (its size must be the model's vocabulary), or null
     * @throws IllegalArgumentException if {@code cell} is not the configuration's cell or the vocabulary does
     *                                  not fit the model
     */
    public static TrainingState start(TrainingConfig config, CellProvider cell, Vocabulary vocabulary, Ops<float[]> ops) {
        check(config, cell, vocabulary);
        Rng root = new Rng(config.seed());
        SequenceModel<float[]> model = SequenceModel.create(ops, cell, config.model(), root.split());
        Rng trainerRng = root.split();
        Rng dataRng = root.split();
        return new TrainingState(config, cell, vocabulary, model, config.optimizer().create(), trainerRng, dataRng);
    }

    static void check(TrainingConfig config, CellProvider cell, Vocabulary vocabulary) {
        if (!cell.id().equals(config.cell())) {
            throw new IllegalArgumentException("cell: the configuration names " + config.cell() + ", got the provider of " + cell.id());
        }
        if (vocabulary != null) {
            if (!(config.model().input() instanceof SequenceModel.Tokens t)) {
                throw new IllegalArgumentException("a vocabulary is only for a model that reads tokens; this one reads features");
            }
            ShapeException.check("vocabulary size (the model's token count)", t.vocabulary(), vocabulary.size());
        }
    }

    public TrainingConfig config() {
        return config;
    }

    public CellProvider cell() {
        return cell;
    }

    /** The vocabulary of a character model, or null. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public SequenceModel<float[]> model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Trainer trainer() {
        return trainer;
    }

    /** Truncated BPTT over the model, as configured. */
    public TruncatedBptt<float[]> bptt() {
        return bptt;
    }

    /** Updates taken (the optimizer's step count). */
    public long step() {
        return optimizer.steps();
    }

    /** Completed passes over the data of sequential batches. */
    public long epoch() {
        return epoch;
    }

    /** The generator random windows are drawn with; its state is saved. */
    public Rng dataRng() {
        return dataRng;
    }

    /** The offset within each stream of the next sequential batch. */
    public int dataPosition() {
        return dataPosition;
    }

    /** The state (D·layers, B, S) carried into the next batch of a stream, or null for zeros. A copy. */
    public float[] carriedState() {
        return carried == null ? null : carried.clone();
    }

    void restoreData(long epoch, int dataPosition, float[] carried) {
        if (epoch < 0 || dataPosition < 0) {
            throw new IllegalArgumentException("epoch and data position must be non-negative, got " + epoch + " and " + dataPosition);
        }
        this.epoch = epoch;
        this.dataPosition = dataPosition;
        this.carried = carried == null ? null : carried.clone();
    }

    /** The carried state itself (not a copy), for saving. */
    float[] carried() {
        return carried;
    }

    /**
     * One batch of {@code batcher}'s streams at {@link #dataPosition()} (the batcher is moved there first,
     * so a fresh batcher over the same text serves a resumed run), trained with the state carried from the
     * previous batch; at the end of an epoch the streams start over from zeros and the epoch count grows.
     *
     * @return the batch's mean loss
     * @throws IllegalArgumentException if the batcher's steps or rows are not the configuration's
     */
    public double trainSequential(SequentialBatcher batcher) {
        checkShape(batcher.steps(), batcher.batch());
        if (dataPosition > batcher.streamLength() - 1) {
            throw new IllegalArgumentException("data position " + dataPosition + " is past the streams of " + batcher.streamLength()
                    + " tokens: is this the text the run started on?");
        }
        batcher.seek(dataPosition);
        if (!batcher.hasNext()) {
            batcher.reset();
            epoch++;
            carried = null;
        }
        TokenBatch tokens = batcher.next();
        double loss = train(Batch.ofTokens(tokens.steps(), tokens.batch(), tokens.inputs(), tokens.targets(), null), true);
        dataPosition = batcher.position();
        return loss;
    }

    /**
     * One batch of random windows drawn from {@link #dataRng()}, trained from a zero state.
     *
     * @return the batch's mean loss
     */
    public double trainRandomWindows(RandomWindowBatcher batcher) {
        checkShape(batcher.steps(), batcher.batch());
        TokenBatch tokens = batcher.next(dataRng);
        return train(Batch.ofTokens(tokens.steps(), tokens.batch(), tokens.inputs(), tokens.targets(), null), false);
    }

    /**
     * Trains on {@code batch} with the configured BPTT: from the carried state and carrying its final state
     * on ({@code carry}), or from zeros.
     *
     * @return the batch's mean loss
     */
    public double train(Batch<float[]> batch, boolean carry) {
        Objects.requireNonNull(batch, "batch");
        int length = model.stateLength(batch.batch());
        float[] initial = null;
        if (carry && carried != null) {
            ShapeException.check("carried state elements (D·layers·B·S for " + batch.batch() + " rows)", length, carried.length);
            initial = carried;
        }
        double loss = trainer.train(bptt, batch, initial == null ? null : Slice.of(initial));
        if (carry) {
            // into the same buffer every update (the state is length floats; a final state shorter than that
            // leaves zeros, as Arrays.copyOf would)
            float[] last = bptt.finalState();
            if (carried == null || carried.length != length) {
                carried = new float[length];
            }
            int n = Math.min(length, last.length);
            System.arraycopy(last, 0, carried, 0, n);
            java.util.Arrays.fill(carried, n, length, 0f);
        }
        return loss;
    }

    private void checkShape(int steps, int rows) {
        if (steps != config.sequenceLength() || rows != config.batch()) {
            throw new IllegalArgumentException("batches: expected " + config.sequenceLength() + " steps × " + config.batch()
                    + " rows (the configuration), got " + steps + " × " + rows);
        }
    }
}
