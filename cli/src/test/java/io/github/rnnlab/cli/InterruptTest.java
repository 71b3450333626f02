package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.checkpoint.Checkpoint;
import io.github.rnnlab.checkpoint.TrainingState;
import io.github.rnnlab.numeric.F32Ops;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during {@code rnnlab train}, for real: a child JVM trains, gets SIGINT after its first progress lines,
 * and must stop after the current step, save a checkpoint that loads, print one line, and exit with 130.
 */
class InterruptTest {
    @TempDir
    Path dir;

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCSavesACheckpointAndSaysSoInOneLine() throws Exception {
        Path text = Fixtures.textFile(dir.resolve("small.txt"), 6000);
        Path out = dir.resolve("run");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", "--data", text.toString(), "--hidden", "8", "--seq-len", "8", "--batch", "2",
                "--steps", "100000000", "--out", out.toString(), "--progress", "lines", "--sample-length", "0",
                "--eval-every", "0"));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
        try (BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            int progressLines = 0;
            while ((line = stdout.readLine()) != null) {
                if (line.startsWith("step ") && ++progressLines == 2) {
                    break;
                }
            }
            assertEquals(2, progressLines, "the run started");
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            while (stdout.readLine() != null) {
                // drain
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run stopped");
        String err = Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8).lines()
                .filter(l -> !l.startsWith("WARNING: Using incubator modules")).reduce("", (a, b) -> a + b + "\n");
        assertEquals(ExitCodes.INTERRUPTED, p.exitValue(), err);
        List<String> lines = err.lines().toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).matches("rnnlab: interrupted at step [\\d,]+ of 100,000,000; saved .*checkpoint\\.safetensors\\. "
                + "Continue with: rnnlab train --resume .*"), lines.get(0));
        TrainingState s = Checkpoint.load(out.resolve("checkpoint.safetensors"), CellRegistry.load(getClass().getClassLoader()),
                F32Ops.standard());
        long step = Long.parseLong(lines.get(0).replaceAll(".*at step ([\\d,]+) of.*", "$1").replace(",", ""));
        assertEquals(step, s.step());
        assertTrue(Files.isRegularFile(out.resolve("loss.csv")));
    }
}
