package io.github.rnnlab.cli;

import java.util.Locale;

/** How a long-running command shows its progress ({@code --progress}). */
public enum ProgressMode {
    /** A bar on an interactive terminal, plain lines otherwise (pipes, files, CI logs). */
    AUTO,
    /** A bar redrawn in place with {@code \r}, whatever the output is. */
    BAR,
    /** One plain line every so many steps. */
    LINES,
    /** No progress at all (messages such as samples still print). */
    NONE;

    /** The concrete mode for {@code terminal}: {@link #AUTO} becomes {@link #BAR} or {@link #LINES}. */
    public ProgressMode resolve(Terminal terminal) {
        if (this != AUTO) {
            return this;
        }
        return terminal.interactive() ? BAR : LINES;
    }

    /** Reads {@code --progress} values. */
    public static final class Converter extends EnumConverter<ProgressMode> {
        public Converter() {
            super(ProgressMode.class);
        }
    }

    /** The command-line spelling, lower case. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
