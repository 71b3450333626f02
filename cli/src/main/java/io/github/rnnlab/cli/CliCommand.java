package io.github.rnnlab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The base of every {@code rnnlab} subcommand. A command is a picocli {@code @Command} class with a no-argument
 * constructor, registered in {@link RnnlabCommand}'s {@code subcommands}; it declares its options with
 * {@code @Option}/{@code @Mixin} ({@link ProgressOptions}, ...), and implements {@link #run()}:
 *
 * <pre>{@code
 * @Command(name = "sample", mixinStandardHelpOptions = true, versionProvider = Version.class,
 *          description = "Generates text from a trained model.")
 * final class SampleCommand extends CliCommand {
 *     @Option(names = "--length", defaultValue = "500") int length;
 *
 *     @Override
 *     protected int run() {
 *         if (length <= 0) throw new UsageException("--length must be positive, got " + length);
 *         terminal().out().println(...);
 *         return ExitCodes.OK;
 *     }
 * }
 * }</pre>
 *
 * <p>Failures are thrown, never printed: a {@link CliException} (or {@link UsageException}), any
 * {@code RnnlabException} from the library, an {@code IOException}. {@link ErrorReport} turns each into one
 * line on standard error and the exit code; {@code --verbose} adds the stack trace. Output goes through
 * {@link #terminal()}, never {@code System.out}.
 */
public abstract class CliCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    /** Does the command's work; returns {@link ExitCodes#OK} or throws. */
    protected abstract int run() throws Exception;

    @Override
    public final Integer call() throws Exception {
        return run();
    }

    /** Where output goes (and whether it is interactive, how wide, what time it is). */
    protected final Terminal terminal() {
        return root().terminal();
    }

    /** Whether {@code --verbose} was given: print more detail (stack traces are printed by the error path). */
    protected final boolean verbose() {
        return root().verbose();
    }

    /** The qualified name, e.g. {@code "rnnlab train"}. */
    protected final String commandName() {
        return spec.qualifiedName();
    }

    private RnnlabCommand root() {
        return (RnnlabCommand) spec.root().userObject();
    }
}
