package io.github.rnnlab.io;

/** How names and strings from a file appear in messages: plain names as they are, anything else quoted, escaped and shortened. */
final class Names {
    private static final int MAX_SHOWN = 120;

    private Names() {
    }

    /** {@code weight_ih_l0} as is; {@code "a b\n…"} quoted with JSON escapes, at most {@value #MAX_SHOWN} characters. */
    static String display(String name) {
        if (isPlain(name)) {
            return name;
        }
        return quote(name);
    }

    /** The string in double quotes with JSON escapes, shortened to {@value #MAX_SHOWN} characters plus "…". */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_SHOWN) + 8).append('"');
        int n = Math.min(s.length(), MAX_SHOWN);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !isPairAt(s, i)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
        if (s.length() > MAX_SHOWN) {
            b.append('…');
        }
        return b.toString();
    }

    private static boolean isPairAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private static boolean isPlain(String s) {
        if (s.isEmpty() || s.length() > MAX_SHOWN) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '_' || c == '.' || c == '-' || c == '/' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
