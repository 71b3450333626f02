package io.github.rnnlab.train;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.Parameters;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.train.optim.LearningRate;
import io.github.rnnlab.train.optim.Optimizer;

import java.util.function.DoubleSupplier;

/**
 * One optimisation step at a time for a float32 model: gradients computed by the caller's
 * loss-and-gradient function (or by {@link TruncatedBptt}), checked, clipped and applied.
 *
 * <p>An update ({@link #update}): the loss must be finite; the global gradient norm is computed
 * (and must be finite); the gradients are clipped by norm and/or by value as configured; the
 * optimizer takes a step at the schedule's rate; the gradients are zeroed. A non-finite loss or norm
 * throws {@link NonFiniteException} before anything is modified.
 *
 * <p>Deterministic: the dropout seeds of successive batches come from the trainer's {@link Rng}, so
 * the same seed, data and thread count give bit-identical losses.
 */
public final class Trainer {

    /**
     * @param learningRate the schedule
     * @param clipNorm     global-norm clipping threshold, or 0 for none
     * @param clipValue    value clipping threshold, or 0 for none
     */
    public record Config(LearningRate learningRate, double clipNorm, double clipValue) {
        public Config {
            if (learningRate == null || !(clipNorm >= 0) || !(clipValue >= 0)) {
                throw new CellConfig.InvalidConfigException("a trainer needs a learning-rate schedule and non-negative clipping thresholds");
            }
        }

        /** A schedule without clipping. */
        public static Config of(LearningRate learningRate) {
            return new Config(learningRate, 0, 0);
        }

        public Config withClipNorm(double maxNorm) {
            return new Config(learningRate, maxNorm, clipValue);
        }

        public Config withClipValue(double clip) {
            return new Config(learningRate, clipNorm, clip);
        }
    }

    private final Parameters<float[]> parameters;
    private final Optimizer optimizer;
    private final Config config;
    private final Rng rng;
    private double lastNorm = Double.NaN;
    private double lastLoss = Double.NaN;

    /**
     * @param rng the source of dropout seeds (one draw per batch); its state is part of a checkpoint
     */
    public Trainer(Parameters<float[]> parameters, Optimizer optimizer, Config config, Rng rng) {
        this.parameters = parameters;
        this.optimizer = optimizer;
        this.config = config;
        this.rng = rng;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Config config() {
        return config;
    }

    public Rng rng() {
        return rng;
    }

    /** Updates taken. */
    public long steps() {
        return optimizer.steps();
    }

    /** The gradient norm (before clipping) of the last update. */
    public double lastGradientNorm() {
        return lastNorm;
    }

    /** The loss of the last update. */
    public double lastLoss() {
        return lastLoss;
    }

    /**
     * Zeroes the gradients, runs {@code lossAndGradient} (which must accumulate the gradient of the loss
     * it returns), and {@link #update}s.
     *
     * @return the loss
     */
    public double step(DoubleSupplier lossAndGradient) {
        parameters.zeroGradients();
        double loss = lossAndGradient.getAsDouble();
        update(loss);
        return loss;
    }

    /**
     * Trains on one batch of a sequence model with {@code bptt}: with truncation, one update per window
     * (each window's mean loss), the state carried from window to window.
     *
     * @param initialState (D·layers, B, S) before step 0, or null for zeros (e.g. {@code bptt.finalState()}
     *                     of the previous batch of a stream, copied)
     * @return the mean loss over the batch
     */
    public double train(TruncatedBptt<float[]> bptt, Batch<float[]> batch, Slice<float[]> initialState) {
        parameters.zeroGradients();
        long seed = rng.nextLong();
        return bptt.train(batch, initialState, seed, (loss, from, to) -> update(loss));
    }

    /**
     * Applies the accumulated gradients: checks, clips, steps the optimizer at the scheduled rate, and
     * zeroes the gradients.
     *
     * @return the gradient norm before clipping
     * @throws NonFiniteException if {@code loss} or the gradient norm is NaN or infinite (nothing is updated)
     */
    public double update(double loss) {
        if (!Double.isFinite(loss)) {
            throw new NonFiniteException("the loss is " + loss + " at update " + optimizer.steps() + "; no parameter was updated");
        }
        double norm = GradientClipping.norm(parameters);
        if (!Double.isFinite(norm)) {
            throw new NonFiniteException("the gradient norm is " + norm + " at update " + optimizer.steps() + " (loss " + loss
                    + "); no parameter was updated");
        }
        if (config.clipNorm() > 0) {
            GradientClipping.clipGradNorm(parameters, config.clipNorm());
        }
        if (config.clipValue() > 0) {
            GradientClipping.clipGradValue(parameters, config.clipValue());
        }
        optimizer.step(parameters.values(), parameters.gradients(), config.learningRate().at(optimizer.steps()));
        parameters.zeroGradients();
        lastNorm = norm;
        lastLoss = loss;
        return norm;
    }
}
