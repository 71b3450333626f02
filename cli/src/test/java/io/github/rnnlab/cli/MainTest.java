package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    @Test
    void unknownOptionIsAUsageErrorOnOneLine() {
        CliRun r = CliRun.run("info", "--bogus");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertEquals("rnnlab: unknown option: '--bogus'. See 'rnnlab info --help'.", r.oneErrorLine());
        assertEquals("", r.out());
    }

    @Test
    void misspelledOptionGetsASuggestion() {
        CliRun r = CliRun.run("info", "--hlep");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertEquals("rnnlab: unknown option: '--hlep'. Did you mean '--help'? See 'rnnlab info --help'.", r.oneErrorLine());
    }

    @Test
    void unknownCommandIsAUsageErrorWithASuggestion() {
        CliRun r = CliRun.run("ifno");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        String line = r.oneErrorLine();
        // the closest command first (more commands may follow as they are added)
        assertTrue(line.startsWith("rnnlab: unknown command 'ifno'. Did you mean 'info'"), line);
        assertFalse(line.contains("'diagnose'"), "not a guess by common letters when an edit away is a command: " + line);
        assertTrue(line.endsWith("See 'rnnlab --help'."), line);
    }

    @Test
    void unknownCommandFarFromAnyNameGetsNoSuggestion() {
        CliRun r = CliRun.run("frobnicate");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertEquals("rnnlab: unknown command 'frobnicate'. See 'rnnlab --help'.", r.oneErrorLine());
    }

    @Test
    void anExtraArgumentIsAUsageError() {
        CliRun r = CliRun.run("info", "extra");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertEquals("rnnlab: unexpected argument 'extra'. See 'rnnlab info --help'.", r.oneErrorLine());
    }

    @Test
    void noCommandPrintsTheUsageToStderrAndExitsTwo() {
        CliRun r = CliRun.run();
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().startsWith("rnnlab: no command given."), r.err());
        assertTrue(r.err().contains("Usage: rnnlab"), r.err());
        assertTrue(r.err().contains("info"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void helpWorksOnEveryRegisteredCommand() {
        CommandLine cl = Main.commandLine(Terminal.of(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())), List.of());
        List<String> names = new ArrayList<>(cl.getSubcommands().keySet());
        assertTrue(names.containsAll(Set.of("info", "help")), names.toString());
        for (String name : names) {
            for (String help : new String[] {"--help", "-h"}) {
                CliRun r = CliRun.run(name, help);
                assertEquals(ExitCodes.OK, r.exitCode(), name + " " + help + ": " + r.err());
                assertTrue(r.out().contains("Usage: rnnlab " + name), name + ": " + r.out());
                assertEquals("", r.err(), name);
            }
            CliRun viaHelp = CliRun.run("help", name);
            assertEquals(ExitCodes.OK, viaHelp.exitCode(), viaHelp.err());
            assertTrue(viaHelp.out().contains("Usage: rnnlab " + name), viaHelp.out());
        }
        CliRun root = CliRun.run("--help");
        assertEquals(ExitCodes.OK, root.exitCode());
        for (String name : names) {
            assertTrue(root.out().contains("\n  " + name + " "), "root help lists " + name + ":\n" + root.out());
        }
    }

    @Test
    void versionNamesTheBuildAndTheJava() {
        for (String[] args : new String[][] {{"--version"}, {"-V"}, {"info", "--version"}}) {
            CliRun r = CliRun.run(args);
            assertEquals(ExitCodes.OK, r.exitCode(), r.err());
            String first = r.out().lines().findFirst().orElseThrow();
            assertTrue(first.matches("rnnlab \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), first);
            assertTrue(r.out().contains("Java " + Runtime.version()), r.out());
        }
    }

    @Test
    void verboseIsAcceptedBeforeAndAfterTheCommand() {
        assertEquals(ExitCodes.OK, CliRun.run("--verbose", "info").exitCode());
        assertEquals(ExitCodes.OK, CliRun.run("info", "--verbose").exitCode());
    }

    @Test
    void missingOptionValueIsAUsageError() {
        CliRun r = CliRun.run(List.of(new TestCommands.Slow()), "slow", "--progress");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        String line = r.oneErrorLine();
        assertTrue(line.startsWith("rnnlab: missing required parameter for option '--progress'"), line);
        assertTrue(line.endsWith("See 'rnnlab slow --help'."), line);
    }

    @Test
    void invalidEnumValueIsAUsageErrorNamingTheChoices() {
        CliRun r = CliRun.run(List.of(new TestCommands.Slow()), "slow", "--progress", "sideways");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        String line = r.oneErrorLine();
        assertTrue(line.startsWith("rnnlab: invalid value for option '--progress'"), line);
        assertTrue(line.contains("auto, bar, lines, none"), line);
    }

    @Test
    void aNumberOptionSaysWhatItExpected() {
        CliRun r = CliRun.run(List.of(new TestCommands.Slow()), "slow", "--steps", "ten");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertEquals("rnnlab: invalid value for option '--steps': expected a whole number, got 'ten'. See 'rnnlab slow --help'.",
                r.oneErrorLine());
        CliRun grouped = CliRun.run(List.of(new TestCommands.Slow()), "slow", "--steps", "1_000", "--progress", "none");
        assertEquals(ExitCodes.OK, grouped.exitCode(), grouped.err());
    }

    @Test
    void enumValuesAreCaseInsensitive() {
        CliRun r = CliRun.run(List.of(new TestCommands.Slow()), "slow", "--progress", "LINES", "--steps", "2");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("step 2/2"), r.out());
        assertFalse(r.out().contains("\r"), r.out());
    }
}
