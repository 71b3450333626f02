package io.github.rnnlab.data;

import io.github.rnnlab.RnnlabException;

/** A serialised vocabulary (checkpoint metadata) cannot be parsed. */
public final class VocabularyFormatException extends RnnlabException {
    public VocabularyFormatException(String message) {
        super(message);
    }
}
