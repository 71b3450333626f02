package io.github.rnnlab.train;

import io.github.rnnlab.RnnlabException;

/** A loss or gradient norm is NaN or infinite; training stopped before any parameter was updated with it. */
public class NonFiniteException extends RnnlabException {
    public NonFiniteException(String message) {
        super(message);
    }
}
