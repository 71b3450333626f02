package io.github.rnnlab.train;

import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.Pass;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.Ops;

/**
 * Back-propagation through time over a batch of long sequences, full or truncated ({@link Bptt}), for
 * a {@link SequenceModel}.
 *
 * <h2>Algorithm (Williams &amp; Peng 1990, BPTT(h = k2; h' = k1))</h2>
 * Window i ends at e_i = min(i·k1, T) and starts at s_i = max(0, e_i − k2). For each window:
 * <ol>
 *   <li>run the model forward over steps [s_i, e_i) with a tape, from the state carried at s_i
 *       (detached: no gradient flows into it);</li>
 *   <li>take the loss of the newest steps [e_{i−1}, e_i) only (each step's loss is counted once);</li>
 *   <li>back-propagate it through the window, back to s_i, and stop there;</li>
 *   <li>keep the state at s_{i+1} = max(0, e_{i+1} − k2), which lies inside the window (k1 ≤ k2), as
 *       the carried state of the next window ({@link Pass#keepingStateAfter}).</li>
 * </ol>
 * With k1 = k2 = K the windows do not overlap: this is "cut the gradient every K steps". With k1 &lt; k2
 * steps [s_i, e_{i−1}) are re-run (the forward cost is k2/k1 times that of one pass) instead of
 * keeping their activations, so that the memory for activations, tapes and workspaces is that of
 * one window: O(k2·B·H), independent of T. Only one state (B·S per layer) is carried. Dropout masks
 * depend on the absolute step ({@link io.github.rnnlab.nn.Dropout}), so re-run steps see the same masks.
 *
 * <p>Full BPTT is the single window [0, T).
 *
 * <h2>Normalisation</h2>
 * {@link #gradient} accumulates the gradient of the mean loss over all counted positions of the
 * batch: with K ≥ T it equals full BPTT exactly. {@link #train} instead treats each window as a
 * mini-batch: the mean loss over the window's positions, with a callback after each window's
 * backward pass (where a trainer clips and updates; the next window then runs with the new
 * parameters).
 *
 * <p>A bidirectional model can only be trained with full BPTT (its backward direction reads the whole
 * sequence).
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public final class TruncatedBptt<A> {

    /** Called after each window's backward pass. */
    @FunctionalInterface
    public interface WindowListener {
        /**
         * @param loss the window's mean loss
         * @param from the first step whose loss was counted
         * @param to   the end of the window (exclusive)
         */
        void afterWindow(double loss, int from, int to);
    }

    private final SequenceModel<A> model;
    private final Bptt bptt;
    private final Ops<A> ops;
    private A carry;

    public TruncatedBptt(SequenceModel<A> model, Bptt bptt) {
        this.model = model;
        this.bptt = bptt;
        this.ops = model.ops();
    }

    public Bptt bptt() {
        return bptt;
    }

    /**
     * Accumulates into the model's gradients the (truncated) gradient of the mean loss over every
     * counted position of {@code batch}.
     *
     * @param initialState (D·layers, B, S) before step 0, or null for zeros; treated as a constant
     * @return the mean loss
     */
    public double gradient(Batch<A> batch, Slice<A> initialState, long dropoutSeed) {
        return run(batch, initialState, dropoutSeed, null);
    }

    /**
     * Runs the windows, each with the mean loss of its own positions, calling {@code listener} after
     * each window's backward pass that counted at least one position.
     *
     * @return the mean loss over all counted positions of the batch
     */
    public double train(Batch<A> batch, Slice<A> initialState, long dropoutSeed, WindowListener listener) {
        return run(batch, initialState, dropoutSeed, listener);
    }

    /** The state (D·layers, B, S) after the last step of the last batch: carry it into the next batch of a stream. */
    public A finalState() {
        if (carry == null) {
            throw new IllegalStateException("no batch has run yet");
        }
        return carry;
    }

    private double run(Batch<A> batch, Slice<A> initialState, long seed, WindowListener listener) {
        int steps = batch.steps();
        int rows = batch.batch();
        int k1 = bptt.isFull() ? Math.max(steps, 1) : bptt.forwardSteps();
        int k2 = bptt.isFull() ? Math.max(steps, 1) : bptt.backwardSteps();
        if (model.rnn().directions() != 1 && steps > k1) {
            throw new IllegalStateException("a bidirectional model needs full BPTT (its backward direction reads the whole sequence);"
                    + " got bptt " + bptt + " for " + steps + " steps");
        }
        int sl = model.stateLength(rows);
        if (carry == null || ops.length(carry) < Math.max(sl, 1)) {
            carry = ops.allocate(Math.max(sl, 1));
        }
        if (initialState != null) {
            ops.copy(sl, initialState.array(), initialState.offset(), carry, 0);
        } else {
            ops.fill(sl, 0, carry, 0);
        }
        int total = model.countedPositions(batch, 0, steps);
        double totalScale = model.meanScale(total);
        double weighted = 0;
        int s = 0;
        int e = 0;
        while (e < steps) {
            int lossFrom = e;
            e = Math.min(e + k1, steps);
            int next = e >= steps ? steps : Math.max(0, Math.min(e + k1, steps) - k2);
            Pass pass = Pass.training(seed);
            boolean inner = next > s && next < e;
            if (inner) {
                pass = pass.keepingStateAfter(next - s);
            }
            model.forward(batch, s, e, Slice.of(carry), pass);
            int counted = model.countedPositions(batch, lossFrom, e);
            double scale = listener == null ? totalScale : model.meanScale(counted);
            double loss = model.loss(lossFrom, scale, true);
            if (counted > 0) {
                model.backward(null, false, false);
                if (listener != null) {
                    weighted += loss * counted;
                    listener.afterWindow(loss, lossFrom, e);
                } else {
                    weighted += loss;
                }
            }
            if (inner) {
                ops.copy(sl, model.rnn().splitState(), 0, carry, 0);
            } else if (next == e) {
                ops.copy(sl, model.finalState(), 0, carry, 0);
            }
            s = next;
        }
        return listener == null ? weighted : total == 0 ? 0 : weighted / total;
    }
}
