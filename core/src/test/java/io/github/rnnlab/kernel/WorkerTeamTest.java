package io.github.rnnlab.kernel;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerTeamTest {

    @Test
    void everyMemberRunsOncePerTask() {
        try (WorkerTeam team = new WorkerTeam(3)) {
            for (int round = 0; round < 2000; round++) {
                AtomicIntegerArray seen = new AtomicIntegerArray(3);
                AtomicInteger sizes = new AtomicInteger();
                team.run((member, members) -> {
                    seen.incrementAndGet(member);
                    sizes.addAndGet(members);
                });
                for (int i = 0; i < 3; i++) {
                    assertEquals(1, seen.get(i), "member " + i + " in round " + round);
                }
                assertEquals(9, sizes.get());
            }
        }
    }

    @Test
    void shareZeroRunsOnTheCallerAndTheOthersOnTeamThreads() {
        try (WorkerTeam team = new WorkerTeam(3)) {
            java.util.List<Thread> allowed = new java.util.ArrayList<>(java.util.List.of(team.threads()));
            allowed.add(Thread.currentThread());
            for (int round = 0; round < 200; round++) {
                AtomicReferenceArray<Thread> threads = new AtomicReferenceArray<>(3);
                team.run((member, members) -> threads.set(member, Thread.currentThread()));
                assertSame(Thread.currentThread(), threads.get(0));
                for (int i = 1; i < 3; i++) {
                    assertTrue(allowed.contains(threads.get(i)), "share " + i + " ran on " + threads.get(i));
                }
            }
        }
    }

    @Test
    void sharesOverlapInTime() throws InterruptedException {
        // share 0 waits (bounded) until share 1 has started: they run at the same time on two threads
        try (WorkerTeam team = new WorkerTeam(2)) {
            Thread.sleep(20); // let the worker park first: the caller must wake it
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            boolean[] overlapped = new boolean[1];
            team.run((member, members) -> {
                if (member == 1) {
                    started.countDown();
                } else {
                    try {
                        overlapped[0] = started.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            assertTrue(overlapped[0], "the worker never started share 1 while the caller waited");
        }
    }

    @Test
    void exceptionsPropagateAndTheTeamStaysUsable() {
        try (WorkerTeam team = new WorkerTeam(2)) {
            IllegalArgumentException thrown = new IllegalArgumentException("member 1 failed");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> team.run((member, members) -> {
                if (member == 1) throw thrown;
            }));
            assertSame(thrown, e);
            AssertionError fromCaller = assertThrows(AssertionError.class, () -> team.run((member, members) -> {
                if (member == 0) throw new AssertionError("caller failed");
            }));
            assertEquals("caller failed", fromCaller.getMessage());
            AtomicInteger runs = new AtomicInteger();
            team.run((member, members) -> runs.incrementAndGet());
            assertEquals(2, runs.get());
        }
    }

    @Test
    void reentrantRunExecutesOnTheCallingMemberAlone() {
        try (WorkerTeam team = new WorkerTeam(2)) {
            AtomicIntegerArray inner = new AtomicIntegerArray(2);
            team.run((member, members) -> team.run((m2, n2) -> {
                assertEquals(0, m2);
                assertEquals(1, n2);
                inner.incrementAndGet(member);
            }));
            assertEquals(1, inner.get(0));
            assertEquals(1, inner.get(1));
        }
    }

    @Test
    void teamOfOneRunsOnTheCaller() {
        try (WorkerTeam team = new WorkerTeam(1)) {
            Thread[] ran = new Thread[1];
            team.run((member, members) -> {
                assertEquals(0, member);
                assertEquals(1, members);
                ran[0] = Thread.currentThread();
            });
            assertSame(Thread.currentThread(), ran[0]);
        }
        assertThrows(IllegalArgumentException.class, () -> new WorkerTeam(0));
    }

    @Test
    void closeStopsTheThreads() throws InterruptedException {
        WorkerTeam team = new WorkerTeam(3);
        team.run((member, members) -> { });
        Thread.sleep(5); // let the workers go from spinning to parking: close must wake them either way
        Thread[] workers = team.threads();
        assertEquals(2, workers.length);
        assertTrue(workers[0].isAlive() && workers[1].isAlive());
        team.close();
        assertFalse(workers[0].isAlive(), "worker 1 still running after close");
        assertFalse(workers[1].isAlive(), "worker 2 still running after close");
        assertThrows(IllegalStateException.class, () -> team.run((member, members) -> { }));
        team.close(); // idempotent
    }

    @Test
    void workersParkedForLongStillWakeUp() throws InterruptedException {
        try (WorkerTeam team = new WorkerTeam(2)) {
            team.run((member, members) -> { });
            Thread.sleep(30); // well past the spin phase
            AtomicInteger runs = new AtomicInteger();
            team.run((member, members) -> runs.incrementAndGet());
            assertEquals(2, runs.get());
            assertTrue(team.size() == 2);
        }
    }
}
