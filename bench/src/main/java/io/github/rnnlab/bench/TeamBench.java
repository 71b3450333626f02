package io.github.rnnlab.bench;

import io.github.rnnlab.kernel.WorkerTeam;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/*
 * What it measures: the latency of one fork-join of a WorkerTeam (WorkerTeam.run of a task that does
 * almost nothing), back to back — the fixed cost the RNN engine pays once or twice per time step when
 * it splits a GEMM across the team. threads = 1 is the baseline (the task runs on the caller).
 *
 * JIT pitfalls avoided: the task is one object created in @Setup (no capturing lambda allocated per
 * call); each member writes its own slot of a counter array and the sum is returned, so the work
 * cannot be eliminated; the team is started and stopped outside the measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TeamBench {

    @Param({"1", "2"})
    public int threads;

    private WorkerTeam team;
    private Touch task;

    /** Each member increments its own counter, 16 ints (a cache line) apart. */
    static final class Touch implements WorkerTeam.Task {
        final int[] counts = new int[16 * 8];

        @Override
        public void run(int member, int members) {
            counts[16 * member]++;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        team = new WorkerTeam(threads);
        task = new Touch();
        Species.log();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        team.close();
    }

    @Benchmark
    public int forkJoin() {
        team.run(task);
        return task.counts[0] + task.counts[16];
    }
}
