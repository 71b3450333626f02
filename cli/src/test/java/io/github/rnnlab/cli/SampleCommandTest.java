package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnnlab sample} on a checkpoint trained by {@code rnnlab train}. */
class SampleCommandTest {
    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void train() throws IOException {
        Path text = Fixtures.textFile(dir.resolve("small.txt"), 6000);
        Path out = dir.resolve("run");
        CliRun r = CliRun.run("train", "--data", text.toString(), "--hidden", "24", "--seq-len", "16", "--batch", "4",
                "--steps", "150", "--out", out.toString(), "--progress", "none", "--sample-length", "0");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        model = out.resolve("checkpoint.safetensors");
    }

    private static String sample(String... more) {
        String[] args = new String[3 + more.length];
        args[0] = "sample";
        args[1] = "--model";
        args[2] = model.toString();
        System.arraycopy(more, 0, args, 3, more.length);
        CliRun r = CliRun.run(args);
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals("", r.err());
        return r.out();
    }

    @Test
    void theSameSeedGivesTheSameText() {
        String a = sample("--seed", "7", "--length", "200", "--temperature", "1");
        assertEquals(a, sample("--seed", "7", "--length", "200", "--temperature", "1"));
        assertNotEquals(a, sample("--seed", "8", "--length", "200", "--temperature", "1"));
    }

    @Test
    void printsThePrimeThenTheRequestedNumberOfCharacters() {
        String out = sample("--prime", "the cat", "--length", "120", "--seed", "3");
        assertTrue(out.startsWith("the cat"), out);
        String text = out.substring(0, out.length() - System.lineSeparator().length());
        assertEquals("the cat".length() + 120, text.codePointCount(0, text.length()));
    }

    @Test
    void theModelLearnedTheText() {
        // greedy continuation of a sentence start: every whole word that comes out is a word of the training text
        String out = sample("--prime", "the cat sat on ", "--length", "80", "--temperature", "0");
        java.util.Set<String> known = new java.util.HashSet<>(java.util.List.of(Fixtures.text(6000).split("[^a-z]+")));
        String[] words = out.substring("the cat sat on ".length()).split("[^a-z]+");
        assertTrue(words.length >= 8, out);
        for (int i = 0; i < words.length - 1; i++) { // the last word may be cut off
            assertTrue(words[i].isEmpty() || known.contains(words[i]), "'" + words[i] + "' in " + out);
        }
        assertEquals(out, sample("--prime", "the cat sat on ", "--length", "80", "--temperature", "0", "--seed", "99"),
                "greedy ignores the seed");
    }

    @Test
    void topKOfOneIsGreedy() {
        assertEquals(sample("--length", "60", "--temperature", "0"), sample("--length", "60", "--top-k", "1", "--seed", "5"));
    }

    @Test
    void theDefaultPrimeIsALineBreak() {
        String out = sample("--length", "30");
        assertTrue(out.startsWith(System.lineSeparator()) || out.startsWith("\n"), out);
    }

    @Test
    void theBurnInIsReadButNotPrinted() {
        String blank = sample("--prime", "the ", "--length", "100", "--burn-in", "0", "--temperature", "1");
        String warm = sample("--prime", "the ", "--length", "100", "--temperature", "1");
        assertTrue(blank.startsWith("the ") && warm.startsWith("the "), blank + warm);
        assertEquals(blank.length(), warm.length());
        assertNotEquals(blank, warm, "the burn-in changes the state the prime meets");
        assertEquals(warm, sample("--prime", "the ", "--length", "100", "--temperature", "1"));
    }

    @Test
    void badSettingsAreUsageErrors() {
        CliRun r = CliRun.run("sample", "--model", model.toString(), "--temperature", "-1");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.oneErrorLine().contains("--temperature must be"), r.err());
        CliRun b = CliRun.run("sample", "--model", model.toString(), "--burn-in", "-1");
        assertEquals(ExitCodes.USAGE, b.exitCode());
        assertTrue(b.oneErrorLine().contains("--burn-in must be 0 or more"), b.err());
    }
}
