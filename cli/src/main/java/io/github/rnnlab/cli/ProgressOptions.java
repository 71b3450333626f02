package io.github.rnnlab.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --progress} option, for commands that run long: add it with
 * {@code @Mixin ProgressOptions progress;} and start the display with
 * {@link #start(Terminal, Progress.Plan)}.
 */
public final class ProgressOptions {
    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", order = 90,
            converter = ProgressMode.Converter.class,
            description = "How to show progress: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: a bar on a "
                    + "terminal, a line every so many steps otherwise).")
    ProgressMode mode = ProgressMode.AUTO;

    /** The mode chosen on the command line. */
    public ProgressMode mode() {
        return mode;
    }

    /** Starts a progress display for {@code plan} in the chosen mode. */
    public Progress start(Terminal terminal, Progress.Plan plan) {
        return Progress.start(terminal, mode, plan);
    }
}
