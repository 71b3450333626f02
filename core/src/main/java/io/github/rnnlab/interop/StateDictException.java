package io.github.rnnlab.interop;

import io.github.rnnlab.ShapeException;

import java.util.Optional;

/**
 * A set of named tensors (a PyTorch {@code state_dict}, the input file of {@link TorchForward}) does not
 * hold what it should: a tensor is missing, unexpected, of the wrong shape or dtype, the layers are not
 * numbered 0…L−1, the cell cannot be determined or is unknown, or the metadata contradicts the tensors.
 * {@link #problem()} says which; the message says what was expected and what the file holds, e.g.
 * "weight_hh_l1: expected shape [24, 6], got [24, 5]".
 *
 * <p>It is a {@link ShapeException}: every one of these problems is a mismatch between the structure that
 * was expected and the one that arrived.
 */
public class StateDictException extends ShapeException {

    /** What is wrong. */
    public enum Problem {
        /** A tensor the module needs is not there. */
        MISSING_TENSOR,
        /** A tensor is there that the module does not have. */
        UNEXPECTED_TENSOR,
        /** A tensor has the wrong shape (or rank). */
        SHAPE,
        /** A tensor's dtype is not a floating-point one. */
        DTYPE,
        /** The layer suffixes {@code _l{k}} do not number the layers 0…L−1, or a layer lacks a direction. */
        LAYERS,
        /** The cell is unknown, or cannot be told from the tensors (no {@code cell} metadata). */
        CELL,
        /** A metadata value is malformed or contradicts the tensors. */
        METADATA
    }

    private final Problem problem;
    private final String tensor;

    /**
     * @param problem what is wrong
     * @param tensor  the tensor concerned, or null
     * @param message the whole message
     */
    public StateDictException(Problem problem, String tensor, String message) {
        super(message);
        this.problem = problem;
        this.tensor = tensor;
    }

    /** The same, with the exception that revealed the problem. */
    public StateDictException(Problem problem, String tensor, String message, Throwable cause) {
        this(problem, tensor, message);
        initCause(cause);
    }

    /** What is wrong. */
    public Problem problem() {
        return problem;
    }

    /** The tensor concerned, if the problem concerns one. */
    public Optional<String> tensor() {
        return Optional.ofNullable(tensor);
    }
}
