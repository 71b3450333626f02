package io.github.rnnlab.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongSupplier;
import picocli.CommandLine;

/** Runs the command line in-process and captures what it printed. */
record CliRun(int exitCode, String out, String err) {
    /** {@code rnnlab args} through {@link Main#run(String[], PrintStream, PrintStream)}. */
    static CliRun run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code rnnlab args} with extra (test-only) subcommands, e.g. {@code List.of(new TestCommands.Slow())}. */
    static CliRun run(List<Object> commands, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = Terminal.of(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        CommandLine cl = Main.commandLine(terminal, commands);
        int code = Main.execute(cl, args);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code rnnlab args} on a terminal whose nanosecond clock is {@code clock} (a fake one, for time limits). */
    static CliRun runWithClock(LongSupplier clock, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = Terminal.of(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).withClock(clock);
        int code = Main.run(args, terminal);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The lines of standard error (without terminators). */
    List<String> errLines() {
        return err.lines().toList();
    }

    /** Standard error is exactly one line; returns it. */
    String oneErrorLine() {
        List<String> lines = errLines();
        if (lines.size() != 1) {
            throw new AssertionError("expected exactly one line on stderr, got " + lines.size() + ":\n" + err);
        }
        return lines.get(0);
    }
}
