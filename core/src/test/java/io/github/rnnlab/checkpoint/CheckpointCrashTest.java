package io.github.rnnlab.checkpoint;

import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.numeric.F32Ops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process killed while it saves a checkpoint leaves the previous checkpoint whole. A child JVM
 * ({@link CheckpointWriterProcess}, same class path) saves checkpoints of about 30 MB in a loop; it is killed
 * ({@link Process#destroyForcibly()}, SIGKILL on Unix) at a random moment within a save, several times. After
 * each kill the checkpoint on disk must load (every check, checksum included) and hold exactly one of the
 * states the child announced, and at most one temporary file may be left (the killed save's, which the next
 * save deletes); at the end, a save leaves none.
 */
class CheckpointCrashTest {
    private static final int HIDDEN = 1600;            // 2.6 M parameters: 31 MB with Adam's two buffers
    private static final int MIN_ROUNDS = 4;
    private static final int MAX_ROUNDS = 12;

    @TempDir
    Path dir;

    @Test
    void aKillDuringSaveLeavesThePreviousCheckpointWhole() throws Exception {
        assertTrue(!System.getProperty("java.class.path", "").isEmpty(), "a class path to start the child JVM with");
        Path file = dir.resolve("crash.ckpt.safetensors");
        Map<Long, String> announced = new HashMap<>();
        TrainingState initial = CheckpointWriterProcess.start(HIDDEN);
        Checkpoint.save(file, initial);
        announced.put(0L, CheckpointWriterProcess.fingerprint(initial));
        long fileSize = Files.size(file);
        assertTrue(fileSize > 10_000_000, "a checkpoint large enough to take a while to write: " + fileSize + " bytes");

        Random random = new Random(20240601L);
        int midSave = 0;
        int rounds = 0;
        List<String> log = new ArrayList<>();
        while (rounds < MIN_ROUNDS || midSave < 3 && rounds < MAX_ROUNDS) {
            rounds++;
            Set<String> tempsBefore = temporaries(file);
            Process child = new ProcessBuilder(java(), "--add-modules", "jdk.incubator.vector", "-Xmx1g",
                    "-cp", System.getProperty("java.class.path"), CheckpointWriterProcess.class.getName(),
                    file.toString(), Integer.toString(HIDDEN))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            long killedInStep = -1;
            long lastAnnounced = 0;
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the stream closes when the child dies
                }
            });
            pump.setDaemon(true);
            pump.start();
            try {
                // Let it finish one or two saves, timing them (the whole save, and the part from the temporary
                // file's appearance to the rename), then kill it inside the next save: at a random moment of the
                // whole save in odd rounds, of its file write in even rounds.
                boolean duringWrite = rounds % 2 == 0;
                int completeSaves = 1 + random.nextInt(2);
                long lastTotal = 0, lastWrite = 0, writeStart = -1, killAt = -1;
                boolean armed = false;
                Set<String> seen = new java.util.HashSet<>(tempsBefore);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (true) {
                    assertTrue(System.nanoTime() < deadline, "the child stopped saving (round " + rounds + ")");
                    String line = lines.poll(1, TimeUnit.MILLISECONDS);
                    long now = System.nanoTime();
                    for (String t : temporaries(file)) {
                        if (seen.add(t)) {
                            writeStart = now;
                        }
                    }
                    if (line != null) {
                        String[] f = line.split(" ");
                        long step = Long.parseLong(f[1]);
                        if (f[0].equals("saving")) {
                            lastAnnounced = Math.max(lastAnnounced, step);
                            String previous = announced.putIfAbsent(step, f[2]);
                            assertTrue(previous == null || previous.equals(f[2]), "the same step gives the same state in every run");
                            if (completeSaves == 0 && !armed) {
                                armed = true;
                                killedInStep = step;
                                if (!duringWrite) {
                                    killAt = now + (long) (random.nextDouble() * 1.2 * lastTotal * 1e6);
                                }
                            }
                        } else {
                            lastTotal = Long.parseLong(f[2]);
                            lastWrite = writeStart < 0 ? lastWrite : now - writeStart;
                            writeStart = -1;
                            completeSaves--;
                        }
                    }
                    if (armed && duringWrite && killAt < 0 && writeStart >= 0) {
                        killAt = writeStart + (long) (random.nextDouble() * lastWrite);
                    }
                    if (killAt >= 0 && now >= killAt) {
                        Set<String> temps = temporaries(file);
                        temps.removeAll(tempsBefore);
                        child.destroyForcibly();
                        if (!temps.isEmpty()) {
                            midSave++;
                        }
                        log.add("round " + rounds + ": killed " + (temps.isEmpty() ? "with no temporary file of this run on disk"
                                : "while a temporary file was being written") + " (step " + killedInStep + " or a later one being saved;"
                                + " a save takes " + lastTotal + " ms, its file write " + lastWrite / 1_000_000 + " ms)");
                        break;
                    }
                }
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
                pump.join(10_000);
                // the child may have gone on to later saves while this thread slept: take their announcements too
                for (String line; (line = lines.poll()) != null; ) {
                    String[] f = line.split(" ");
                    if (f[0].equals("saving") && f.length == 3) {
                        long step = Long.parseLong(f[1]);
                        String previous = announced.putIfAbsent(step, f[2]);
                        assertTrue(previous == null || previous.equals(f[2]), "the same step gives the same state in every run");
                        lastAnnounced = Math.max(lastAnnounced, step);
                    }
                }

                Set<String> left = temporaries(file);
                assertTrue(left.size() <= 1, "at most the killed save's temporary file is left, got " + left);
                TrainingState loaded = Checkpoint.load(file, LeakyTestCell.PROVIDER, F32Ops.standard());
                String expected = announced.get(loaded.step());
                assertNotNull(expected, "the checkpoint holds step " + loaded.step() + ", which no save announced");
                assertEquals(expected, CheckpointWriterProcess.fingerprint(loaded), "the state of step " + loaded.step());
                assertTrue(loaded.step() <= lastAnnounced, "step " + loaded.step() + " was never being saved");
                log.add("  the checkpoint holds step " + loaded.step() + "; temporary files left: " + left.size());
            } finally {
                child.destroyForcibly();
            }
        }
        System.out.println(String.join("\n", log));   // the test's report (target/surefire-reports)
        assertTrue(midSave >= 1, "no kill landed while a temporary file was being written:\n" + String.join("\n", log));

        TrainingState last = Checkpoint.load(file, LeakyTestCell.PROVIDER, F32Ops.standard());
        Checkpoint.save(file, last);
        assertEquals(Set.of(), temporaries(file), "a save deletes what killed saves left");
        assertEquals(CheckpointWriterProcess.fingerprint(last),
                CheckpointWriterProcess.fingerprint(Checkpoint.load(file, LeakyTestCell.PROVIDER, F32Ops.standard())));
    }

    private static Set<String> temporaries(Path file) throws IOException {
        String prefix = "." + file.getFileName() + ".";
        try (var s = Files.list(file.getParent())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix) && n.endsWith(".tmp"))
                    .collect(Collectors.toSet());
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

}
