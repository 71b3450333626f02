package io.github.rnnlab.cli;

/**
 * The command line itself is wrong in a way the option parser cannot see: a value out of range, options
 * that exclude each other, an unknown cell id. Reported like any {@link CliException}, but exits with
 * {@link ExitCodes#USAGE} (2), and when no remedy is given the error line points to the command's
 * {@code --help}.
 */
public class UsageException extends CliException {
    public UsageException(String problem) {
        super(problem, "");
    }

    public UsageException(String problem, String remedy) {
        super(problem, remedy);
    }

    @Override
    public int exitCode() {
        return ExitCodes.USAGE;
    }
}
