package io.github.rnnlab.cli;

import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Commands that exist only in tests, to drive the framework's paths through the real command line. */
final class TestCommands {
    private TestCommands() {
    }

    /** Throws what it is given. */
    @Command(name = "boom", mixinStandardHelpOptions = true, description = "Fails on purpose.")
    static final class Boom extends CliCommand {
        private final Supplier<Throwable> failure;

        Boom(Supplier<Throwable> failure) {
            this.failure = failure;
        }

        @Override
        protected int run() throws Exception {
            Throwable t = failure.get();
            if (t instanceof Exception e) {
                throw e;
            }
            throw (Error) t;
        }
    }

    /** Runs a progress display over {@code --steps} steps. */
    @Command(name = "slow", mixinStandardHelpOptions = true, description = "Shows progress.")
    static final class Slow extends CliCommand {
        @Mixin
        ProgressOptions progress;

        @Option(names = "--steps", defaultValue = "5")
        long steps;

        @Override
        protected int run() {
            try (Progress p = progress.start(terminal(), new Progress.Plan(steps, 0, "chars", 1))) {
                for (long s = 1; s <= steps; s++) {
                    p.update(s, 1.0 / s, 10 * s);
                }
            }
            return ExitCodes.OK;
        }
    }

    /** Writes {@code result.txt} into {@code --out}, then fails if {@code --fail} is given. */
    @Command(name = "write", mixinStandardHelpOptions = true, description = "Writes a file.")
    static final class Write extends CliCommand {
        @Option(names = "--out", required = true)
        Path out;

        @Option(names = "--fail")
        boolean fail;

        @Override
        protected int run() {
            try (OutputDir dir = OutputDir.open(out, "--out")) {
                dir.writeString("result.txt", "half of the result\n");
                dir.writeString("sub/detail.txt", "detail\n");
                if (fail) {
                    throw new CliException("the data ran out at step 3", "give more data");
                }
                dir.commit();
            }
            terminal().out().println("wrote " + out);
            return ExitCodes.OK;
        }
    }
}
