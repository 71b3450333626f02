package io.github.rnnlab.nn;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.numeric.Ops;

/**
 * A lookup table of token vectors, PyTorch's {@code nn.Embedding}: {@code weight} (vocabulary, size),
 * initialised N(0, 1) as PyTorch's default.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public final class Embedding<A> {
    private final Ops<A> ops;
    private final Parameters<A> parameters;
    private final Parameters.Block weight;
    private final int vocabulary;
    private final int size;

    /** Adds {@code prefix + "weight"} to {@code parameters}. */
    public Embedding(Parameters<A> parameters, String prefix, int vocabulary, int size) {
        if (vocabulary < 1 || size < 1) {
            throw new ShapeException("an embedding needs a positive vocabulary and size, got " + vocabulary + " and " + size);
        }
        this.ops = parameters.ops();
        this.parameters = parameters;
        this.vocabulary = vocabulary;
        this.size = size;
        this.weight = parameters.add(prefix + "weight", new int[]{vocabulary, size}, Role.OTHER, null, null, (v, shape, rng) -> {
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextGaussian();
            }
        });
    }

    public int vocabulary() {
        return vocabulary;
    }

    /** The width of a token vector. */
    public int size() {
        return size;
    }

    /**
     * Row i of {@code out} (n, size) = the vector of token {@code tokens[tOff + i]}. A negative token
     * (a padding marker) gives a zero vector.
     *
     * @throws ShapeException if a token is not below the vocabulary size
     */
    public void forward(int n, int[] tokens, int tOff, A out, int outOff) {
        A w = parameters.values();
        for (int i = 0; i < n; i++) {
            int tok = tokens[tOff + i];
            if (tok >= vocabulary) {
                throw new ShapeException("token at position " + i + ": expected 0…" + (vocabulary - 1) + ", got " + tok);
            }
            if (tok < 0) {
                ops.fill(size, 0, out, outOff + i * size);
            } else {
                ops.copy(size, w, weight.offset() + tok * size, out, outOff + i * size);
            }
        }
    }

    /** Accumulates row i of {@code grad} (n, size) into the gradient of token {@code tokens[tOff + i]}'s vector. */
    public void backward(int n, int[] tokens, int tOff, A grad, int gradOff) {
        A g = parameters.gradients();
        for (int i = 0; i < n; i++) {
            int tok = tokens[tOff + i];
            if (tok >= 0) {
                int o = weight.offset() + tok * size;
                ops.add(size, g, o, grad, gradOff + i * size, g, o);
            }
        }
    }
}
