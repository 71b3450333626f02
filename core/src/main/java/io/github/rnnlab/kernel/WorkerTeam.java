package io.github.rnnlab.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A persistent team of threads that run one {@link Task} together and return when every member is
 * done (fork-join without a task per call: the threads live as long as the team).
 *
 * <p>The calling thread is member 0; {@code size - 1} daemon threads are members 1…size-1. Between
 * tasks the members spin briefly (a time-step loop hands them a new task within microseconds) and
 * then park. A task that itself calls {@link #run} on the same team runs that inner task on the
 * calling member alone, so kernels may use the team without knowing whether they are already
 * inside a parallel region. The team owns no numeric state; it is closed with {@link #close()}.
 */
public final class WorkerTeam implements AutoCloseable {

    /** Work for the whole team: member {@code member} of {@code members} does its share. */
    @FunctionalInterface
    public interface Task {
        void run(int member, int members);
    }

    private static final long SPIN_NANOS = 200_000;

    private final int size;
    private final Thread[] workers;
    private final AtomicInteger remaining = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Task task;
    private volatile long epoch;
    private volatile boolean closed;
    private volatile Thread owner;

    /**
     * @param size the number of members, the caller included; 1 means every task runs on the caller
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public WorkerTeam(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a team needs at least 1 member, got " + size);
        }
        this.size = size;
        this.workers = new Thread[size - 1];
        for (int i = 0; i < workers.length; i++) {
            int member = i + 1;
            Thread t = new Thread(() -> loop(member), "rnnlab-worker-" + member);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** A team with one member per available processor. */
    public static WorkerTeam ofAvailableProcessors() {
        return new WorkerTeam(Runtime.getRuntime().availableProcessors());
    }

    /** The number of members, the caller included. */
    public int size() {
        return size;
    }

    /**
     * Runs {@code t} on every member and waits for all of them. Re-entrant calls (from inside a task
     * of this team) and calls from a second thread while the team is busy run {@code t} on the
     * calling thread alone, as member 0 of 1.
     *
     * @throws RuntimeException the first exception a member threw (wrapped if checked)
     */
    public void run(Task t) {
        if (closed) {
            throw new IllegalStateException("the worker team is closed");
        }
        Thread me = Thread.currentThread();
        if (size == 1 || owner != null) {
            t.run(0, 1);
            return;
        }
        synchronized (this) {
            if (owner != null) {
                t.run(0, 1);
                return;
            }
            owner = me;
        }
        try {
            failure.set(null);
            remaining.set(size - 1);
            task = t;
            epoch = epoch + 1;
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            try {
                t.run(0, size);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
            long start = System.nanoTime();
            while (remaining.get() > 0) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            task = null;
        } finally {
            owner = null;
        }
        Throwable e = failure.get();
        if (e != null) {
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e);
        }
    }

    private void loop(int member) {
        long seen = 0;
        while (true) {
            long start = System.nanoTime();
            while (epoch == seen && !closed) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 1_000_000);
                }
            }
            if (closed) {
                return;
            }
            seen = epoch;
            Task t = task;
            try {
                t.run(member, size);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                remaining.decrementAndGet();
            }
        }
    }

    /** Stops the member threads; tasks may no longer be run. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        for (Thread w : workers) {
            try {
                w.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The share {@code [begin, end)} of {@code n} items that member {@code member} of {@code members} takes. */
    public static int begin(int n, int member, int members) {
        return (int) ((long) n * member / members);
    }

    /** @see #begin(int, int, int) */
    public static int end(int n, int member, int members) {
        return (int) ((long) n * (member + 1) / members);
    }
}
