package io.github.rnnlab.linalg;

import io.github.rnnlab.RnnlabException;

/** A matrix handed to a decomposition holds NaN or an infinity (diverged weights, for instance). */
public final class NonFiniteException extends RnnlabException {
    public NonFiniteException(String message) {
        super(message);
    }
}
