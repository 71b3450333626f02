package io.github.rnnlab.io;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {

    private static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void createsAndReplaces(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("model.safetensors");
        AtomicFiles.writeString(f, "first");
        assertEquals("first", Files.readString(f));
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        byte[] big = new byte[1_000_003]; // larger than the stream's buffer
        new java.util.Random(1).nextBytes(big);
        AtomicFiles.write(f, out -> {
            out.write(big, 0, 10);
            out.write(big[10]);
            out.write(big, 11, big.length - 11);
        });
        assertArrayEquals(big, Files.readAllBytes(f));
        assertEquals(List.of("model.safetensors"), names(dir));
    }

    @Test
    void dotComponentsInThePathWork(@TempDir Path dir) throws IOException {
        Files.createDirectory(dir.resolve("sub"));
        AtomicFiles.writeString(dir.resolve("sub/../x.txt"), "x");
        AtomicFiles.writeString(dir.resolve("./y.txt"), "y");
        assertEquals("x", Files.readString(dir.resolve("x.txt")));
        assertEquals("y", Files.readString(dir.resolve("y.txt")));
        assertEquals(List.of("sub", "x.txt", "y.txt"), names(dir));
    }

    /** The callback fails after writing part of the new content: the old file stays whole, the temp file goes. */
    @Test
    void failureMidWriteKeepsTheOldFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("ckpt.bin");
        AtomicFiles.writeString(f, "old content");
        IOException boom = new IOException("disk on fire");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[200_000]); // more than the buffer: part of it reached the temp file
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals("old content", Files.readString(f));
        assertEquals(List.of("ckpt.bin"), names(dir));

        RuntimeException bug = new IllegalStateException("bug");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
            out.write(1);
            throw bug;
        })));
        Error error = new StackOverflowError();
        assertSame(error, assertThrows(StackOverflowError.class, () -> AtomicFiles.write(f, out -> {
            throw error;
        })));
        assertEquals("old content", Files.readString(f));
        assertEquals(List.of("ckpt.bin"), names(dir));
    }

    @Test
    void failureWithoutAnOldFileLeavesNothing(@TempDir Path dir) {
        Path f = dir.resolve("new.bin");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(7);
            throw new IOException("no");
        }));
        assertFalse(Files.exists(f));
        assertEquals(List.of(), assertDoesNotThrow(() -> names(dir)));
    }

    @Test
    void closingTheStreamInTheCallbackIsHarmless(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.txt");
        AtomicFiles.write(f, out -> {
            out.write('a');
            out.close();
        });
        assertEquals("a", Files.readString(f));
    }

    @Test
    void missingDirectory(@TempDir Path dir) {
        assertThrows(NoSuchFileException.class, () -> AtomicFiles.writeString(dir.resolve("no/such/dir/f"), "x"));
        assertEquals(List.of(), assertDoesNotThrow(() -> names(dir)));
    }

    @Test
    void targetIsADirectory(@TempDir Path dir) throws IOException {
        Path d = Files.createDirectory(dir.resolve("d"));
        Files.writeString(d.resolve("inside"), "keep");
        assertThrows(FileSystemException.class, () -> AtomicFiles.writeString(d, "x"));
        assertTrue(Files.isDirectory(d));
        assertEquals("keep", Files.readString(d.resolve("inside")));
        assertEquals(List.of("d"), names(dir));
    }

    @Test
    void permissionsOfAReplacedFileAreKept(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path f = dir.resolve("p.txt");
        AtomicFiles.writeString(f, "a");
        Path plain = Files.writeString(dir.resolve("plain.txt"), "a");
        // a new file gets the same (umask) permissions as any other new file, not a temp file's 0600
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f));
        Set<PosixFilePermission> odd = PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(f, odd);
        AtomicFiles.writeString(f, "b");
        assertEquals(odd, Files.getPosixFilePermissions(f));
        assertEquals("b", Files.readString(f));
    }

    @Test
    void longNamesGetAShortenedTempName() {
        String name = "n".repeat(250);
        String prefix = AtomicFiles.tempPrefix(name);
        assertEquals("." + "n".repeat(100) + ".", prefix);
        assertEquals(".short.", AtomicFiles.tempPrefix("short"));
    }

    /**
     * A reader polling the file while it is rewritten again and again never sees a mix or a part: every read
     * is one complete version. (Writing in place with Files.write fails this within a few rounds.)
     */
    @Test
    void concurrentReadersSeeWholeVersionsOnly(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("v.bin");
        int size = 300_000;
        byte[][] versions = new byte[4][size];
        for (int v = 0; v < versions.length; v++) {
            Arrays.fill(versions[v], (byte) ('a' + v));
        }
        AtomicFiles.write(f, versions[0]);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> problem = new AtomicReference<>();
        int[] reads = {0};
        Thread reader = new Thread(() -> {
            try {
                while (!done.get()) {
                    byte[] got = Files.readAllBytes(f);
                    reads[0]++;
                    boolean whole = got.length == size;
                    for (int i = 1; whole && i < size; i++) {
                        whole = got[i] == got[0];
                    }
                    if (!whole) {
                        problem.set("read " + got.length + " bytes starting " + (got.length > 0 ? (char) got[0] : '-'));
                        return;
                    }
                }
            } catch (IOException e) {
                problem.set(e.toString());
            }
        });
        reader.start();
        for (int round = 1; round <= 60 && problem.get() == null; round++) {
            AtomicFiles.write(f, versions[round % versions.length]);
        }
        done.set(true);
        reader.join();
        assertNull(problem.get());
        assertTrue(reads[0] > 0);
        assertEquals(List.of("v.bin"), names(dir));
    }

    /** Two writers racing on one file: the result is one of their contents, whole, and no temp file is left. */
    @Test
    void racingWritersLeaveOneWholeVersion(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("race.bin");
        byte[] a = new byte[200_000];
        byte[] b = new byte[150_000];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        Thread[] writers = new Thread[2];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < 2; i++) {
            byte[] content = i == 0 ? a : b;
            writers[i] = new Thread(() -> {
                try {
                    for (int k = 0; k < 20; k++) {
                        AtomicFiles.write(f, content);
                    }
                } catch (IOException e) {
                    failure.set(e);
                }
            });
            writers[i].start();
        }
        for (Thread t : writers) {
            t.join();
        }
        assertNull(failure.get());
        byte[] got = Files.readAllBytes(f);
        assertTrue(Arrays.equals(a, got) || Arrays.equals(b, got));
        assertEquals(List.of("race.bin"), names(dir));
    }

    private static <T> T assertDoesNotThrow(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }
}
