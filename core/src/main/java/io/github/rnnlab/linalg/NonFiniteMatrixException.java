package io.github.rnnlab.linalg;

import io.github.rnnlab.RnnlabException;

/** A matrix handed to a decomposition holds NaN or an infinity (diverged weights, for instance). */
public final class NonFiniteMatrixException extends RnnlabException {
    public NonFiniteMatrixException(String message) {
        super(message);
    }
}
