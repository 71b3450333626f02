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
 * Ctrl-C for real, in a child JVM that gets SIGINT after its first progress lines. {@code rnnlab train} must stop
 * after the current step, save a checkpoint that loads, print one line, and exit with 130; {@code rnnlab compare}
 * must stop the cell it is training, skip the rest, write the leaderboard and curves of what ran, print one line,
 * and exit with 130.
 */
class InterruptTest {
    @TempDir
    Path dir;

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCSavesACheckpointAndSaysSoInOneLine() throws Exception {
        Path text = Fixtures.textFile(dir.resolve("small.txt"), 6000);
        Path out = dir.resolve("run");
        Process p = start("train", "--data", text.toString(), "--hidden", "8", "--seq-len", "8", "--batch", "2",
                "--steps", "100000000", "--out", out.toString(), "--progress", "lines", "--sample-length", "0",
                "--eval-every", "0");
        interruptAfterProgress(p, "", 2);
        String err = stderr();
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

    /** Starts {@code rnnlab ARGS} in a child JVM with stderr to {@code stderr.txt}. */
    private Process start(String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
    }

    /** Reads the child's stdout until {@code count} lines starting with {@code "step "} (indentation aside) have come after a line starting with {@code after}, sends SIGINT, drains the rest, and waits for the exit. */
    private void interruptAfterProgress(Process p, String after, int count) throws Exception {
        // a child that never prints its progress must not hang the build: it is ended after two minutes
        Thread watchdog = new Thread(() -> {
            try {
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        try (BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean started = after.isEmpty();
            int progressLines = 0;
            while ((line = stdout.readLine()) != null) {
                started |= line.startsWith(after);
                if (started && line.strip().startsWith("step ") && ++progressLines == count) {
                    break;
                }
            }
            assertEquals(count, progressLines, "the run started");
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            while (stdout.readLine() != null) {
                // drain
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run stopped");
    }

    /** The child's stderr without the JVM's incubator-module warning. */
    private String stderr() throws Exception {
        return Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8).lines()
                .filter(l -> !l.startsWith("WARNING: Using incubator modules")).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCDuringCompareWritesTheLeaderboardOfWhatRanAndSaysSoInOneLine() throws Exception {
        Path out = dir.resolve("compare");
        Process p = start("compare", "--task", "adding", "--cells", "lstm,gru", "--steps", "100000000", "--seq-len", "5",
                "--hidden", "4", "--threads", "1", "--eval-every", "50", "--out", out.toString(), "--progress", "lines");
        interruptAfterProgress(p, "[1/2] lstm", 2);
        String err = stderr();
        assertEquals(ExitCodes.INTERRUPTED, p.exitValue(), err);
        List<String> lines = err.lines().toList();
        assertEquals(List.of("rnnlab: interrupted: compared 1 of 2 cells (the last one stopped early); wrote what there was"), lines);
        List<String> leaderboard = Files.readAllLines(out.resolve("compare.csv"), StandardCharsets.UTF_8);
        assertEquals(2, leaderboard.size(), "a header and the one cell that ran: " + leaderboard);
        assertTrue(leaderboard.get(1).startsWith("1,lstm,"), leaderboard.get(1));
        String curves = Files.readString(out.resolve("curves.csv"), StandardCharsets.UTF_8);
        assertTrue(curves.contains(",lstm,") && !curves.contains(",gru,"), curves);
        assertTrue(Files.size(out.resolve("curves.png")) > 0);
    }
}
