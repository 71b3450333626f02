package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.RnnlabException;
import io.github.rnnlab.data.CorpusNotFoundException;
import io.github.rnnlab.data.MalformedCorpusException;
import io.github.rnnlab.data.NotEnoughTokensException;
import io.github.rnnlab.task.TaskKind;
import io.github.rnnlab.task.UnknownTaskException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.function.Supplier;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorPathTest {
    private static CliRun boom(Supplier<Throwable> failure, String... extra) {
        String[] args = new String[extra.length + 1];
        args[0] = "boom";
        System.arraycopy(extra, 0, args, 1, extra.length);
        return CliRun.run(List.of(new TestCommands.Boom(failure)), args);
    }

    @Test
    void cliExceptionIsOneLineWithItsRemedyAndNoStackTrace() {
        CliRun r = boom(() -> new CliException("cannot read model.safetensors: it holds a gru, not an lstm",
                "give a checkpoint of an lstm"));
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        assertEquals("rnnlab: cannot read model.safetensors: it holds a gru, not an lstm. Give a checkpoint of an lstm.",
                r.oneErrorLine());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void verbosePrintsTheStackTraceAfterTheSameLine() {
        Supplier<Throwable> failure = () -> new CliException("the data ran out", "give more data");
        for (String[] args : new String[][] {{"--verbose"}}) {
            CliRun r = boom(failure, args);
            assertEquals(ExitCodes.FAILURE, r.exitCode());
            String[] lines = r.err().split("\\R");
            assertEquals("rnnlab: the data ran out. Give more data.", lines[0]);
            assertTrue(lines.length > 3, r.err());
            assertTrue(lines[1].startsWith(CliException.class.getName() + ": the data ran out"), lines[1]);
            assertTrue(r.err().contains("\tat io.github.rnnlab.cli.ErrorPathTest"), r.err());
        }
        // --verbose before the command name works the same
        CliRun before = CliRun.run(List.of(new TestCommands.Boom(failure)), "--verbose", "boom");
        assertTrue(before.err().contains("\tat "), before.err());
    }

    @Test
    void usageExceptionExitsTwoAndPointsToTheCommandsHelp() {
        CliRun r = boom(() -> new UsageException("--hidden must be positive, got 0"));
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertEquals("rnnlab: --hidden must be positive, got 0. See 'rnnlab boom --help'.", r.oneErrorLine());
    }

    @Test
    void libraryExceptionsGetTheirRemedy() {
        CliRun malformed = boom(() -> new MalformedCorpusException("latin1.txt", 17, "byte 0xE9"));
        assertEquals(ExitCodes.FAILURE, malformed.exitCode());
        String line = malformed.oneErrorLine();
        assertTrue(line.startsWith("rnnlab: corpus latin1.txt is not valid UTF-8: expected a well-formed UTF-8 sequence at byte offset 17, got byte 0xE9."), line);
        assertTrue(line.contains("Give a UTF-8 text file"), line);

        CliRun missing = boom(() -> new CorpusNotFoundException("nothing.txt"));
        assertEquals("rnnlab: corpus not found: nothing.txt. Check the path given to --data.", missing.oneErrorLine());

        CliRun tooShort = boom(() -> new NotEnoughTokensException("random windows of sequence length 100 (plus 1 target shift)", 101, 40));
        assertEquals(ExitCodes.FAILURE, tooShort.exitCode());
        assertTrue(tooShort.oneErrorLine().contains("expected at least 101 tokens, got 40. Use a shorter --seq-len"), tooShort.err());
    }

    @Test
    void anUnknownTaskIsAUsageError() {
        CliRun r = boom(() -> {
            try {
                TaskKind.parse("sorting");
                throw new AssertionError("parse accepted an unknown task");
            } catch (UnknownTaskException e) {
                return e;
            }
        });
        assertEquals(ExitCodes.USAGE, r.exitCode());
        String line = r.oneErrorLine();
        assertTrue(line.startsWith("rnnlab: unknown task \"sorting\": expected one of adding, copy, reber, parity."), line);
        assertTrue(line.endsWith("See 'rnnlab boom --help'."), line);
    }

    @Test
    void aPlainRnnlabExceptionPrintsItsMessage() {
        CliRun r = boom(() -> new RnnlabException("expected 128 columns, got 127"));
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        assertEquals("rnnlab: expected 128 columns, got 127.", r.oneErrorLine());
    }

    @Test
    void ioExceptionsNameTheFileAndTheReason() {
        assertEquals("rnnlab: permission denied: /data/x.txt.", boom(() -> new AccessDeniedException("/data/x.txt")).oneErrorLine());
        assertEquals("rnnlab: no such file or folder: a.txt.", boom(() -> new NoSuchFileException("a.txt")).oneErrorLine());
        assertEquals("rnnlab: no space left on device: runs/x/model.safetensors.",
                boom(() -> new FileSystemException("runs/x/model.safetensors", null, "No space left on device")).oneErrorLine());
        CliRun wrapped = boom(() -> new UncheckedIOException(new IOException("Stream closed")));
        assertEquals(ExitCodes.FAILURE, wrapped.exitCode());
        assertEquals("rnnlab: stream closed.", wrapped.oneErrorLine());
    }

    @Test
    void aBugIsReportedAsAnInternalErrorAskingForVerbose() {
        CliRun r = boom(() -> new NullPointerException("weights is null"));
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        assertEquals("rnnlab: internal error: java.lang.NullPointerException: weights is null. This is a bug in rnnlab; "
                + "run the same command with --verbose and report the stack trace.", r.oneErrorLine());
    }

    @Test
    void errorsThrownAsErrorsAreReportedToo() {
        CliRun oom = boom(() -> new OutOfMemoryError("Java heap space"));
        assertEquals(ExitCodes.FAILURE, oom.exitCode());
        String line = oom.oneErrorLine();
        assertTrue(line.startsWith("rnnlab: out of memory: the Java heap is limited to "), line);
        assertTrue(line.contains("RNNLAB_JAVA_OPTS=-Xmx8g"), line);

        CliRun noVector = boom(() -> new NoClassDefFoundError("jdk/incubator/vector/FloatVector"));
        assertEquals(ExitCodes.FAILURE, noVector.exitCode());
        assertTrue(noVector.oneErrorLine().startsWith("rnnlab: the Vector API module (jdk.incubator.vector) is not enabled"),
                noVector.err());

        CliRun verbose = boom(() -> new OutOfMemoryError("Java heap space"), "--verbose");
        assertTrue(verbose.err().contains("java.lang.OutOfMemoryError: Java heap space"), verbose.err());
    }

    @Test
    void multiLineMessagesStayOnOneLine() {
        CliRun r = boom(() -> new CliException("first problem\nsecond problem\r\nthird", "do this\nthen that"));
        assertEquals("rnnlab: first problem; second problem; third. Do this; then that.", r.oneErrorLine());
    }

    @Test
    void nothingIsPrintedToTheRealStandardStreams() {
        java.io.PrintStream realOut = System.out;
        java.io.PrintStream realErr = System.err;
        java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(sink, true));
            System.setErr(new java.io.PrintStream(sink, true));
            boom(() -> new NullPointerException("x"), "--verbose");
            CliRun.run("info");
            CliRun.run("info", "--bogus");
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
        }
        assertEquals("", sink.toString());
    }
}
