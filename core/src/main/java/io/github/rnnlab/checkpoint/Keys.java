package io.github.rnnlab.checkpoint;

import io.github.rnnlab.checkpoint.CheckpointException.Problem;

import java.util.Map;

/** Typed reads of flat string metadata, failing with "metadata KEY: expected …, got …". */
final class Keys {
    private final Map<String, String> metadata;

    Keys(Map<String, String> metadata) {
        this.metadata = metadata;
    }

    boolean has(String key) {
        return metadata.containsKey(key);
    }

    String string(String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new CheckpointException(Problem.MALFORMED, "metadata " + key + ": expected a value, got none");
        }
        return v;
    }

    long longValue(String key) {
        String v = string(key);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw malformed(key, "an integer", v);
        }
    }

    int intValue(String key) {
        long v = longValue(key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw malformed(key, "a 32-bit integer", string(key));
        }
        return (int) v;
    }

    double doubleValue(String key) {
        String v = string(key);
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw malformed(key, "a finite number", v);
    }

    boolean bool(String key) {
        String v = string(key);
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true");
        }
        throw malformed(key, "true or false", v);
    }

    <E extends Enum<E>> E choice(String key, Class<E> type) {
        String v = string(key);
        for (E e : type.getEnumConstants()) {
            if (name(e).equals(v)) {
                return e;
            }
        }
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.length() == 0 ? "" : ", ").append(name(e));
        }
        throw malformed(key, "one of " + names, v);
    }

    static CheckpointException malformed(String key, String expected, String got) {
        return new CheckpointException(Problem.MALFORMED, "metadata " + key + ": expected " + expected + ", got \""
                + (got.length() > 60 ? got.substring(0, 60) + "…" : got) + "\"");
    }

    static String name(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }
}
