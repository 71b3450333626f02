package io.github.rnnlab.cli;

import io.github.rnnlab.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The folder a command writes its results into ({@code --out DIR}), checked before any work starts and
 * cleaned up if the run fails.
 *
 * <p>{@link #open} creates the folder (and missing parents) and proves it writable by creating and deleting a
 * probe file, so an unwritable {@code --out} fails in the first second with one line, not after an hour of
 * training. Files go in through {@link #write} (atomic: temporary sibling, fsync, rename — a reader never sees
 * half a file) or, for writers that take a path, through {@link #file}, which records the file the same way.
 *
 * <p>No partial output: until {@link #commit()} is called, {@link #close()} deletes every file this run
 * created and every folder it created (if empty by then). Files that existed before the run are never deleted
 * (one the run replaced holds the run's complete new content). Call {@code commit()} once the output is
 * worth keeping — at the end of a run, or after the first checkpoint of a long one, so that an interrupted
 * training keeps what it saved.
 *
 * <pre>{@code
 * try (OutputDir dir = OutputDir.open(options.out, "--out")) {
 *     ... work that may fail ...
 *     dir.writeString("loss.csv", csv);
 *     dir.commit();
 * }
 * }</pre>
 *
 * <p>Interrupted runs: until {@code commit()} or {@code close()}, a JVM shutdown hook does what {@code close()}
 * does, so Ctrl-C (SIGINT, SIGTERM) before the first commit leaves nothing behind either. The hook waits for a
 * write in progress to finish first, and writes after it ran fail. A {@code kill -9} runs no hook: what was
 * written stays (each file whole).
 */
public final class OutputDir implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OutputDir.class.getName());

    private final Path path;
    private final String shown;
    private final String option;
    private final Deque<Path> createdDirs = new ArrayDeque<>();
    private final Set<Path> createdFiles = new LinkedHashSet<>();
    private final Thread cleanupOnExit = new Thread(this::cleanUp, "rnnlab-output-cleanup");
    private boolean committed;
    private boolean closed;

    private OutputDir(Path path, String shown, String option) {
        this.path = path;
        this.shown = shown;
        this.option = option;
    }

    /**
     * Creates {@code dir} if needed and checks that files can be written in it.
     *
     * @param dir    the folder, as the user gave it (messages show it that way)
     * @param option the option that named it, for the remedy ("choose another --out")
     * @throws CliException "cannot write to DIR: REASON" if it cannot be created or written
     */
    public static OutputDir open(Path dir, String option) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(option, "option");
        OutputDir out = new OutputDir(dir.toAbsolutePath().normalize(), dir.toString(), option);
        out.create();
        Runtime.getRuntime().addShutdownHook(out.cleanupOnExit);
        return out;
    }

    /** The folder (absolute). */
    public Path path() {
        return path;
    }

    /**
     * The path of {@code name} (a relative path inside the folder, e.g. {@code "loss.csv"} or
     * {@code "samples/step-100.txt"}) for a writer that takes a path; creates missing sub-folders and records
     * the file (if new) for cleanup. The caller should write it atomically ({@link AtomicFiles}).
     *
     * @throws IllegalArgumentException if {@code name} is absolute or leaves the folder
     */
    public synchronized Path file(String name) {
        if (closed) {
            throw new IllegalStateException("output folder " + path + " is closed");
        }
        Path file = path.resolve(name).normalize();
        if (Path.of(name).isAbsolute() || !file.startsWith(path) || file.equals(path)) {
            throw new IllegalArgumentException("expected a file name inside " + path + ", got \"" + name + "\"");
        }
        Path parent = file.getParent();
        if (!Files.isDirectory(parent)) {
            try {
                createDirectories(parent);
            } catch (IOException e) {
                throw cannotWrite(e);
            }
        }
        if (!createdFiles.contains(file) && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            createdFiles.add(file);
        }
        return file;
    }

    /**
     * Writes {@code name} atomically with what {@code content} writes.
     *
     * @throws CliException "cannot write to DIR: REASON" on an I/O error (disk full, folder removed)
     */
    public synchronized void write(String name, AtomicFiles.Content content) {
        Path file = file(name); // under the lock: an exit hook waits for the write to end
        try {
            AtomicFiles.write(file, content);
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /** Writes {@code name} atomically as UTF-8 text. */
    public void writeString(String name, String text) {
        write(name, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Keeps everything written so far and from now on, whatever happens next. */
    public synchronized void commit() {
        committed = true;
        forgetExitHook();
    }

    /** Whether {@link #commit()} was called. */
    public synchronized boolean committed() {
        return committed;
    }

    /** The files this run created so far, in order (for tests and summaries). */
    public synchronized List<Path> createdFiles() {
        return List.copyOf(createdFiles);
    }

    /** Unless committed, deletes the files and (empty) folders this run created. Idempotent. */
    @Override
    public synchronized void close() {
        forgetExitHook();
        cleanUp();
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        if (committed) {
            return;
        }
        List<Path> files = new ArrayList<>(createdFiles);
        for (int i = files.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(files.get(i));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not delete " + files.get(i), e);
            }
        }
        createdFiles.clear();
        while (!createdDirs.isEmpty()) {
            Path dir = createdDirs.pop(); // deepest first
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                LOG.log(System.Logger.Level.DEBUG, "kept {0}: something else wrote into it", dir);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not delete " + dir, e);
            }
        }
    }

    private void forgetExitHook() {
        if (Thread.currentThread() == cleanupOnExit) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (or ran) anyway
        }
    }

    private void create() {
        try {
            if (Files.exists(path) && !Files.isDirectory(path)) {
                throw new CliException("cannot write to " + shown + ": it is a file, not a folder",
                        "choose another " + option);
            }
            createDirectories(path);
            Path probe = Files.createTempFile(path, ".rnnlab-write-test-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            cleanUp(); // remove the folders made so far
            throw cannotWrite(e);
        }
    }

    /** Like {@link Files#createDirectories}, recording each folder it makes (outermost first). */
    private void createDirectories(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            missing.add(p);
            p = p.getParent();
        }
        if (p != null && !Files.isDirectory(p)) {
            throw new NotAFolderException(p);
        }
        for (int i = missing.size() - 1; i >= 0; i--) {
            Files.createDirectory(missing.get(i));
            createdDirs.push(missing.get(i));
        }
    }

    private CliException cannotWrite(IOException e) {
        return new CliException("cannot write to " + shown + ": " + ErrorReport.reason(e), "choose another " + option, e);
    }

    /** A path on the way to the output folder is a file. */
    private static final class NotAFolderException extends FileSystemException {
        NotAFolderException(Path file) {
            super(file.toString());
        }

        @Override
        public String getMessage() {
            return getFile() + " is a file, not a folder";
        }
    }
}
