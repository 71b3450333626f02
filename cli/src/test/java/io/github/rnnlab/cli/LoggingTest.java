package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LoggingTest {
    @Test
    void libraryWarningsBecomeOneLineAndDebugIsQuiet() {
        Logger root = Logger.getLogger("");
        Handler[] saved = root.getHandlers();
        Level savedLevel = root.getLevel();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            Main.logWarningsAsOneLine(Terminal.of(new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8)));
            System.Logger log = System.getLogger("io.github.rnnlab.io.AtomicFiles");
            log.log(System.Logger.Level.DEBUG, "not shown");
            log.log(System.Logger.Level.INFO, "not shown either");
            log.log(System.Logger.Level.WARNING, "could not delete {0}", "/tmp/x.tmp");
            log.log(System.Logger.Level.ERROR, "disk gone", new java.io.IOException("EIO"));
        } finally {
            for (Handler h : root.getHandlers()) {
                root.removeHandler(h);
            }
            for (Handler h : saved) {
                root.addHandler(h);
            }
            root.setLevel(savedLevel);
        }
        assertEquals(List.of("rnnlab: warning: could not delete /tmp/x.tmp",
                "rnnlab: error: disk gone: java.io.IOException: EIO"), err.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
