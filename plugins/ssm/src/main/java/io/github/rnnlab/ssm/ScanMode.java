package io.github.rnnlab.ssm;

import io.github.rnnlab.cell.CellConfig;

import java.util.Locale;

/** How {@link Ssm} runs the time steps of a chunk (option {@code scan}). */
public enum ScanMode {
    /**
     * The parallel scan over time when it pays: the {@link io.github.rnnlab.numeric.Ops#team() team}
     * has more than one member, the chunk has at least {@link Ssm#AUTO_MIN_STEPS} steps and fewer
     * batch rows than members (with as many rows as members, splitting the rows is cheaper); else
     * step by step.
     */
    AUTO,
    /** Step by step in time; a team still splits the batch rows. */
    SEQUENTIAL,
    /** The parallel scan over time whenever the team has more than one member and the chunk at least 2 steps. */
    PARALLEL;

    /** The option's text form: {@code auto}, {@code sequential}, {@code parallel}. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the option value (case-insensitive).
     *
     * @throws CellConfig.InvalidConfigException naming the values understood
     */
    public static ScanMode parse(String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        for (ScanMode m : values()) {
            if (m.name().equals(v)) {
                return m;
            }
        }
        throw new CellConfig.InvalidConfigException("option scan of ssm: expected one of auto, sequential, parallel, got \""
                + value + "\"");
    }
}
