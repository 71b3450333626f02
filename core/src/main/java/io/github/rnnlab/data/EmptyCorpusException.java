package io.github.rnnlab.data;

/** The corpus holds no characters (a zero-byte file, or only a byte-order mark). */
public final class EmptyCorpusException extends CorpusException {
    private final String source;

    public EmptyCorpusException(String source) {
        super("corpus is empty: " + source + " (expected at least 1 character, got 0)");
        this.source = source;
    }

    /** The path or name of the empty corpus. */
    public String source() {
        return source;
    }
}
