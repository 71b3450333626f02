package io.github.rnnlab.data;

/**
 * The corpus is not valid UTF-8: an invalid lead byte, a truncated or overlong sequence, an encoded
 * surrogate, or a code point above U+10FFFF. The message names the source, the byte offset of the
 * first bad sequence and the bytes found there.
 */
public final class MalformedCorpusException extends CorpusException {
    private final String source;
    private final long byteOffset;

    public MalformedCorpusException(String source, long byteOffset, String detail) {
        super("corpus " + source + " is not valid UTF-8: expected a well-formed UTF-8 sequence at byte offset "
                + byteOffset + ", got " + detail);
        this.source = source;
        this.byteOffset = byteOffset;
    }

    /** The path or name of the corpus. */
    public String source() {
        return source;
    }

    /** Zero-based offset, in bytes from the start of the file, of the first malformed sequence. */
    public long byteOffset() {
        return byteOffset;
    }
}
