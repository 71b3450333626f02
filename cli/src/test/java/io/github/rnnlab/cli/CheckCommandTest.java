package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnnlab check}: a correct cell passes with exit code 0, a broken plugin cell fails with 1 and says where. */
class CheckCommandTest {
    @TempDir
    Path dir;

    @Test
    void aBuiltInCellPassesEveryCheck() {
        CliRun r = CliRun.run("check", "--cell", "lstm", "--sizes", "3x4");
        assertEquals(ExitCodes.OK, r.exitCode(), r.out() + r.err());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("check lstm 1.0.0 (built-in): LSTM"), lines.get(0));
        assertTrue(r.out().contains("case 1/3: in=3 H=4 batch=3 steps=4 mask=NONE seed=1"), r.out());
        assertTrue(r.out().contains("case 3/3: in=3 H=4 batch=3 steps=4 mask=LENGTHS"), r.out());
        // one gradient row per parameter block, the input and each initial state, in every case
        for (String block : List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh", "input", "initial h", "initial c")) {
            long rows = lines.stream().filter(l -> l.matches("\\s+" + block + "\\s+\\d+\\s+\\S+\\s+\\S+\\s+pass\\s.*")).count();
            assertEquals(3, rows, block + " rows in\n" + r.out());
        }
        for (String law : List.of("float32 agrees with float64", "SIMD on and off agree", "a team of 2 agrees with one thread",
                "step by step equals chunked", "padded steps are skipped steps", "deterministic",
                "wrong sizes throw ShapeException", "orthogonal init is orthogonal")) {
            assertEquals(3, lines.stream().filter(l -> l.trim().startsWith(law) && l.contains(" pass ")).count(), law);
        }
        assertFalse(r.out().contains("FAIL"), r.out());
        assertEquals("summary: lstm passed all 45 checks (3 cases, 1 sizes x 3 paddings, seed 1)", lines.get(lines.size() - 1));
    }

    @Test
    void aPluginCellIsCheckedFromItsFolder() throws IOException {
        Path plugins = Fixtures.examplePluginFolder(dir.resolve("plugins"));
        CliRun r = CliRun.run("check", "--cell", "janet", "--plugins", plugins.toString(), "--sizes", "2x3",
                "--option", "beta=0.5");
        assertEquals(ExitCodes.OK, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().startsWith("check janet 1.0.0 (" + plugins.resolve("rnnlab-example-cell.jar")), r.out());
        assertTrue(r.out().contains("in=2 H=3 {beta=0.5}"), r.out());
    }

    @Test
    void aBrokenCellFailsAndTheTableNamesTheBlocks() throws IOException {
        Path plugins = Fixtures.brokenPluginFolder(dir.resolve("plugins"));
        CliRun r = CliRun.run("check", "--cell", "broken", "--plugins", plugins.toString(), "--sizes", "3x4");
        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.out() + r.err());
        assertEquals("", r.err(), "a failed check is a result, not an error");
        List<String> lines = r.out().lines().toList();
        // the recurrent gradient is halved: weight_hh fails, and so does the initial state's gradient
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\s+weight_hh\\s+16\\s+\\S+\\s+\\S+\\s+FAIL \\(\\d+ of 16\\).*")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\s+initial h\\s+12\\s+\\S+\\s+\\S+\\s+FAIL.*")), r.out());
        // the forward laws hold: the bug is in backward only
        assertEquals(3, lines.stream().filter(l -> l.trim().startsWith("step by step equals chunked") && l.contains(" pass ")).count());
        String summary = lines.get(lines.size() - 1);
        assertTrue(summary.startsWith("summary: broken FAILED 3 of 45 checks: gradients match finite differences ("), summary);
        assertTrue(summary.contains("weight_hh"), summary);
    }

    @Test
    void anUnknownCellIsAUsageError() {
        CliRun r = CliRun.run("check", "--cell", "gruu");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.oneErrorLine().contains("Did you mean 'gru'?"), r.err());
    }

    @Test
    void badSizesAreAUsageError() {
        CliRun r = CliRun.run("check", "--cell", "gru", "--sizes", "3x0");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.oneErrorLine().contains("expected input size x hidden size"), r.err());
    }
}
