package io.github.rnnlab.data;

import io.github.rnnlab.ShapeException;

/**
 * The data are too short for the requested windows: a sequence length (plus the one token of
 * target shift) longer than the text, or more parallel streams than the text can fill. The message
 * reads "… expected at least X tokens, got Y".
 */
public final class NotEnoughTokensException extends ShapeException {
    private final long required;
    private final long available;

    public NotEnoughTokensException(String what, long required, long available) {
        super(what + ": expected at least " + required + " tokens, got " + available);
        this.required = required;
        this.available = available;
    }

    /** How many tokens the request needs. */
    public long required() {
        return required;
    }

    /** How many tokens the data have. */
    public long available() {
        return available;
    }
}
