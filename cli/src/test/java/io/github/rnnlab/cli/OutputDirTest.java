package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirTest {
    @TempDir
    Path tmp;

    private static CliRun write(String... args) {
        return CliRun.run(List.of(new TestCommands.Write()), args);
    }

    @Test
    void aFolderUnderARegularFileFailsWithOneLineAndExitCodeOne() throws IOException {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "a file, not a folder");
        Path out = file.resolve("run1");
        CliRun r = write("write", "--out", out.toString());
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        assertEquals("rnnlab: cannot write to " + out + ": " + file + " is a file, not a folder. Choose another --out.",
                r.oneErrorLine());
        assertEquals("", r.out());
        assertEquals("a file, not a folder", Files.readString(file));
    }

    @Test
    void anOutputPathThatIsAFileFails() throws IOException {
        Path file = Files.writeString(tmp.resolve("run1"), "x");
        CliException e = assertThrows(CliException.class, () -> OutputDir.open(file, "--out"));
        assertEquals("cannot write to " + file + ": it is a file, not a folder", e.getMessage());
        assertEquals("choose another --out", e.remedy());
    }

    @Test
    void aFailedRunLeavesNothingBehind() {
        Path out = tmp.resolve("runs/first");
        CliRun r = write("write", "--out", out.toString(), "--fail");
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        assertEquals("rnnlab: the data ran out at step 3. Give more data.", r.oneErrorLine());
        assertFalse(Files.exists(tmp.resolve("runs")), "the folders the run created are gone");
    }

    @Test
    void aSuccessfulRunKeepsItsFiles() throws IOException {
        Path out = tmp.resolve("runs/first");
        CliRun r = write("write", "--out", out.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals("half of the result\n", Files.readString(out.resolve("result.txt")));
        assertEquals("detail\n", Files.readString(out.resolve("sub/detail.txt")));
        assertEquals(List.of(), temporaryFiles(out), "no temporary or probe files are left");
    }

    @Test
    void aFailedRunKeepsWhatWasThereBefore() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("existing"));
        Files.writeString(out.resolve("mine.txt"), "user's file");
        Files.writeString(out.resolve("result.txt"), "an older result");
        CliRun r = write("write", "--out", out.toString(), "--fail");
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        assertTrue(Files.isDirectory(out));
        assertEquals("user's file", Files.readString(out.resolve("mine.txt")));
        // replaced atomically by the run: complete, and not deleted because it existed before
        assertEquals("half of the result\n", Files.readString(out.resolve("result.txt")));
        assertFalse(Files.exists(out.resolve("sub")), "the sub-folder the run created is gone");
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void commitKeepsFilesWrittenBeforeAFailure() throws IOException {
        Path out = tmp.resolve("a/b");
        try (OutputDir dir = OutputDir.open(out, "--out")) {
            dir.writeString("checkpoint.txt", "step 100");
            dir.commit();
            dir.writeString("later.txt", "step 200");
            assertTrue(dir.committed());
        }
        assertEquals("step 100", Files.readString(out.resolve("checkpoint.txt"), StandardCharsets.UTF_8));
        assertEquals("step 200", Files.readString(out.resolve("later.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void closeWithoutCommitRemovesOnlyWhatTheRunCreated() throws IOException {
        Path parent = Files.createDirectories(tmp.resolve("keep"));
        Path out = parent.resolve("new/deeper");
        try (OutputDir dir = OutputDir.open(out, "--out")) {
            Path chart = dir.file("loss.png");
            Files.write(chart, new byte[] {1, 2, 3});
            dir.writeString("loss.csv", "step,loss\n");
            assertEquals(List.of(chart, out.resolve("loss.csv")), dir.createdFiles());
        }
        assertTrue(Files.isDirectory(parent), "a folder that existed before stays");
        assertFalse(Files.exists(parent.resolve("new")), "folders the run created are removed");
    }

    @Test
    void aFolderSomeoneElseWroteIntoIsKept() throws IOException {
        Path out = tmp.resolve("shared");
        try (OutputDir dir = OutputDir.open(out, "--out")) {
            dir.writeString("a.txt", "a");
            Files.writeString(out.resolve("other-process.txt"), "not ours");
        }
        assertFalse(Files.exists(out.resolve("a.txt")));
        assertEquals("not ours", Files.readString(out.resolve("other-process.txt")));
    }

    @Test
    void fileNamesMustStayInsideTheFolder() {
        try (OutputDir dir = OutputDir.open(tmp.resolve("o"), "--out")) {
            assertThrows(IllegalArgumentException.class, () -> dir.file("../escape.txt"));
            assertThrows(IllegalArgumentException.class, () -> dir.file(tmp.resolve("abs.txt").toString()));
            assertThrows(IllegalArgumentException.class, () -> dir.file("."));
        }
    }

    @Test
    void aSubFolderBlockedByAFileFailsWithOneLine() throws IOException {
        Path out = tmp.resolve("o");
        try (OutputDir dir = OutputDir.open(out, "--out")) {
            Files.writeString(out.resolve("samples"), "a file where a folder should go");
            CliException e = assertThrows(CliException.class, () -> dir.writeString("samples/step-1.txt", "x"));
            assertEquals("cannot write to " + out + ": " + out.resolve("samples") + " is a file, not a folder", e.getMessage());
        }
    }

    @Test
    void aJvmThatExitsBeforeCommitLeavesNothingAndOneThatCommittedKeepsItsFiles() throws Exception {
        Path interrupted = tmp.resolve("runs/interrupted");
        assertEquals(130, runProbe(interrupted));
        assertFalse(Files.exists(tmp.resolve("runs")), "the exit hook removed the uncommitted run's folders");

        Path committed = tmp.resolve("runs/committed");
        assertEquals(130, runProbe(committed, "commit"));
        assertEquals("step 100\n", Files.readString(committed.resolve("checkpoint.txt")));
    }

    /** Runs {@link OutputDirExitProbe} in a child JVM on this test's class path; returns its exit code. */
    private static int runProbe(Path dir, String... more) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), OutputDirExitProbe.class.getName(), dir.toString()));
        command.addAll(List.of(more));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        assertFalse(output.contains("Exception"), output);
        return code;
    }

    private static List<Path> temporaryFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
