package io.github.rnnlab;

/**
 * The root of rnnlab's exceptions: every problem the library reports on purpose is one of these, with
 * a message that names what was expected and what arrived. Callers that present errors to people
 * (the CLI) print {@link #getMessage()} as one line.
 */
public class RnnlabException extends RuntimeException {
    public RnnlabException(String message) {
        super(message);
    }

    public RnnlabException(String message, Throwable cause) {
        super(message, cause);
    }
}
