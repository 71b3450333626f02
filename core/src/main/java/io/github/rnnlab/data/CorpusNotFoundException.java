package io.github.rnnlab.data;

/** The corpus file (or embedded resource) does not exist. */
public final class CorpusNotFoundException extends CorpusException {
    private final String source;

    public CorpusNotFoundException(String source) {
        super("corpus not found: " + source);
        this.source = source;
    }

    /** The path or resource name that was asked for. */
    public String source() {
        return source;
    }
}
