package io.github.rnnlab.cell;

import io.github.rnnlab.RnnlabException;

import java.util.Map;
import java.util.TreeMap;

/**
 * The configuration a cell is created from: input size, hidden size, and the cell's own options as
 * strings (parsed by the cell, at the edge).
 *
 * @param inputSize  features per step of the input, ≥ 1
 * @param hiddenSize units of the hidden state (and of the output), ≥ 1
 * @param options    option name → value; unmodifiable, sorted by name
 */
public record CellConfig(int inputSize, int hiddenSize, Map<String, String> options) {

    public CellConfig {
        if (inputSize < 1) {
            throw new InvalidConfigException("input size must be at least 1, got " + inputSize);
        }
        if (hiddenSize < 1) {
            throw new InvalidConfigException("hidden size must be at least 1, got " + hiddenSize);
        }
        TreeMap<String, String> copy = new TreeMap<>();
        if (options != null) {
            options.forEach((k, v) -> {
                checkName("option", k);
                if (v == null) {
                    throw new InvalidConfigException("option " + k + " has no value");
                }
                copy.put(k, v);
            });
        }
        options = java.util.Collections.unmodifiableMap(copy);
    }

    /** A configuration without options. */
    public CellConfig(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, Map.of());
    }

    /** This configuration with one more option (or a new value for it). */
    public CellConfig withOption(String name, String value) {
        TreeMap<String, String> o = new TreeMap<>(options);
        o.put(name, value);
        return new CellConfig(inputSize, hiddenSize, o);
    }

    /**
     * An integer option.
     *
     * @throws InvalidConfigException if it is missing or not a positive integer
     */
    public int intOption(String name) {
        String v = options.get(name);
        if (v == null) {
            throw new InvalidConfigException("option " + name + " is not set (options: " + options.keySet() + ")");
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < 1) {
                throw new InvalidConfigException("option " + name + " must be a positive integer, got " + v);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("option " + name + " must be a positive integer, got \"" + v + "\"");
        }
    }

    /**
     * This configuration with every option of {@code specs} that it does not set filled in with its
     * default.
     *
     * @throws InvalidConfigException if this configuration sets an option not in {@code specs}
     */
    public CellConfig withDefaults(java.util.List<OptionSpec> specs) {
        TreeMap<String, String> o = new TreeMap<>();
        for (OptionSpec s : specs) {
            o.put(s.name(), s.defaultValue());
        }
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (!o.containsKey(e.getKey())) {
                throw new InvalidConfigException("unknown option " + e.getKey() + "; expected one of " + o.keySet());
            }
            o.put(e.getKey(), e.getValue());
        }
        return new CellConfig(inputSize, hiddenSize, o);
    }

    static void checkName(String what, String name) {
        if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException(what + " name must match [a-z][a-z0-9_]*, got " + name);
        }
    }

    /** A configuration value is out of range or an option is unknown or malformed. */
    public static class InvalidConfigException extends RnnlabException {
        public InvalidConfigException(String message) {
            super(message);
        }
    }
}
