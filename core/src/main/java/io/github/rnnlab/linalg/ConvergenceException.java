package io.github.rnnlab.linalg;

import io.github.rnnlab.RnnlabException;

/** An iterative decomposition did not converge within its iteration limit. */
public final class ConvergenceException extends RnnlabException {
    public ConvergenceException(String message) {
        super(message);
    }
}
