package io.github.rnnlab.io;

import java.nio.charset.StandardCharsets;

/**
 * A strict pull parser for RFC 8259 JSON over UTF-8 bytes (validated beforehand by {@link #checkUtf8}), for reading
 * a document whose shape the caller knows. It never recurses and never builds a tree: the caller asks for exactly
 * the value it expects, so a document is never nested deeper than the caller descends, and containers are tracked on
 * a fixed stack of {@value #MAX_DEPTH} levels. Strings are decoded as they are consumed; numbers are read as
 * non-negative {@code long}s when they are such and otherwise only described. Every syntax error is a
 * {@link SafetensorsException} with {@link SafetensorsException.Problem#HEADER_SYNTAX} naming the byte offset,
 * what was expected and what was found.
 *
 * <p>Strictness: no comments, no trailing commas, no leading zeros, no unescaped control characters, no lone
 * surrogate escapes, nothing but whitespace after the document.
 */
final class JsonCursor {
    /** The kinds of JSON value. */
    enum Kind {
        OBJECT("an object"), ARRAY("an array"), STRING("a string"), NUMBER("a number"),
        TRUE("true"), FALSE("false"), NULL("null");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    /** A number literal: its value when it is an integer in [0, 2^63), and its (shortened) text for messages. */
    record Number(String text, long value, boolean isNonNegativeLong) {
    }

    static final int MAX_DEPTH = 8;
    private static final int MAX_NUMBER_SHOWN = 40;

    private final byte[] bytes;
    private final int end;
    private int pos;
    private final boolean[] first = new boolean[MAX_DEPTH];
    private int depth;

    JsonCursor(byte[] bytes) {
        this.bytes = bytes;
        this.end = bytes.length;
    }

    /**
     * Throws {@link SafetensorsException.Problem#HEADER_ENCODING} unless {@code b} is well-formed UTF-8 (no
     * overlong forms, no surrogates, nothing above U+10FFFF).
     */
    static void checkUtf8(byte[] b) {
        int n = b.length;
        int i = 0;
        while (i < n) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xbf;
            if (c >= 0xc2 && c <= 0xdf) {
                need = 1;
            } else if (c == 0xe0) {
                need = 2;
                lo = 0xa0;
            } else if (c >= 0xe1 && c <= 0xec || c == 0xee || c == 0xef) {
                need = 2;
            } else if (c == 0xed) {
                need = 2;
                hi = 0x9f;
            } else if (c == 0xf0) {
                need = 3;
                lo = 0x90;
            } else if (c >= 0xf1 && c <= 0xf3) {
                need = 3;
            } else if (c == 0xf4) {
                need = 3;
                hi = 0x8f;
            } else {
                throw badUtf8(b, i, i);
            }
            for (int k = 1; k <= need; k++) {
                if (i + k >= n) {
                    throw SafetensorsException.of(SafetensorsException.Problem.HEADER_ENCODING,
                            "header is not valid UTF-8: the sequence starting at byte " + i + " is cut off by the end of the header");
                }
                int cc = b[i + k] & 0xff;
                int l = k == 1 ? lo : 0x80;
                int h = k == 1 ? hi : 0xbf;
                if (cc < l || cc > h) {
                    throw badUtf8(b, i, i + k);
                }
            }
            i += need + 1;
        }
    }

    private static SafetensorsException badUtf8(byte[] b, int start, int at) {
        return SafetensorsException.of(SafetensorsException.Problem.HEADER_ENCODING, String.format(
                "header is not valid UTF-8: byte 0x%02x at byte %d%s", b[at] & 0xff, at,
                at == start ? " cannot start a character" : " does not continue the sequence started at byte " + start));
    }

    /** The kind of the next value, after whitespace; a syntax error if there is none. */
    Kind peek() {
        skipWhitespace();
        if (pos >= end) {
            throw syntax("expected a value");
        }
        return switch (bytes[pos]) {
            case '{' -> Kind.OBJECT;
            case '[' -> Kind.ARRAY;
            case '"' -> Kind.STRING;
            case 't' -> literal("true", Kind.TRUE);
            case 'f' -> literal("false", Kind.FALSE);
            case 'n' -> literal("null", Kind.NULL);
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> Kind.NUMBER;
            default -> throw syntax("expected a value");
        };
    }

    /** Checks (without consuming) that the literal {@code word} starts at the current position. */
    private Kind literal(String word, Kind kind) {
        for (int k = 0; k < word.length(); k++) {
            if (pos + k >= end || bytes[pos + k] != word.charAt(k)) {
                int at = pos;
                pos += k;
                SafetensorsException e = syntax("expected '" + word.charAt(k) + "' of the literal " + word);
                pos = at;
                throw e;
            }
        }
        return kind;
    }

    /** Consumes {@code {}. */
    void beginObject() {
        begin('{');
    }

    /** Consumes {@code [}. */
    void beginArray() {
        begin('[');
    }

    private void begin(char open) {
        skipWhitespace();
        expect(open);
        if (depth == MAX_DEPTH) {
            throw syntax("nesting deeper than " + MAX_DEPTH + " levels");
        }
        first[depth++] = true;
    }

    /** Whether the current object has another member (consuming the {@code ,} before it or the closing brace). */
    boolean hasNextMember() {
        return hasNext('}');
    }

    /** Whether the current array has another element (consuming the {@code ,} before it or the closing bracket). */
    boolean hasNextElement() {
        return hasNext(']');
    }

    private boolean hasNext(char close) {
        skipWhitespace();
        if (pos < end && bytes[pos] == close) {
            pos++;
            depth--;
            return false;
        }
        if (first[depth - 1]) {
            first[depth - 1] = false;
            return true;
        }
        if (pos < end && bytes[pos] == ',') {
            pos++;
            return true;
        }
        throw syntax("expected ',' or '" + close + "'");
    }

