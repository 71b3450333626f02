package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalTest {
    @Test
    void theLauncherDecidesInteractivityUnlessTheTerminalIsDumb() {
        assertTrue(Terminal.isInteractive("true", false, "xterm-256color"));
        assertFalse(Terminal.isInteractive("false", true, "xterm"));
        assertFalse(Terminal.isInteractive("true", true, "dumb"));
        assertTrue(Terminal.isInteractive(null, true, null), "without the launcher, the console decides");
        assertFalse(Terminal.isInteractive(null, false, "xterm"));
        assertTrue(Terminal.isInteractive(" ", true, "xterm"));
    }

    @Test
    void columnsComeFromThePropertyThenTheEnvironment() {
        assertEquals(132, Terminal.columns("132", "90"));
        assertEquals(90, Terminal.columns(null, "90"));
        assertEquals(90, Terminal.columns("0", "90"), "a pseudo-terminal of width 0 does not count");
        assertEquals(80, Terminal.columns("wide", null));
        assertEquals(80, Terminal.columns(null, null));
    }

    @Test
    void asciiOutputBecomesUtf8AndRealEncodingsAreKept() {
        assertEquals(StandardCharsets.UTF_8, Terminal.streamCharset("ANSI_X3.4-1968", null));
        assertEquals(StandardCharsets.UTF_8, Terminal.streamCharset(null, "US-ASCII"));
        assertEquals(StandardCharsets.ISO_8859_1, Terminal.streamCharset("ISO-8859-1", "UTF-8"));
        assertEquals(StandardCharsets.UTF_8, Terminal.streamCharset("no-such-charset", "UTF-8"));
    }

    @Test
    void aTerminalOfStreamsWritesUtf8AndIsNotInteractive() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Terminal t = Terminal.of(new PrintStream(bytes), new PrintStream(new ByteArrayOutputStream()));
        assertFalse(t.interactive());
        assertEquals(80, t.columns());
        t.out().println("thou art — ünïcode");
        assertEquals("thou art — ünïcode" + System.lineSeparator(), bytes.toString(StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> t.withInteractive(true, 5));
    }
}
