package io.github.rnnlab.task;

import io.github.rnnlab.RnnlabException;

/** A task name (from the command line) that is not one of {@link TaskKind}'s. */
public final class UnknownTaskException extends RnnlabException {
    public UnknownTaskException(String message) {
        super(message);
    }
}
