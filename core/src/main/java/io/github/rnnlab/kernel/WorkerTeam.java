package io.github.rnnlab.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A persistent team of threads that run one {@link Task} together and return when every share of it
 * is done (fork-join without a task per call: the threads live as long as the team).
 *
 * <p>A task of a team of {@code size} is cut into {@code size} shares, numbered 0…size-1; the task
 * is called once per share as {@code run(share, size)}. The calling thread runs share 0 and
 * {@code size - 1} daemon threads take the others; a share that no worker has claimed by the time
 * the caller is done with its own is run by the caller too. So a worker that the operating system
 * has not scheduled (other processes on a small machine) delays a fork-join by at most one share
 * rather than by a scheduling quantum. Tasks must therefore not assume which thread runs a share,
 * only that each share runs exactly once, on one thread, before {@link #run} returns.
 *
 * <p>Between tasks the workers spin briefly (a time-step loop hands them the next task within
 * microseconds) and then park; the caller wakes only parked workers. A task that itself calls
 * {@link #run} on the same team, or a second thread calling while the team is busy, runs the inner
 * task on the calling thread alone, as share 0 of 1, so kernels may use the team without knowing
 * whether they are already inside a parallel region. The team owns no numeric state; it is closed
 * with {@link #close()}.
 */
public final class WorkerTeam implements AutoCloseable {

    /** Work for the whole team: share {@code member} of {@code members} is done by one call. */
    @FunctionalInterface
    public interface Task {
        void run(int member, int members);
    }

    /** How long a worker spins for the next task before parking. */
    private static final long SPIN_NANOS = 100_000;

    private final int size;
    private final Thread[] workers;
    /** Generation (high 32 bits) and next unclaimed share (low 32 bits) of the current task. */
    private final AtomicLong claims = new AtomicLong();
    /** Shares of the current task not yet finished. */
    private final AtomicInteger remaining = new AtomicInteger();
    /** 1 while worker i-1 is parked (or about to park). */
    private final AtomicIntegerArray sleeping;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Task task;
    /** The generation of the current task; workers wait for it to change. */
    private volatile int generation;
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
        this.sleeping = new AtomicIntegerArray(Math.max(1, size - 1));
        for (int i = 0; i < workers.length; i++) {
            int index = i;
            Thread t = new Thread(() -> loop(index), "rnnlab-worker-" + (i + 1));
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
     * Runs every share of {@code t} and waits for all of them. Re-entrant calls (from inside a task
     * of this team) and calls from a second thread while the team is busy run {@code t} on the
     * calling thread alone, as share 0 of 1.
     *
     * @throws RuntimeException the first exception a share threw (wrapped if checked); the other
     *                          shares still ran to completion
     * @throws IllegalStateException if the team is closed
     */
    public void run(Task t) {
        run(t, true);
    }

    /**
     * Runs every share of {@code t} at the same time, each on a thread of its own, so that shares may
     * wait for each other at a {@link Barrier} (a time loop that runs inside one task, its members meeting
     * once per step, rather than a fork-join per step). Unlike {@link #run}, the caller never takes a share
     * that no worker has claimed yet (that share's thread is the one the others wait for): it waits for the
     * workers instead, so a worker the operating system has not scheduled delays the whole task. Re-entrant
     * calls and calls while the team is busy run {@code t} on the calling thread as share 0 of 1 (where a
     * barrier has nobody to wait for). A share that throws {@linkplain #failed() fails the task}: the others
     * leave their barriers by throwing too, and this method throws the first exception.
     *
     * @throws RuntimeException the first exception a share threw (wrapped if checked)
     * @throws IllegalStateException if the team is closed
     */
    public void runTogether(Task t) {
        run(t, false);
    }

    /** Whether a share of the current task has thrown (the other shares should stop waiting for it). */
    boolean failed() {
        return failure.get() != null;
    }

    private void run(Task t, boolean steal) {
        if (closed) {
            throw new IllegalStateException("the worker team is closed");
        }
        if (size == 1 || owner != null) {
            t.run(0, 1);
            return;
        }
        synchronized (this) {
            if (owner != null) {
                t.run(0, 1);
                return;
            }
            owner = Thread.currentThread();
        }
        try {
            int gen = generation + 1;
            failure.set(null);
            remaining.set(size);
            task = t;
            claims.set((long) gen << 32 | 1); // share 0 is the caller's
            generation = gen;
            for (int i = 0; i < workers.length; i++) {
                if (sleeping.get(i) != 0) {
                    LockSupport.unpark(workers[i]);
                }
            }
            runShare(t, 0);
            for (int s; steal && (s = claim(gen)) >= 0; ) { // shares no worker has taken yet
                runShare(t, s);
            }
            long start = System.nanoTime();
            for (int spins = 0; remaining.get() > 0; spins++) {
                if ((spins & 63) != 0 || System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            task = null;
        } finally {
            owner = null;
        }
        Throwable e = failure.getAndSet(null);
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

    /** Claims the next share of generation {@code gen}, or returns -1 if none is left (or the task moved on). */
    private int claim(int gen) {
        while (true) {
            long c = claims.get();
            int share = (int) c;
            if ((int) (c >>> 32) != gen || share >= size) {
                return -1;
            }
            if (claims.compareAndSet(c, c + 1)) {
                return share;
            }
        }
    }

    private void runShare(Task t, int share) {
        try {
            t.run(share, size);
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        } finally {
            remaining.decrementAndGet();
        }
    }

    private void loop(int index) {
        int seen = 0;
        while (true) {
            long start = System.nanoTime();
            for (int spins = 0; generation == seen && !closed; spins++) {
                if ((spins & 63) != 0 || System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    sleeping.set(index, 1);
                    if (generation == seen && !closed) { // re-check after announcing: no lost wake-up
                        LockSupport.parkNanos(this, 1_000_000);
                    }
                    sleeping.set(index, 0);
                }
            }
            if (closed) {
                return;
            }
            int gen = generation;
            seen = gen;
            Task t = task; // written before generation: at least this generation's task
            for (int s; t != null && (s = claim(gen)) >= 0; ) {
                runShare(t, s);
            }
        }
    }

    /** The worker threads (for tests). */
    Thread[] threads() {
        return workers.clone();
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

    /**
     * The members of one {@link #runTogether} task meeting at numbered rounds: {@link #await} returns
     * once every member has arrived at that round, and everything a member wrote before arriving is then
     * visible to every member (release on arrival, acquire on the wait). Rounds are numbered 1, 2, … in
     * the order the members reach them; a barrier is made for one task (its rounds start at 0 again in a
     * new one). Waiting spins, then yields; it gives up with an exception when another member has failed.
     * Each member's round sits on a cache line of its own, so arriving costs one line's transfer to the
     * members that wait for it.
     */
    public static final class Barrier {
        /** Longs between two members' rounds: 128 bytes, two cache lines (adjacent-line prefetch). */
        private static final int SPACING = 16;
        private final WorkerTeam team;
        private final AtomicLongArray rounds;

        /** A barrier for the members of a task of {@code team}. */
        public Barrier(WorkerTeam team) {
            this.team = team;
            this.rounds = new AtomicLongArray((team.size() + 1) * SPACING);
        }

        /**
         * Member {@code member} of {@code members} arrives at {@code round} and waits until all have.
         *
         * @throws IllegalStateException if another member of the task failed meanwhile
         */
        public void await(int member, int members, long round) {
            rounds.setRelease((member + 1) * SPACING, round);
            for (int other = 0; other < members; other++) {
                if (other == member) {
                    continue;
                }
                int at = (other + 1) * SPACING;
                long start = 0;
                for (int spins = 0; rounds.getAcquire(at) < round; spins++) {
                    if ((spins & 255) != 0) {
                        Thread.onSpinWait();
                        continue;
                    }
                    if (team.failed()) {
                        throw new IllegalStateException("another member of the team failed");
                    }
                    if (start == 0) {
                        start = System.nanoTime();
                    } else if (System.nanoTime() - start > SPIN_NANOS) {
                        Thread.yield();
                    }
                }
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

    /**
     * Where member {@code member}'s share of {@code n} items begins when the items are dealt in whole units of
     * {@code unit} (the last unit possibly short); it ends where member {@code member + 1}'s begins.
     */
    public static int begin(int n, int unit, int member, int members) {
        long units = (n + (long) unit - 1) / unit;
        return (int) Math.min(n, units * member / members * unit);
    }
}
