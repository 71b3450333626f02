package io.github.rnnlab.nn;

import io.github.rnnlab.ShapeException;

import java.util.Arrays;

/**
 * Which steps of a padded (steps, batch) sequence batch are valid: 1 = a real step, 0 = padding.
 * Immutable.
 *
 * <p>Built from per-row lengths ({@link #ofLengths}, the usual case: valid steps first, then padding,
 * as {@code pack_padded_sequence}) or from any 0/1 matrix ({@link #of}). At a padded step a
 * recurrent layer keeps its state, outputs 0 and passes no gradient to parameters or input; the
 * final state of a row is the state after its last valid step.
 *
 * <p>Reversal, for the backward direction of a bidirectional layer: each row's valid steps
 * v₀ &lt; v₁ &lt; … &lt; v₍ₙ₋₁₎ are read in reverse order, v₍ᵢ₎ ↔ v₍ₙ₋₁₋ᵢ₎, and padded steps stay where they
 * are. For a length-ℓ row this is "reverse within its own length", t ↔ ℓ−1−t. The map is its own
 * inverse, so the same {@link #reversedStep} gathers inputs and scatters outputs.
 */
public final class Mask {
    private final int steps;
    private final int batch;
    private final float[] values;
    private final int[] lastValid;
    private final int[] lengths;
    private final int[] reversal;
    private final int validCount;
    private final boolean allValid;

    private Mask(int steps, int batch, float[] values) {
        this.steps = steps;
        this.batch = batch;
        this.values = values;
        this.lastValid = new int[batch];
        this.lengths = new int[batch];
        this.reversal = new int[steps * batch];
        int count = 0;
        int[] valid = new int[steps];
        for (int b = 0; b < batch; b++) {
            int n = 0;
            lastValid[b] = -1;
            for (int t = 0; t < steps; t++) {
                reversal[t * batch + b] = t;
                if (values[t * batch + b] != 0f) {
                    valid[n++] = t;
                    lastValid[b] = t;
                }
            }
            for (int i = 0; i < n; i++) {
                reversal[valid[i] * batch + b] = valid[n - 1 - i];
            }
            lengths[b] = n;
            count += n;
        }
        this.validCount = count;
        this.allValid = count == steps * batch;
    }

    /**
     * The mask of rows with the given lengths: row b is valid at steps 0…lengths[b]−1.
     *
     * @throws ShapeException if a length is negative or larger than {@code steps}
     */
    public static Mask ofLengths(int steps, int[] lengths) {
        if (steps < 0) {
            throw new ShapeException("steps must be non-negative, got " + steps);
        }
        float[] v = new float[steps * lengths.length];
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 0 || lengths[b] > steps) {
                throw new ShapeException("length of batch row " + b + ": expected 0…" + steps + ", got " + lengths[b]);
            }
            for (int t = 0; t < lengths[b]; t++) {
                v[t * lengths.length + b] = 1f;
            }
        }
        return new Mask(steps, lengths.length, v);
    }

    /**
     * The mask with the given (steps, batch) values, copied.
     *
     * @throws ShapeException if {@code values} does not have steps·batch elements or holds anything but 0 and 1
     */
    public static Mask of(int steps, int batch, float[] values) {
        if (steps < 0 || batch < 0) {
            throw new ShapeException("steps and batch must be non-negative, got " + steps + " and " + batch);
        }
        ShapeException.check("mask elements (steps·batch)", (long) steps * batch, values.length);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0f && values[i] != 1f) {
                throw new ShapeException("mask element " + i + ": expected 0 or 1, got " + values[i]);
            }
        }
        return new Mask(steps, batch, values.clone());
    }

    /** The steps of every row. */
    public int steps() {
        return steps;
    }

    /** The rows. */
    public int batch() {
        return batch;
    }

    /** Whether step {@code t} of row {@code b} is valid. */
    public boolean valid(int t, int b) {
        return values[t * batch + b] != 0f;
    }

    /** The number of valid positions in the whole batch. */
    public int validCount() {
        return validCount;
    }

    /** Whether every position is valid. */
    public boolean allValid() {
        return allValid;
    }

    /** The last valid step of row {@code b}, or −1 if it has none. */
    public int lastValid(int b) {
        return lastValid[b];
    }

    /** The number of valid steps of row {@code b}. */
    public int length(int b) {
        return lengths[b];
    }

    /** The step that step {@code t} of row {@code b} exchanges places with when the row is reversed. */
    public int reversedStep(int t, int b) {
        return reversal[t * batch + b];
    }

    /** A copy of the (steps, batch) values. */
    public float[] toArray() {
        return values.clone();
    }

    /** The values array itself, for {@link io.github.rnnlab.cell.Chunk}s (not to be modified). */
    float[] array() {
        return values;
    }

    /** The mask of steps {@code [from, to)}. */
    public Mask window(int from, int to) {
        if (from < 0 || to > steps || from > to) {
            throw new ShapeException("window [" + from + ", " + to + ") of a mask of " + steps + " steps");
        }
        if (from == 0 && to == steps) {
            return this;
        }
        return new Mask(to - from, batch, Arrays.copyOfRange(values, from * batch, to * batch));
    }

    @Override
    public String toString() {
        return "Mask[steps=" + steps + ", batch=" + batch + ", valid=" + validCount + "]";
    }
}
