package io.github.rnnlab.cli;

/** The exit codes of {@code rnnlab}, the conventional ones. */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The command failed: bad data, an unreadable checkpoint, an unwritable folder, a bug. */
    public static final int FAILURE = 1;
    /** The command line was wrong: unknown command or option, a missing or invalid value. */
    public static final int USAGE = 2;
    /** Stopped by Ctrl-C (or SIGTERM) after saving what there was to save: 128 + SIGINT, the shell's convention. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
