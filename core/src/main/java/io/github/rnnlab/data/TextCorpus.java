package io.github.rnnlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A text for character-level language modelling, held as Unicode code points (so characters outside
 * the Basic Multilingual Plane are one token each, not two UTF-16 chars).
 *
 * <p>Loading is strict: the bytes must be well-formed UTF-8 ({@link MalformedCorpusException} names
 * the byte offset of the first bad sequence), and the text must not be empty
 * ({@link EmptyCorpusException}). A leading UTF-8 byte-order mark (EF BB BF) is dropped. Line endings
 * and every other character are kept as they are.
 *
 * <p>Instances are immutable.
 */
public final class TextCorpus {
    /** Classpath name of the embedded default corpus (see its NOTICE.md). */
    public static final String EMBEDDED_RESOURCE = "/io/github/rnnlab/data/tinyshakespeare.txt";
    /** The name {@link #embedded()} reports as its {@link #source()}. */
    public static final String EMBEDDED_NAME = "tinyshakespeare (embedded)";

    private final String source;
    private final int[] codePoints;

    private TextCorpus(String source, int[] codePoints) {
        this.source = source;
        this.codePoints = codePoints;
    }

    /**
     * Reads a UTF-8 file.
     *
     * @throws CorpusNotFoundException if the file does not exist
     * @throws EmptyCorpusException if it holds no characters
     * @throws MalformedCorpusException if it is not well-formed UTF-8
     * @throws CorpusException if it cannot be read for another reason (a directory, permissions)
     */
    public static TextCorpus load(Path file) {
        String source = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CorpusNotFoundException(source);
        } catch (IOException e) {
            throw new CorpusException("cannot read corpus " + source + ": " + e, e);
        } catch (OutOfMemoryError e) {
            throw new CorpusException("corpus " + source + " is too large to hold in memory", e);
        }
        return decode(source, bytes);
    }

    /** The embedded default corpus: Karpathy's char-rnn "tiny shakespeare" (1,115,394 characters, 65 distinct). */
    public static TextCorpus embedded() {
        return resource(EMBEDDED_RESOURCE, EMBEDDED_NAME);
    }

    /**
     * Reads a UTF-8 classpath resource (resolved against this class, so absolute names start with
     * {@code /}).
     *
     * @throws CorpusNotFoundException if there is no such resource
     */
    public static TextCorpus resource(String resourceName, String source) {
        try (InputStream in = TextCorpus.class.getResourceAsStream(resourceName)) {
            if (in == null) {
                throw new CorpusNotFoundException(resourceName);
            }
            return decode(source, in.readAllBytes());
        } catch (IOException e) {
            throw new CorpusException("cannot read corpus resource " + resourceName + ": " + e, e);
        }
    }

    /**
     * Decodes {@code bytes} as strict UTF-8.
     *
     * @param source the name to use in messages (a path, a resource name)
     * @throws EmptyCorpusException if there are no characters
     * @throws MalformedCorpusException at the first malformed sequence
     */
    public static TextCorpus decode(String source, byte[] bytes) {
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        // UTF-8 never needs more UTF-16 chars than bytes.
        CharBuffer out = CharBuffer.allocate(bytes.length - start);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            throw new MalformedCorpusException(source, at, describeBytes(bytes, at, Math.max(1, result.length())));
        }
        if (result.isOverflow()) {
            throw new IllegalStateException("UTF-8 decoding overflowed a buffer of " + (bytes.length - start) + " chars");
        }
        out.flip();
        int[] cps = out.codePoints().toArray();
        if (cps.length == 0) {
            throw new EmptyCorpusException(source);
        }
        return new TextCorpus(source, cps);
    }

    /**
     * A corpus from text already in memory.
     *
     * @throws EmptyCorpusException if {@code text} is empty
     * @throws MalformedCorpusException if {@code text} holds an unpaired surrogate (not a character)
     */
    public static TextCorpus of(String source, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new MalformedCorpusException(source, i, "an unpaired surrogate U+"
                        + Integer.toHexString(c).toUpperCase() + " (offset counted in UTF-16 chars)");
            }
        }
        int[] cps = text.codePoints().toArray();
        if (cps.length == 0) {
            throw new EmptyCorpusException(source);
        }
        return new TextCorpus(source, cps);
    }

    /** Where the text came from: a path, a resource name, or the name given to {@link #of}. */
    public String source() {
        return source;
    }

    /** Number of characters (code points). */
    public int length() {
        return codePoints.length;
    }

    /** The character at {@code index}, as a code point. */
    public int codePointAt(int index) {
        return codePoints[index];
    }

    /** A copy of all characters as code points. */
    public int[] codePoints() {
        return codePoints.clone();
    }

    /** The whole text as a string. */
    public String text() {
        return new String(codePoints, 0, codePoints.length);
    }

    /** The vocabulary of this text: its distinct characters, sorted by code point. */
    public Vocabulary vocabulary() {
        return Vocabulary.of(codePoints);
    }

    /** The text as token ids of {@code vocabulary}; throws {@link UnknownCharacterException} at the first character it lacks. */
    public int[] encode(Vocabulary vocabulary) {
        return vocabulary.encode(codePoints);
    }

    @Override
    public String toString() {
        return "TextCorpus[" + source + ", " + codePoints.length + " characters]";
    }

    private static String describeBytes(byte[] bytes, int at, int count) {
        StringBuilder sb = new StringBuilder(count == 1 ? "byte" : "bytes");
        int end = Math.min(bytes.length, at + count);
        for (int i = at; i < end; i++) {
            sb.append(String.format(" 0x%02X", bytes[i] & 0xFF));
        }
        if (end == bytes.length) {
            sb.append(" at the end of the input");
        }
        return sb.toString();
    }
}
