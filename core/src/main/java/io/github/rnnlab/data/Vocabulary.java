package io.github.rnnlab.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * A character vocabulary: the distinct Unicode code points of a text, sorted ascending, with id
 * {@code i} for the i-th smallest. Sorting makes the ids depend only on the set of characters, so a
 * model and a vocabulary rebuilt from the same text always agree.
 *
 * <p>{@link #serialize()} gives a compact ASCII string for checkpoint metadata (safetensors
 * {@code __metadata__}); {@link #parse} reads it back and validates it. Format (version 1):
 * {@code "codepoints-v1:"} followed by the code points in lower-case hexadecimal, ascending, separated
 * by single commas, e.g. {@code codepoints-v1:a,20,21,41} for {@code "\n !A"}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Vocabulary {
    /** Prefix of the serialised form; the suffix {@code v1} is the format version. */
    public static final String FORMAT_PREFIX = "codepoints-v1:";
    /** Code points below this are looked up in a dense table; above it, by binary search. */
    private static final int DENSE_LIMIT = 1 << 16;

    private final int[] codePoints;
    /** codePoint → id for code points below {@code table.length}; -1 when absent. */
    private final int[] table;

    private Vocabulary(int[] sortedDistinct) {
        this.codePoints = sortedDistinct;
        int denseMax = -1;
        for (int cp : sortedDistinct) {
            if (cp < DENSE_LIMIT) {
                denseMax = cp;
            }
        }
        this.table = new int[denseMax + 1];
        Arrays.fill(table, -1);
        for (int id = 0; id < sortedDistinct.length && sortedDistinct[id] < DENSE_LIMIT; id++) {
            table[sortedDistinct[id]] = id;
        }
    }

    /**
     * The vocabulary of the given characters (duplicates allowed, any order).
     *
     * @throws IllegalArgumentException if a value is not a Unicode scalar value (negative, a surrogate,
     *         or above U+10FFFF)
     */
    public static Vocabulary of(int[] codePoints) {
        int[] sorted = Arrays.stream(codePoints).distinct().sorted().toArray();
        for (int cp : sorted) {
            if (!isScalarValue(cp)) {
                throw new IllegalArgumentException("expected Unicode scalar values, got " + describe(cp));
            }
        }
        return new Vocabulary(sorted);
    }

    /** The vocabulary of the characters of {@code text}. */
    public static Vocabulary of(String text) {
        return of(text.codePoints().toArray());
    }

    /**
     * Reads a vocabulary written by {@link #serialize()}.
     *
     * @throws VocabularyFormatException if the prefix is wrong, a field is not hexadecimal, a value is
     *         not a Unicode scalar value, the values are not strictly ascending, or there are none
     */
    public static Vocabulary parse(String serialized) {
        if (!serialized.startsWith(FORMAT_PREFIX)) {
            String head = serialized.length() > 20 ? serialized.substring(0, 20) + "…" : serialized;
            throw new VocabularyFormatException("serialised vocabulary: expected prefix \"" + FORMAT_PREFIX
                    + "\", got \"" + head + "\"");
        }
        String body = serialized.substring(FORMAT_PREFIX.length());
        if (body.isEmpty()) {
            throw new VocabularyFormatException("serialised vocabulary: expected at least 1 code point, got 0");
        }
        String[] fields = body.split(",", -1);
        int[] cps = new int[fields.length];
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i];
            if (f.isEmpty() || f.length() > 6 || !f.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw new VocabularyFormatException("serialised vocabulary, field " + i
                        + ": expected 1 to 6 lower-case hexadecimal digits, got \"" + f + "\"");
            }
            cps[i] = Integer.parseInt(f, 16);
            if (!isScalarValue(cps[i])) {
                throw new VocabularyFormatException("serialised vocabulary, field " + i
                        + ": expected a Unicode scalar value, got " + describe(cps[i]));
            }
            if (i > 0 && cps[i] <= cps[i - 1]) {
                throw new VocabularyFormatException("serialised vocabulary, field " + i
                        + ": expected a code point above " + describe(cps[i - 1]) + " (strictly ascending), got "
                        + describe(cps[i]));
            }
        }
        return new Vocabulary(cps);
    }

    /** The serialised form described in the class comment; {@code parse(serialize())} equals this. */
    public String serialize() {
        StringBuilder sb = new StringBuilder(FORMAT_PREFIX.length() + 3 * codePoints.length);
        sb.append(FORMAT_PREFIX);
        for (int i = 0; i < codePoints.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(Integer.toHexString(codePoints[i]));
        }
        return sb.toString();
    }

    /** Number of distinct characters (the model's input and output size). */
    public int size() {
        return codePoints.length;
    }

    /** Whether {@code codePoint} has an id. */
    public boolean contains(int codePoint) {
        return lookup(codePoint) >= 0;
    }

    /**
     * The id of {@code codePoint}.
     *
     * @throws UnknownCharacterException if it is not in the vocabulary
     */
    public int id(int codePoint) {
        int id = lookup(codePoint);
        if (id < 0) {
            throw new UnknownCharacterException(codePoint, -1, codePoints.length);
        }
        return id;
    }

    /** The code point with id {@code id}, in {@code [0, size())}. */
    public int codePoint(int id) {
        if (id < 0 || id >= codePoints.length) {
            throw new IndexOutOfBoundsException("token id: expected 0 to " + (codePoints.length - 1) + ", got " + id);
        }
        return codePoints[id];
    }

    /** A copy of the code points, ascending (index = id). */
    public int[] codePoints() {
        return codePoints.clone();
    }

    /**
     * Encodes code points as ids.
     *
     * @throws UnknownCharacterException at the first character not in the vocabulary, naming its index
     */
    public int[] encode(int[] text) {
        int[] ids = new int[text.length];
        for (int i = 0; i < text.length; i++) {
            int id = lookup(text[i]);
            if (id < 0) {
                throw new UnknownCharacterException(text[i], i, codePoints.length);
            }
            ids[i] = id;
        }
        return ids;
    }

    /** Encodes a string's characters as ids; the exception's index counts code points. */
    public int[] encode(String text) {
        return encode(text.codePoints().toArray());
    }

    /** Decodes ids to text. */
    public String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }

    /** Decodes {@code ids[offset, offset + length)} to text. */
    public String decode(int[] ids, int offset, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = offset; i < offset + length; i++) {
            sb.appendCodePoint(codePoint(ids[i]));
        }
        return sb.toString();
    }

    private int lookup(int cp) {
        if (cp >= 0 && cp < table.length) {
            return table[cp];
        }
        if (cp < DENSE_LIMIT) {
            return -1;
        }
        int i = Arrays.binarySearch(codePoints, cp);
        return i >= 0 ? i : -1;
    }

    private static boolean isScalarValue(int cp) {
        return cp >= 0 && cp <= Character.MAX_CODE_POINT && (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
    }

    /** "'a' (U+0061)", or just "U+000A" for control and invalid values. */
    static String describe(int cp) {
        String hex = String.format(Locale.ROOT, "U+%04X", cp);
        if (isScalarValue(cp) && !Character.isISOControl(cp) && Character.isDefined(cp) && !Character.isWhitespace(cp)) {
            return "'" + new String(Character.toChars(cp)) + "' (" + hex + ")";
        }
        return hex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && Arrays.equals(codePoints, v.codePoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codePoints);
    }

    @Override
    public String toString() {
        return "Vocabulary[" + codePoints.length + " characters]";
    }
}
