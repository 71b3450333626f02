package io.github.rnnlab.generate;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.Pass;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Rng;

/**
 * Autoregressive generation with a forward-only {@link SequenceModel}: the prompt is run as one
 * sequence, then each prediction is fed back as the next input, one streaming step at a time
 * ({@link SequenceModel.Stream}, state carried, no tape).
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public final class Generator<A> {
    private final SequenceModel<A> model;
    private final Ops<A> ops;

    public Generator(SequenceModel<A> model) {
        if (model.rnn().directions() != 1) {
            throw new IllegalStateException("a bidirectional model cannot generate: its backward direction needs the whole sequence");
        }
        this.model = model;
        this.ops = model.ops();
    }

    /**
     * Runs {@code prompt} (at least one token) and then generates {@code count} tokens, each chosen by
     * {@code sampling} from the predictions after the previous one and fed back.
     *
     * @param rng the source of the sampling draws (untouched for greedy)
     * @return the {@code count} generated tokens (the prompt not included)
     */
    public int[] generate(int[] prompt, int count, Sampling sampling, Rng rng) {
        if (model.embedding() == null) {
            throw new IllegalArgumentException("token generation needs a model with token input");
        }
        if (prompt.length < 1) {
            throw ShapeException.expected("prompt tokens (at least)", 1, 0);
        }
        int v = model.outputs();
        model.forward(Batch.ofTokens(prompt.length, 1, prompt, null, null), null, Pass.inference());
        SequenceModel<A>.Stream stream = model.stream(1);
        ops.copy(model.stateLength(1), model.finalState(), 0, stream.state(), 0);
        int[] out = new int[count];
        if (count == 0) {
            return out;
        }
        int next = sampling.choose(ops, model.predictions(), (prompt.length - 1) * v, v, rng);
        int[] token = new int[1];
        for (int i = 0; ; i++) {
            out[i] = next;
            if (i == count - 1) {
                return out;
            }
            token[0] = next;
            A logits = stream.step(token);
            next = sampling.choose(ops, logits, 0, v, rng);
        }
    }

    /**
     * For a feature model whose outputs are its next input (outputs = input size, e.g. trained with
     * MSE to predict x_{t+1}): runs {@code promptSteps} input vectors, then feeds each prediction back
     * {@code count} times.
     *
     * @param prompt (promptSteps, n), not modified
     * @return (count, n) predictions
     */
    public A continueValues(A prompt, int promptSteps, int count) {
        int n = model.config().input().width();
        if (model.embedding() != null || model.outputs() != n) {
            throw new IllegalArgumentException("feeding values back needs a feature model with outputs = input size ("
                    + n + "), got outputs " + model.outputs());
        }
        if (promptSteps < 1) {
            throw ShapeException.expected("prompt steps (at least)", 1, promptSteps);
        }
        model.forward(Batch.ofFeatures(promptSteps, 1, prompt, null, null), null, Pass.inference());
        SequenceModel<A>.Stream stream = model.stream(1);
        ops.copy(model.stateLength(1), model.finalState(), 0, stream.state(), 0);
        A out = ops.allocate(Math.max(1, count * n));
        if (count == 0) {
            return out;
        }
        ops.copy(n, model.predictions(), (promptSteps - 1) * n, out, 0);
        for (int i = 1; i < count; i++) {
            A p = stream.step(out, (i - 1) * n);
            ops.copy(n, p, 0, out, i * n);
        }
        return out;
    }
}
