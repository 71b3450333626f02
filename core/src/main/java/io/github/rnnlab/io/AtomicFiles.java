package io.github.rnnlab.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file's content atomically: readers (and a machine that loses power) see either the old file or the
 * whole new one, never a part.
 *
 * <p>How: the content goes to a temporary file in the target's directory ({@code .name.<random>.tmp}), which is
 * flushed to the device ({@link FileChannel#force}); the temporary file is then renamed over the target
 * ({@link StandardCopyOption#ATOMIC_MOVE}, or {@link StandardCopyOption#REPLACE_EXISTING} on file systems that
 * cannot move atomically), and the directory is flushed too where the platform allows it (not on Windows), so the
 * rename itself survives a crash. If anything fails before the rename — the content callback throws, the disk
 * is full — the temporary file is deleted and the target is left exactly as it was.
 *
 * <p>A new file gets the default permissions; a replaced file keeps its POSIX permissions. If the target is a
 * symbolic link, the link is replaced by a regular file.
 *
 * <p>A process that dies during a write (killed, or the machine loses power) cannot delete its temporary file:
 * the target is intact, but the temporary file stays. {@link #deleteStaleTemporaries} removes such leftovers
 * of a target that has a single writer (a training run's checkpoint), before that writer's next write.
 */
public final class AtomicFiles {
    private static final System.Logger LOG = System.getLogger(AtomicFiles.class.getName());
    private static final int MAX_PREFIX = 100;

    private AtomicFiles() {
    }

    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the content to {@code out}, a buffered stream onto the temporary file. Closing it is allowed and
         * does nothing: the file is flushed, synced and closed after this method returns.
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Atomically replaces (or creates) {@code target} with what {@code content} writes. */
    public static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || absolute.getFileName() == null) {
            throw new IOException("cannot write " + target + ": it names no file in a directory");
        }
        String name = absolute.getFileName().toString();
        Path temp = createTemp(dir, name);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(new ChannelStream(channel), 1 << 16) {
                    @Override
                    public void close() throws IOException {
                        flush(); // the channel stays open for force()
                    }
                };
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            keepPermissions(absolute, temp);
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                LOG.log(System.Logger.Level.DEBUG, "atomic move not supported in {0}; replacing instead", dir);
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not delete temporary file " + temp, e);
                }
            }
        }
        syncDirectory(dir);
    }

    /** Atomically replaces (or creates) {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Atomically replaces (or creates) {@code target} with {@code text} in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Deletes the temporary files that writes of {@code target} left in its directory when their process died
     * before the rename ({@code .name.<hex>.tmp}, as {@link #write} names them). Only for a target with a
     * single writer, called by that writer: it would also delete the temporary file of a write of the same
     * target in progress in another thread or process.
     *
     * @return the number of files deleted
     */
    public static int deleteStaleTemporaries(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || absolute.getFileName() == null || !Files.isDirectory(dir)) {
            return 0;
        }
        String prefix = tempPrefix(absolute.getFileName().toString());
        int deleted = 0;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.length() > prefix.length() + 4 && n.startsWith(prefix) && n.endsWith(".tmp")
                        && n.substring(prefix.length(), n.length() - 4).matches("[0-9a-f]{1,16}")
                        && Files.deleteIfExists(p)) {
                    LOG.log(System.Logger.Level.DEBUG, "deleted stale temporary file {0}", p);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** The temporary file's name for a target named {@code name}, without the random part: {@code .name.}. */
    static String tempPrefix(String name) {
        return "." + (name.length() > MAX_PREFIX ? name.substring(0, MAX_PREFIX) : name) + ".";
    }

    private static Path createTemp(Path dir, String name) throws IOException {
        String prefix = tempPrefix(name);
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve(prefix + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    private static void keepPermissions(Path target, Path temp) {
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            if (view != null && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                Set<PosixFilePermission> permissions = view.readAttributes().permissions();
                Files.setPosixFilePermissions(temp, permissions);
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not copy the permissions of {0}", target);
        }
    }

    /** Flushes the directory entry of the rename; not possible on every platform (Windows), so best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not sync directory {0}: {1}", dir, e);
        }
    }

    /** An OutputStream onto a channel; its close() (inherited, a no-op) leaves the channel open. */
    private static final class ChannelStream extends OutputStream {
        private final FileChannel channel;

        ChannelStream(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }
    }
}
