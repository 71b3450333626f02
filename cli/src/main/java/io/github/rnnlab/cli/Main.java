package io.github.rnnlab.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import picocli.CommandLine;

/**
 * The entry point of {@code rnnlab}. {@link #main} runs {@link #run(String[], Terminal)} on the process's
 * terminal and exits with its code; everything else, tests included, calls {@code run}, which never exits the
 * JVM.
 *
 * <p>Exit codes ({@link ExitCodes}): 0 done, 1 failed, 2 wrong command line. Every failure is one line on
 * standard error ({@link ErrorReport}); {@code --verbose} adds the stack trace.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Charts are drawn with java.awt into PNG files; never try to open a display for that.
        System.setProperty("java.awt.headless", "true");
        Terminal terminal = Terminal.system();
        logWarningsAsOneLine(terminal);
        int code = run(args, terminal);
        System.exit(code);
    }

    /**
     * The library logs through {@code System.Logger} (java.util.logging underneath); by default that prints two
     * lines with a time stamp per record. The command line shows warnings and errors as one line each,
     * {@code rnnlab: warning: <message>}, on standard error, and nothing below warning level.
     */
    static void logWarningsAsOneLine(Terminal terminal) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Handler oneLine = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (!isLoggable(record)) {
                    return;
                }
                String message = new SimpleFormatter().formatMessage(record);
                Throwable thrown = record.getThrown();
                String level = record.getLevel().intValue() >= Level.SEVERE.intValue() ? "error" : "warning";
                terminal.err().println("rnnlab: " + level + ": " + message + (thrown == null ? "" : ": " + thrown));
                terminal.err().flush();
            }

            @Override
            public void flush() {
                terminal.err().flush();
            }

            @Override
            public void close() {
                flush();
            }
        };
        oneLine.setLevel(Level.WARNING);
        root.addHandler(oneLine);
        root.setLevel(Level.WARNING);
    }

    /**
     * Runs {@code rnnlab args} in this JVM with output and errors going to {@code out} and {@code err} (UTF-8,
     * not interactive); returns the exit code.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, Terminal.of(out, err));
    }

    /** Runs {@code rnnlab args} on {@code terminal}; returns the exit code. */
    public static int run(String[] args, Terminal terminal) {
        return execute(commandLine(terminal, List.of()), args);
    }

    /**
     * The configured command line: subcommands, output streams, and the one error path.
     *
     * @param extraSubcommands command objects added beside the registered ones (tests use this to drive the
     *                         framework through commands of their own); normally empty
     */
    static CommandLine commandLine(Terminal terminal, List<Object> extraSubcommands) {
        RnnlabCommand root = new RnnlabCommand(terminal);
        CommandLine cl = new CommandLine(root);
        for (Object command : extraSubcommands) {
            cl.addSubcommand(command);
        }
        // Settings below reach every subcommand present now (picocli copies them down), so they come last.
        cl.setOut(terminal.out());
        cl.setErr(terminal.err());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setAbbreviatedOptionsAllowed(false);
        registerNumberConverters(cl);
        cl.setExecutionExceptionHandler((error, commandLine, parseResult) ->
                ErrorReport.print(error, commandLine.getCommandSpec().qualifiedName(), root.verbose(), terminal.err()));
        cl.setParameterExceptionHandler((error, args) -> {
            ErrorReport.Report report = ErrorReport.usage(error);
            terminal.err().println("rnnlab: " + report.line());
            terminal.err().flush();
            return report.exitCode();
        });
        return cl;
    }

    /**
     * Number options say what they expected in words ("expected a whole number, got 'x'") rather than in Java
     * types ("'x' is not a long"). Registered after the subcommands are added, so every command gets them.
     */
    private static void registerNumberConverters(CommandLine cl) {
        CommandLine.ITypeConverter<Integer> ints = v -> {
            try {
                return Integer.valueOf(v.trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("expected a whole number up to "
                        + Format.grouped(Integer.MAX_VALUE) + ", got '" + v + "'");
            }
        };
        CommandLine.ITypeConverter<Long> longs = v -> {
            try {
                return Long.valueOf(v.trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("expected a whole number, got '" + v + "'");
            }
        };
        CommandLine.ITypeConverter<Double> doubles = v -> {
            try {
                return Double.valueOf(v.trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("expected a number such as 0.001 or 1e-3, got '" + v + "'");
            }
        };
        CommandLine.ITypeConverter<Float> floats = v -> doubles.convert(v).floatValue();
        cl.registerConverter(Integer.class, ints);
        cl.registerConverter(Integer.TYPE, ints);
        cl.registerConverter(Long.class, longs);
        cl.registerConverter(Long.TYPE, longs);
        cl.registerConverter(Double.class, doubles);
        cl.registerConverter(Double.TYPE, doubles);
        cl.registerConverter(Float.class, floats);
        cl.registerConverter(Float.TYPE, floats);
    }

    /** Parses and runs {@code args} on {@code cl}; returns the exit code. Never throws for user errors. */
    static int execute(CommandLine cl, String[] args) {
        RnnlabCommand root = cl.getCommand();
        try {
            return cl.execute(args);
        } catch (RuntimeException | Error e) {
            // Thrown outside a command's call(): by picocli itself, a converter or a version provider.
            return ErrorReport.print(e, "rnnlab", root.verbose(), root.terminal().err());
        } finally {
            root.terminal().out().flush();
            root.terminal().err().flush();
        }
    }
}
