package io.github.rnnlab.cli;

import io.github.rnnlab.RnnlabException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line's one error path: any failure becomes ONE line on standard error,
 * {@code rnnlab: <problem>. <what to do>.}, and an exit code — {@link ExitCodes#USAGE} for a wrong command
 * line, {@link ExitCodes#FAILURE} for everything else. The stack trace follows only with {@code --verbose}.
 *
 * <p>What becomes which line:
 * <ul>
 *   <li>{@link CliException} / {@link UsageException}: its message and remedy (a usage error without a remedy
 *       points to the command's {@code --help});</li>
 *   <li>picocli's {@link ParameterException} (unknown command or option, bad or missing value): picocli's
 *       message, suggestions ("did you mean"), and the command's {@code --help};</li>
 *   <li>any other {@link RnnlabException}: its message and the remedy {@link Remedies} knows for its class;</li>
 *   <li>{@link IOException}: what failed on which file ("permission denied: runs/x");</li>
 *   <li>out of memory, the Vector API module missing: what to change;</li>
 *   <li>anything else is a bug: "internal error: ...", asking for a report with {@code --verbose}.</li>
 * </ul>
 */
final class ErrorReport {
    /** The line (without the {@code rnnlab: } prefix) and the exit code of one failure. */
    record Report(String line, int exitCode) {
    }

    private ErrorReport() {
    }

    /**
     * Prints the report of {@code error} to {@code err}, with the stack trace if {@code verbose}, and returns
     * the exit code.
     *
     * @param command the qualified name of the command that ran ("rnnlab train"), for "see ... --help"
     */
    static int print(Throwable error, String command, boolean verbose, PrintWriter err) {
        Throwable cause = unwrap(error);
        Report report = describe(cause, command);
        err.println("rnnlab: " + report.line());
        if (verbose) {
            cause.printStackTrace(err);
        }
        err.flush();
        return report.exitCode();
    }

    /** The report for {@code error} (already unwrapped) raised while running {@code command}. */
    static Report describe(Throwable error, String command) {
        if (error instanceof ParameterException pe) {
            return usage(pe);
        }
        if (error instanceof CliException ce) {
            String remedy = ce.remedy();
            if (remedy.isEmpty() && ce instanceof UsageException) {
                remedy = helpHint(command);
            }
            return new Report(join(ce.getMessage(), remedy), ce.exitCode());
        }
        if (error instanceof RnnlabException re) {
            Remedies.Entry entry = Remedies.find(re);
            if (entry == null) {
                return new Report(join(re.getMessage(), ""), ExitCodes.FAILURE);
            }
            String remedy = entry.remedy().isEmpty() && entry.exitCode() == ExitCodes.USAGE ? helpHint(command) : entry.remedy();
            return new Report(join(re.getMessage(), remedy), entry.exitCode());
        }
        if (error instanceof IOException io) {
            return new Report(join(reason(io), ""), ExitCodes.FAILURE);
        }
        if (error instanceof OutOfMemoryError) {
            return new Report(join("out of memory: the Java heap is limited to " + Format.bytes(Runtime.getRuntime().maxMemory()),
                    "Use a smaller --batch or --hidden, or give Java more memory, e.g. RNNLAB_JAVA_OPTS=-Xmx8g"), ExitCodes.FAILURE);
        }
        if (error instanceof LinkageError && String.valueOf(error.getMessage()).contains("jdk/incubator/vector")) {
            return new Report(join("the Vector API module (jdk.incubator.vector) is not enabled in this Java",
                    "Start rnnlab with the ./rnnlab launcher, or add --add-modules jdk.incubator.vector to the java command"),
                    ExitCodes.FAILURE);
        }
        String what = error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        return new Report(join("internal error: " + what,
                "This is a bug in rnnlab; run the same command with --verbose and report the stack trace"), ExitCodes.FAILURE);
    }

    /** The report of a command line picocli could not parse. */
    static Report usage(ParameterException e) {
        CommandLine cl = e.getCommandLine();
        String command = cl == null ? "rnnlab" : cl.getCommandSpec().qualifiedName();
        String problem = e.getMessage() == null ? "invalid command line" : e.getMessage();
        String hint = "";
        if (e instanceof UnmatchedArgumentException ua && cl != null) {
            List<String> unmatched = ua.getUnmatched();
            boolean unknownCommand = !cl.getSubcommands().isEmpty() && !unmatched.isEmpty()
                    && !unmatched.get(0).startsWith("-");
            if (unknownCommand) {
                problem = "unknown command '" + unmatched.get(0) + "'";
            } else if (!ua.isUnknownOption() && !unmatched.isEmpty()) {
                problem = (unmatched.size() == 1 ? "unexpected argument " : "unexpected arguments ")
                        + unmatched.stream().map(a -> "'" + a + "'").collect(Collectors.joining(", "));
            }
            // the names within a small edit distance, closest first; picocli's looser guesses (by common
            // letters: 'diagnose' for 'ifno') only when there are none
            List<String> suggestions = new ArrayList<>();
            if (!unmatched.isEmpty()) {
                Collection<String> known = unknownCommand ? cl.getSubcommands().keySet() : cl.getCommandSpec().optionsMap().keySet();
                String typed = unmatched.get(0).split("=", 2)[0];
                suggestions.addAll(Suggestions.closest(typed, known));
            }
            if (suggestions.isEmpty()) {
                suggestions.addAll(ua.getSuggestions());
            }
            if (!suggestions.isEmpty()) {
                hint = "Did you mean " + suggestions.stream().limit(3).map(s -> "'" + s + "'")
                        .collect(Collectors.joining(" or ")) + "? ";
            }
        }
        int code = cl == null ? ExitCodes.USAGE : cl.getCommandSpec().exitCodeOnInvalidInput();
        return new Report(join(problem, hint + helpHint(command)), code);
    }

    /**
     * What went wrong with a file, in words: {@code "permission denied: runs/x"}, {@code "no such file: a.txt"},
     * {@code "runs/x is a file, not a folder"}, {@code "runs/x: No space left on device"}.
     */
    static String reason(IOException e) {
        if (e instanceof FileSystemException fs && fs.getFile() != null) {
            String file = fs.getFile();
            if (fs instanceof AccessDeniedException) {
                return "permission denied: " + file;
            }
            if (fs instanceof NoSuchFileException) {
                return "no such file or folder: " + file;
            }
            if (fs instanceof FileAlreadyExistsException) {
                return "already exists: " + file + (fs.getReason() == null ? "" : " (" + lowerFirst(fs.getReason()) + ")");
            }
            if (fs instanceof NotDirectoryException) {
                return file + " is not a folder";
            }
            if (fs instanceof DirectoryNotEmptyException) {
                return "folder not empty: " + file;
            }
            if (fs.getReason() != null) {
                return lowerFirst(fs.getReason()) + ": " + file
                        + (fs.getOtherFile() == null ? "" : " -> " + fs.getOtherFile());
            }
            String message = fs.getMessage();
            return message == null ? "cannot access " + file : message;
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "I/O error (" + e.getClass().getSimpleName() + ")" : message;
    }

    /** {@code "See 'rnnlab train --help'."} */
    static String helpHint(String command) {
        return "See '" + command + " --help'";
    }

    /**
     * {@code problem} and {@code remedy} as one line: the problem as a sentence starting lower case, the remedy
     * as a sentence starting upper case, line breaks inside either replaced by "; ".
     */
    static String join(String problem, String remedy) {
        String line = sentence(lowerFirst(oneLine(problem)));
        String r = oneLine(remedy);
        return r.isEmpty() ? line : line + " " + sentence(upperFirst(r));
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        return s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    private static String sentence(String s) {
        if (s.isEmpty() || s.endsWith(".") || s.endsWith("?") || s.endsWith("!")) {
            return s;
        }
        return s + ".";
    }

    /** Lower-cases the first letter if the second is a lower-case letter ("Unknown" but not "UTF-8", "I/O"). */
    private static String lowerFirst(String s) {
        if (s.length() >= 2 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
            return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
        }
        return s;
    }

    private static String upperFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    /** The exception that says what happened, under picocli's and reflection's wrappers. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        for (int i = 0; i < 10; i++) {
            Throwable next = null;
            if (t instanceof CommandLine.ExecutionException || t instanceof InvocationTargetException) {
                next = t.getCause();
            } else if (t instanceof UncheckedIOException) {
                next = t.getCause();
            }
            if (next == null) {
                return t;
            }
            t = next;
        }
        return t;
    }
}
