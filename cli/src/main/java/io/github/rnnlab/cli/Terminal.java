package io.github.rnnlab.cli;

import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What the command line writes to and how: the output and error streams, whether the output is an
 * interactive terminal (then progress redraws in place), its width, and the clock progress and timings read.
 *
 * <p>The CLI owns the terminal: commands write through this object only, never through {@code System.out},
 * so that tests run them in-process ({@link Main#run(String[], PrintStream, PrintStream)}) with captured
 * streams, a chosen interactivity and a fake clock.
 *
 * @param out         the command's output (results, tables, progress); flushed by whoever needs it shown now
 * @param err         error lines and warnings
 * @param interactive whether {@code out} is a terminal a person watches: progress bars redraw with {@code \r}
 * @param columns     the width of the terminal in characters (80 when unknown); progress bars stay narrower
 * @param clock       nanosecond clock ({@link System#nanoTime()}); tests pass a fake one
 */
public record Terminal(PrintWriter out, PrintWriter err, boolean interactive, int columns, LongSupplier clock) {
    /** The width assumed when the terminal does not tell. */
    public static final int DEFAULT_COLUMNS = 80;

    public Terminal {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(clock, "clock");
        if (columns < 20) {
            throw new IllegalArgumentException("expected at least 20 terminal columns, got " + columns);
        }
    }

    /**
     * A non-interactive terminal onto two streams, writing UTF-8, 80 columns wide, on the system clock:
     * what tests and pipes get.
     */
    public static Terminal of(PrintStream out, PrintStream err) {
        return new Terminal(writer(out, StandardCharsets.UTF_8), writer(err, StandardCharsets.UTF_8), false,
                DEFAULT_COLUMNS, System::nanoTime);
    }

    /** This terminal, but interactive (or not) and {@code columns} wide. */
    public Terminal withInteractive(boolean interactive, int columns) {
        return new Terminal(out, err, interactive, columns, clock);
    }

    /** This terminal, reading time from {@code clock}. */
    public Terminal withClock(LongSupplier clock) {
        return new Terminal(out, err, interactive, columns, clock);
    }

    /**
     * The process's own terminal: standard output and error in the terminal's encoding (UTF-8 where the
     * platform would fall back to ASCII), interactivity and width as the launcher measured them
     * ({@code -Drnnlab.tty}, {@code -Drnnlab.columns}), else as {@link System#console()} and
     * {@code $COLUMNS} tell.
     */
    public static Terminal system() {
        Charset outCharset = streamCharset(System.getProperty("stdout.encoding"), System.getProperty("sun.stdout.encoding"));
        Charset errCharset = streamCharset(System.getProperty("stderr.encoding"), System.getProperty("sun.stderr.encoding"));
        PrintWriter out = writer(new FileOutputStream(FileDescriptor.out), outCharset);
        PrintWriter err = writer(new FileOutputStream(FileDescriptor.err), errCharset);
        Map<String, String> env = System.getenv();
        boolean interactive = isInteractive(System.getProperty("rnnlab.tty"), consoleIsTerminal(), env.get("TERM"));
        int columns = columns(System.getProperty("rnnlab.columns"), env.get("COLUMNS"));
        return new Terminal(out, err, interactive, columns, System::nanoTime);
    }

    /**
     * Whether standard output is an interactive terminal.
     *
     * @param launcherSays      {@code -Drnnlab.tty} as the launcher set it from {@code [ -t 1 ]}, or null
     * @param consoleIsTerminal what {@link System#console()} tells
     * @param term              {@code $TERM}; {@code dumb} terminals (Emacs shells) cannot redraw a line
     */
    static boolean isInteractive(String launcherSays, boolean consoleIsTerminal, String term) {
        if ("dumb".equals(term)) {
            return false;
        }
        if (launcherSays != null && !launcherSays.isBlank()) {
            return Boolean.parseBoolean(launcherSays.trim());
        }
        return consoleIsTerminal;
    }

    /** The terminal width from {@code -Drnnlab.columns} or {@code $COLUMNS}; {@value #DEFAULT_COLUMNS} when neither is a sane number. */
    static int columns(String property, String env) {
        for (String s : new String[] {property, env}) {
            if (s != null) {
                try {
                    int c = Integer.parseInt(s.trim());
                    if (c >= 20 && c <= 1000) {
                        return c;
                    }
                } catch (NumberFormatException e) {
                    // not a number: try the next source
                }
            }
        }
        return DEFAULT_COLUMNS;
    }

    /**
     * The encoding for a standard stream: {@code stdout.encoding} (JDK 19+) or {@code sun.stdout.encoding}
     * (JDK 17, set when the stream is a console), else the default charset; UTF-8 instead of plain ASCII,
     * which a POSIX locale yields and which would print generated text as question marks.
     */
    static Charset streamCharset(String modern, String legacy) {
        Charset chosen = Charset.defaultCharset();
        for (String name : new String[] {modern, legacy}) {
            if (name != null && !name.isBlank()) {
                try {
                    chosen = Charset.forName(name.trim());
                    break;
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    // unknown name: keep looking
                }
            }
        }
        return chosen.equals(StandardCharsets.US_ASCII) ? StandardCharsets.UTF_8 : chosen;
    }

    /**
     * Whether {@link System#console()} is a terminal. JDK 22–24 return a console even when output is redirected
     * and added {@code Console.isTerminal()} to tell; JDK 17–21 (and 25) return null when redirected.
     */
    private static boolean consoleIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // before JDK 22, a console exists only for a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static PrintWriter writer(OutputStream stream, Charset charset) {
        return new PrintWriter(new OutputStreamWriter(stream, charset), true);
    }
}
