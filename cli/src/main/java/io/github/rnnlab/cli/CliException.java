package io.github.rnnlab.cli;

import io.github.rnnlab.RnnlabException;

/**
 * A problem the command line reports to a person: what went wrong ({@link #getMessage()}) and what to do
 * about it ({@link #remedy()}). The error path ({@link ErrorReport}) prints it as one line,
 * {@code rnnlab: <problem>. <remedy>}, and exits with {@link #exitCode()}.
 *
 * <p>Throw it from a command when a library exception alone would not tell the user what to do, e.g.
 * {@code new CliException("cannot write to runs/x: permission denied", "choose another --out")}. Bad
 * command-line usage (a value out of range, two options that exclude each other) is a
 * {@link UsageException}, which exits with 2.
 */
public class CliException extends RnnlabException {
    private final String remedy;

    /**
     * @param problem what went wrong, naming what was expected and what arrived; no trailing period needed
     * @param remedy  what the user can do, as a sentence ("choose another --out"); may be empty
     */
    public CliException(String problem, String remedy) {
        super(problem);
        this.remedy = remedy == null ? "" : remedy;
    }

    public CliException(String problem, String remedy, Throwable cause) {
        super(problem, cause);
        this.remedy = remedy == null ? "" : remedy;
    }

    /** What the user can do about it; empty if nothing useful can be said. */
    public String remedy() {
        return remedy;
    }

    /** The process exit code: 1 (the command failed). */
    public int exitCode() {
        return ExitCodes.FAILURE;
    }
}