    /** A member's key and the {@code :} after it. */
    String nextName() {
        skipWhitespace();
        if (pos >= end || bytes[pos] != '"') {
            throw syntax("expected a string key");
        }
        String name = readString();
        skipWhitespace();
        expect(':');
        return name;
    }

    /** A string value. */
    String nextString() {
        skipWhitespace();
        if (pos >= end || bytes[pos] != '"') {
            throw syntax("expected a string");
        }
        return readString();
    }

    /** A number literal, checked against the JSON grammar. */
    Number nextNumber() {
        skipWhitespace();
        int start = pos;
        boolean negative = false;
        if (pos < end && bytes[pos] == '-') {
            negative = true;
            pos++;
        }
        if (pos >= end || !isDigit(bytes[pos])) {
            throw syntax("expected a digit");
        }
        boolean fits = !negative;
        long value = 0;
        if (bytes[pos] == '0') {
            pos++;
            if (pos < end && isDigit(bytes[pos])) {
                throw syntax("a number may not have a leading zero");
            }
        } else {
            while (pos < end && isDigit(bytes[pos])) {
                int d = bytes[pos] - '0';
                if (fits && value > (Long.MAX_VALUE - d) / 10) {
                    fits = false;
                }
                if (fits) {
                    value = value * 10 + d;
                }
                pos++;
            }
        }
        if (pos < end && bytes[pos] == '.') {
            fits = false;
            pos++;
            if (pos >= end || !isDigit(bytes[pos])) {
                throw syntax("expected a digit after the decimal point");
            }
            while (pos < end && isDigit(bytes[pos])) {
                pos++;
            }
        }
        if (pos < end && (bytes[pos] == 'e' || bytes[pos] == 'E')) {
            fits = false;
            pos++;
            if (pos < end && (bytes[pos] == '+' || bytes[pos] == '-')) {
                pos++;
            }
            if (pos >= end || !isDigit(bytes[pos])) {
                throw syntax("expected a digit in the exponent");
            }
            while (pos < end && isDigit(bytes[pos])) {
                pos++;
            }
        }
        int len = pos - start;
        String text = new String(bytes, start, Math.min(len, MAX_NUMBER_SHOWN), StandardCharsets.US_ASCII)
                + (len > MAX_NUMBER_SHOWN ? "…" : "");
        return new Number(text, fits ? value : -1, fits);
    }

    /** Consumes the end of the document: nothing but whitespace may follow. */
    void endDocument() {
        skipWhitespace();
        if (pos < end) {
            throw syntax("expected nothing but whitespace after the JSON object");
        }
    }

    /** The byte offset of the parser in the document. */
    int position() {
        return pos;
    }

    private String readString() {
        int open = pos;
        pos++; // the opening quote
        int runStart = pos;
        StringBuilder sb = null;
        while (true) {
            if (pos >= end) {
                throw SafetensorsException.of(SafetensorsException.Problem.HEADER_SYNTAX,
                        "header JSON at byte " + open + ": the string starting here is not closed before the end of the header");
            }
            int c = bytes[pos] & 0xff;
            if (c == '"') {
                String s = sb == null
                        ? new String(bytes, runStart, pos - runStart, StandardCharsets.UTF_8)
                        : sb.append(new String(bytes, runStart, pos - runStart, StandardCharsets.UTF_8)).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw syntax("control characters in a string must be escaped");
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(new String(bytes, runStart, pos - runStart, StandardCharsets.UTF_8));
            pos++; // the backslash
            if (pos >= end) {
                throw syntax("expected an escape character");
            }
            switch (bytes[pos]) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    int escape = pos - 1;
                    char u = readHex4();
                    if (Character.isLowSurrogate(u)) {
                        pos = escape;
                        throw syntax("a low surrogate escape must follow a high one");
                    }
                    if (Character.isHighSurrogate(u)) {
                        if (pos + 2 >= end || bytes[pos + 1] != '\\' || bytes[pos + 2] != 'u') {
                            pos = escape;
                            throw syntax("a high surrogate escape must be followed by a low one");
                        }
                        pos += 2;
                        char low = readHex4();
                        if (!Character.isLowSurrogate(low)) {
                            pos = escape;
                            throw syntax("a high surrogate escape must be followed by a low one");
                        }
                        sb.append(u).append(low);
                    } else {
                        sb.append(u);
                    }
                }
                default -> throw syntax("expected an escape character (one of \"\\/bfnrtu)");
            }
            pos++;
            runStart = pos;
        }
    }

    /** Reads the 4 hex digits after {@code u} (pos on the u) and leaves pos on the last digit. */
    private char readHex4() {
        int v = 0;
        for (int k = 1; k <= 4; k++) {
            int p = pos + k;
            int d = p < end ? Character.digit(bytes[p], 16) : -1;
            if (d < 0) {
                pos = p;
                throw syntax("expected a hex digit");
            }
            v = v << 4 | d;
        }
        pos += 4;
        return (char) v;
    }

    private void expect(char c) {
        if (pos >= end || bytes[pos] != c) {
            throw syntax("expected '" + c + "'");
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte c = bytes[pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** "header JSON at byte 17: expected ':', got 'x'". */
    private SafetensorsException syntax(String expected) {
        return SafetensorsException.of(SafetensorsException.Problem.HEADER_SYNTAX,
                "header JSON at byte " + pos + ": " + expected + ", got " + found());
    }

    private String found() {
        if (pos >= end) {
            return "the end of the header";
        }
        int c = bytes[pos] & 0xff;
        if (c > 0x20 && c < 0x7f) {
            return "'" + (char) c + "'";
        }
        return String.format("byte 0x%02x", c);
    }
}
