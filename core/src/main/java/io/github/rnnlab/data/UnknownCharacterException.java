package io.github.rnnlab.data;

import io.github.rnnlab.RnnlabException;

/** A character to encode is not in the {@link Vocabulary}. */
public final class UnknownCharacterException extends RnnlabException {
    private final int codePoint;
    private final int index;

    public UnknownCharacterException(int codePoint, int index, int vocabularySize) {
        super("character " + Vocabulary.describe(codePoint) + (index >= 0 ? " at index " + index : "")
                + " is not in the vocabulary: expected one of its " + vocabularySize + " characters");
        this.codePoint = codePoint;
        this.index = index;
    }

    /** The unknown character's Unicode code point. */
    public int codePoint() {
        return codePoint;
    }

    /** Its position (in code points) in the text being encoded; -1 when a single character was looked up. */
    public int index() {
        return index;
    }
}
