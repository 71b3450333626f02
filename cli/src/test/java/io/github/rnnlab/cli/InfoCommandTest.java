package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.kernel.Simd;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class InfoCommandTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    /** info's lines as name -> value (two-column table: the name, then at least two spaces). */
    private static Map<String, String> info() {
        CliRun r = CliRun.run("info");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals("", r.err());
        return r.out().lines().filter(l -> !l.startsWith(" ")).collect(Collectors.toMap(
                l -> l.split("\\s{2,}", 2)[0], l -> l.split("\\s{2,}", 2)[1]));
    }

    @Test
    void showsTheSpeciesLanesAndSimdSwitchOfThisJvm() {
        Map<String, String> info = info();
        assertTrue(InfoCommand.vectorModuleEnabled(), "the tests run with --add-modules jdk.incubator.vector");
        assertEquals(Simd.FLOATS.toString(), info.get("vector species"));
        assertEquals(Simd.LANES + " (" + Simd.FLOATS.vectorBitSize() + "-bit vectors)", info.get("float lanes"));
        assertTrue(info.get("simd").startsWith(Simd.ENABLED ? "on" : "off"), info.get("simd"));
    }

    @Test
    void showsTheJavaAndTheMachine() {
        Map<String, String> info = info();
        assertTrue(info.get("java").startsWith(Runtime.version().toString() + " ("), info.get("java"));
        assertTrue(info.get("java").endsWith(" at " + System.getProperty("java.home")), info.get("java"));
        assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()), info.get("processors"));
        assertEquals(Format.bytes(Runtime.getRuntime().maxMemory()), info.get("max heap"));
        assertTrue(info.get("jvm options").contains("jdk.incubator.vector"), info.get("jvm options"));
        assertEquals(Version.rnnlab(), info.get("rnnlab"));
    }

    @Test
    void listsTheCellsFoundWithTheirSources() {
        CliRun r = CliRun.run("info");
        Map<String, String> info = info();
        // the tests run from class folders: no default plugin folder, no plugins
        assertEquals("4 found (4 built-in or on the class path, 0 from plugin folders): gru, lstm, rnn_relu, rnn_tanh",
                info.get("cells"));
        for (String id : new String[] {"gru", "lstm", "rnn_relu", "rnn_tanh"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+" + id + " \\S+, built-in")), id + " in\n" + r.out());
        }
        assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()), info.get("threads").split(" ")[0]);
        assertTrue(info.get("plugin folders").startsWith("none"), info.get("plugin folders"));
    }

    @Test
    void pluginCellsAreCountedWithTheirJar() throws java.io.IOException {
        java.nio.file.Path plugins = Fixtures.examplePluginFolder(dir.resolve("plugins"));
        CliRun r = CliRun.run("info", "--plugins", plugins.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("plugin folders  " + plugins), r.out());
        assertTrue(r.out().contains("5 found (4 built-in or on the class path, 1 from plugin folders): gru, janet, lstm,"),
                r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+janet 1\\.0\\.0, " + java.util.regex.Pattern.quote(
                plugins.resolve("rnnlab-example-cell.jar").toString()))), r.out());
    }
}
