package io.github.rnnlab.kernel;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
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

    @Test
    void togetherTheMembersMeetAtEveryRoundAndSeeEachOthersWrites() {
        // three members, 3000 rounds: in round r each writes r into its slot, meets the others, and then must
        // read r in every slot (a member running ahead would have written r + 1, one left behind r - 1)
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            try (WorkerTeam team = new WorkerTeam(3)) {
                for (int task = 0; task < 3; task++) {
                    long[] slots = new long[3 * 16];
                    AtomicInteger mismatches = new AtomicInteger();
                    AtomicIntegerArray members = new AtomicIntegerArray(3);
                    WorkerTeam.Barrier barrier = new WorkerTeam.Barrier(team);
                    team.runTogether((member, count) -> {
                        members.set(member, count);
                        for (long round = 1; round <= 3000; round++) {
                            slots[member * 16] = round;
                            barrier.await(member, count, 2 * round - 1);
                            for (int other = 0; other < count; other++) {
                                if (slots[other * 16] != round) {
                                    mismatches.incrementAndGet();
                                }
                            }
                            barrier.await(member, count, 2 * round); // nobody writes round + 1 before all have read
                        }
                    });
                    assertEquals(0, mismatches.get());
                    for (int i = 0; i < 3; i++) {
                        assertEquals(3, members.get(i), "member " + i + " ran as one of 3");
                    }
                }
            }
        });
    }

    @Test
    void togetherAFailedMemberReleasesTheOthersAndItsExceptionIsThrown() {
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            try (WorkerTeam team = new WorkerTeam(3)) {
                for (int failing = 0; failing < 3; failing++) {
                    int f = failing;
                    IllegalArgumentException thrown = new IllegalArgumentException("member " + f + " failed");
                    WorkerTeam.Barrier barrier = new WorkerTeam.Barrier(team);
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> team.runTogether((member, count) -> {
                        for (long round = 1; round <= 100; round++) {
                            if (member == f && round == 50) {
                                throw thrown;
                            }
                            barrier.await(member, count, round);
                        }
                    }));
                    assertSame(thrown, e);
                }
                AtomicInteger runs = new AtomicInteger();
                team.runTogether((member, count) -> runs.incrementAndGet());
                assertEquals(3, runs.get(), "the team is usable after a failed task");
            }
        });
    }

    @Test
    void togetherInsideATaskRunsOnTheCallingMemberAloneAndItsBarrierDoesNotWait() {
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            try (WorkerTeam team = new WorkerTeam(2)) {
                AtomicIntegerArray inner = new AtomicIntegerArray(2);
                team.run((member, members) -> {
                    WorkerTeam.Barrier barrier = new WorkerTeam.Barrier(team);
                    team.runTogether((m2, n2) -> {
                        assertEquals(0, m2);
                        assertEquals(1, n2);
                        barrier.await(m2, n2, 1);
                        inner.incrementAndGet(member);
                    });
                });
                assertEquals(1, inner.get(0));
                assertEquals(1, inner.get(1));
            }
        });
    }

    @Test
    void togetherWakesParkedWorkers() throws InterruptedException {
        try (WorkerTeam team = new WorkerTeam(2)) {
            team.run((member, members) -> { });
            Thread.sleep(30); // well past the spin phase: the worker is parked, and share 1 must not be run by the caller
            java.util.List<Thread> ran = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            WorkerTeam.Barrier barrier = new WorkerTeam.Barrier(team);
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> team.runTogether((member, members) -> {
                ran.add(Thread.currentThread());
                barrier.await(member, members, 1);
            }));
            assertEquals(2, ran.size());
            assertTrue(ran.get(0) != ran.get(1), "both shares on one thread");
        }
    }
}
