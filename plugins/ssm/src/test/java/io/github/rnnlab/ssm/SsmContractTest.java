package io.github.rnnlab.ssm;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.tck.CellContract;
import io.github.rnnlab.tck.Scenario;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.Map;

/**
 * Every law of the rnnlab cell contract for the SSM: float64 finite differences for every parameter
 * block, the input and the initial state (with padding), float32 against float64, SIMD on against
 * off, a team of 2 against one thread, streaming against chunked, padded steps against skipped
 * steps, determinism, buffer discipline, errors. The cases draw the state size N from 1…4 (small, so
 * that the finite differences over the H·N initial state stay quick) and every scan mode; the
 * multi-threaded law's cases use {@code scan=parallel} half the time, so the parallel scan over time
 * runs on two members there.
 */
class SsmContractTest implements CellContract {
    @Override
    public CellProvider provider() {
        return new SsmProvider();
    }

    /** For the laws that build one configuration themselves. */
    @Override
    public Map<String, String> options() {
        return Map.of(SsmProvider.STATE_SIZE, "3");
    }

    private static Arbitrary<Map<String, String>> optionSets(Arbitrary<String> scans) {
        return Combinators.combine(Arbitraries.integers().between(1, 4), scans)
                .as((n, scan) -> Map.of(SsmProvider.STATE_SIZE, Integer.toString(n), SsmProvider.SCAN, scan));
    }

    @Override
    @Provide
    public Arbitrary<Scenario> scenarios() {
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(1, 7)),
                Tuple.of(1, Arbitraries.of(16, 17)));
        return Combinators.combine(size, size, Arbitraries.integers().between(1, 4), Arbitraries.integers().between(3, 6),
                        Arbitraries.of(Scenario.Padding.class), Arbitraries.longs(),
                        optionSets(Arbitraries.of("auto", "sequential", "parallel")))
                .as((in, h, b, t, pad, seed, opts) -> new Scenario(new CellConfig(in, h, opts), b, t, pad, seed));
    }

    @Override
    @Provide
    public Arbitrary<Scenario> largeScenarios() {
        return Combinators.combine(Arbitraries.integers().between(1, 40), Arbitraries.integers().between(100, 130),
                        Arbitraries.integers().between(1, 11), Arbitraries.integers().between(3, 40),
                        Arbitraries.of(Scenario.Padding.class), Arbitraries.longs(),
                        optionSets(Arbitraries.of("auto", "parallel")))
                .as((in, h, b, t, pad, seed, opts) -> new Scenario(new CellConfig(in, h, opts), b, t, pad, seed));
    }
}
