package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnnlab cells}: the table of cells, their sources and parameter counts; plugin folders and their problems. */
class CellsCommandTest {
    @TempDir
    Path dir;

    private static String row(CliRun r, String id) {
        return r.out().lines().filter(l -> l.startsWith(id + " ")).findFirst().orElseThrow(() -> new AssertionError(id + " in\n" + r.out()));
    }

    @Test
    void listsTheBuiltInsWithStatesAndParameterCounts() {
        CliRun r = CliRun.run("cells", "--input", "10", "--hidden", "20");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("id "), r.out());
        // LSTM: 4H·in + 4H·H + 2·4H = 800 + 1600 + 160
        String lstm = row(r, "lstm");
        assertTrue(lstm.matches("lstm\\s+1\\.0\\.0\\s+no\\s+built-in\\s+h \\(H\\), c \\(H\\)\\s+2,560\\s+LSTM.*"), lstm);
        // GRU: 3H(in + H) + 2·3H = 1800 + 120; Elman: H(in + H) + 2H = 600 + 40
        assertTrue(row(r, "gru").matches("gru\\s+1\\.0\\.0\\s+no\\s+built-in\\s+h \\(H\\)\\s+1,920\\s+GRU.*"), row(r, "gru"));
        assertTrue(row(r, "rnn_tanh").contains(" 640 "), row(r, "rnn_tanh"));
        assertTrue(r.out().contains("4 cells; params: one layer with input 10 and hidden 20"), r.out());
    }

    @Test
    void aPluginCellShowsItsJar() throws IOException {
        Path plugins = Fixtures.examplePluginFolder(dir.resolve("plugins"));
        CliRun r = CliRun.run("cells", "--plugins", plugins.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        String janet = row(r, "janet");
        assertTrue(janet.contains(plugins.resolve("rnnlab-example-cell.jar").toString()), janet);
        // JANET: 2H·in + 2H·H + 2·2H with in 128, H 256
        assertTrue(janet.contains(" 197,632 "), janet);
        assertTrue(r.out().contains("5 cells"), r.out());
    }

    @Test
    void pluginFoldersMayBeListedWithThePathSeparator() throws IOException {
        Path a = Fixtures.examplePluginFolder(dir.resolve("a"));
        Path b = Fixtures.brokenPluginFolder(dir.resolve("b"));
        CliRun r = CliRun.run("cells", "--plugins", a + java.io.File.pathSeparator + b);
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("6 cells"), r.out());
        assertTrue(row(r, "broken").matches("broken\\s+0\\.0\\.1\\s+yes\\s+" + java.util.regex.Pattern.quote(
                b.resolve("brokenprovider.jar").toString()) + "\\s.*"), row(r, "broken"));
        CliRun twice = CliRun.run("cells", "--plugins", a.toString(), "--plugins", a.toString());
        assertEquals(ExitCodes.OK, twice.exitCode(), "the same folder is searched once: " + twice.err());
    }

    @Test
    void aProviderThatFailsToLoadIsOneWarningAndTheRestStays() throws IOException {
        Path plugins = Fixtures.missingClassPluginFolder(dir.resolve("plugins"));
        CliRun r = CliRun.run("cells", "--plugins", plugins.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        String warning = r.oneErrorLine();
        assertTrue(warning.startsWith("rnnlab: warning: cell provider org.example.missing.NoSuchProvider in " + plugins
                + " not loaded: "), warning);
        assertTrue(r.out().contains("4 cells"), r.out());
    }

    @Test
    void aMissingPluginFolderIsAnError() {
        CliRun r = CliRun.run("cells", "--plugins", dir.resolve("nowhere").toString());
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        String line = r.oneErrorLine();
        assertTrue(line.contains("plugin folder " + dir.resolve("nowhere") + ": expected a directory"), line);
        assertTrue(line.contains("--plugins"), line);
    }

    @Test
    void theFoldersAreSearchedOnceEachInOrder() throws IOException {
        Path a = java.nio.file.Files.createDirectories(dir.resolve("a"));
        Path b = java.nio.file.Files.createDirectories(dir.resolve("b"));
        Path c = java.nio.file.Files.createDirectories(dir.resolve("c"));
        String sep = java.io.File.pathSeparator;
        List<Path> folders = Cells.folders(List.of(a + sep + b, a.toString()), b + sep + sep + c,
                java.util.Optional.of(c));
        assertEquals(List.of(a, b, c), folders);
        assertEquals(List.of(), Cells.folders(List.of(), null, java.util.Optional.of(dir.resolve("absent"))),
                "a default folder that does not exist is skipped");
    }
}
