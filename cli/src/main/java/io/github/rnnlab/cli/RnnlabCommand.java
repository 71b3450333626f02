package io.github.rnnlab.cli;

import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code rnnlab}, the top-level command: holds the {@link Terminal}, the global {@code --verbose} option, and
 * the list of subcommands. A new command is added to {@code subcommands} below — the only place commands are
 * registered — and extends {@link CliCommand}.
 */
@Command(name = "rnnlab",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpAutoWidth = false,
        description = {
            "Recurrent neural networks on the JVM, with Vector API kernels.",
            "",
            "Run './rnnlab COMMAND --help' for a command's options."},
        subcommands = {
            TrainCommand.class,
            SampleCommand.class,
            CompareCommand.class,
            DiagnoseCommand.class,
            ExperimentCommand.class,
            CellsCommand.class,
            CheckCommand.class,
            ForwardCommand.class,
            InfoCommand.class,
            HelpCommand.class,
        },
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = {
            "Java options go in RNNLAB_JAVA_OPTS (or JAVA_OPTS), e.g.",
            "  RNNLAB_JAVA_OPTS=-Drnnlab.simd=false ./rnnlab info",
            "",
            "Exit codes: 0 done, 1 failed, 2 wrong command line, 130 stopped by Ctrl-C (train: checkpoint saved)."})
public final class RnnlabCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "On failure, print the stack trace after the error line.")
    boolean verbose;

    RnnlabCommand(Terminal terminal) {
        this.terminal = Objects.requireNonNull(terminal, "terminal");
    }

    Terminal terminal() {
        return terminal;
    }

    boolean verbose() {
        return verbose;
    }

    /** {@code rnnlab} without a command: the usage on standard error, exit code 2. */
    @Override
    public Integer call() {
        terminal.err().println("rnnlab: no command given. See the commands below.");
        spec.commandLine().usage(terminal.err());
        terminal.err().flush();
        return ExitCodes.USAGE;
    }
}
