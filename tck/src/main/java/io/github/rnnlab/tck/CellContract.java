package io.github.rnnlab.tck;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Map;

/**
 * The cell contract as jqwik properties. A plugin's test implements one method and inherits every law:
 * <pre>{@code
 * class MyCellTest implements CellContract {
 *     public CellProvider provider() { return new MyCellProvider(); }
 * }
 * }</pre>
 * Each law runs for random small cases — input and hidden sizes 1…7 with 16 and 17 now and then
 * (1, odd sizes, and sizes that are not multiples of the 16 float lanes of AVX-512), batch 1…4,
 * 3…6 steps, with and without padding — drawn from fixed seeds, so a run is reproducible. The laws
 * themselves are in {@link CellChecks} (tolerances documented there) and {@link GradientCheck}.
 *
 * <p>Override {@link #options()} for a cell that needs options, {@link #scenarios()} or
 * {@link #largeScenarios()} to change the cases.
 */
public interface CellContract {

    /** The fixed seed every property draws its cases from. */
    String SEED = "20240917";

    /** The provider under test. */
    CellProvider provider();

    /** Options every case's configuration carries (none by default). */
    default Map<String, String> options() {
        return Map.of();
    }

    /** The configuration for {@code inputSize} and {@code hiddenSize}, with {@link #options()}. */
    default CellConfig config(int inputSize, int hiddenSize) {
        return new CellConfig(inputSize, hiddenSize, options());
    }

    /** Small cases: sizes 1…7 (16, 17 sometimes), batch 1…4, 3…6 steps, every kind of padding. */
    @Provide
    default Arbitrary<Scenario> scenarios() {
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(1, 7)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(16, 17)));
        return Combinators.combine(size, size, Arbitraries.integers().between(1, 4), Arbitraries.integers().between(3, 6),
                        Arbitraries.of(Scenario.Padding.class), Arbitraries.longs())
                .as((in, h, b, t, pad, seed) -> new Scenario(config(in, h), b, t, pad, seed));
    }

    /**
     * Larger cases for the multi-threaded law, big enough that an engine splits the rows of a step
     * across threads: hidden 100…130, batch 6…11, 3…4 steps.
     */
    @Provide
    default Arbitrary<Scenario> largeScenarios() {
        return Combinators.combine(Arbitraries.integers().between(1, 40), Arbitraries.integers().between(100, 130),
                        Arbitraries.integers().between(6, 11), Arbitraries.integers().between(3, 4),
                        Arbitraries.of(Scenario.Padding.class), Arbitraries.longs())
                .as((in, h, b, t, pad, seed) -> new Scenario(config(in, h), b, t, pad, seed));
    }

    // ---- laws -------------------------------------------------------------------------------------

    /** Id, version, one-line description, h first, unique names. */
    @Example
    default void providerMetadataIsWellFormed() {
        CellChecks.metadata(provider()).orThrow();
    }

    /** The cell's layout is the specs resolved for the configuration; the parameter count follows from the shapes. */
    @Property(tries = 25, seed = SEED)
    default void layoutFollowsTheSpecs(@ForAll("scenarios") Scenario s) {
        CellChecks.layout(provider(), s.config()).orThrow();
    }

    /** An unknown option is rejected with InvalidConfigException naming it. */
    @Example
    default void unknownOptionIsRejected() {
        CellChecks.unknownOptionThrows(provider(), config(3, 2)).orThrow();
    }

    /** Backward equals central differences (float64, ε = 1e-6, |a − n| ≤ 1e-5 + 1e-3·|n|) for every parameter block, input and initial state. */
    @Property(tries = 40, seed = SEED)
    default void gradientsMatchFiniteDifferences(@ForAll("scenarios") Scenario s) {
        CellChecks.gradients(provider(), s).orThrow();
    }

    /** float32 agrees with float64 within {@link CellChecks#F32_TOLERANCE} of each block's scale, forward and backward. */
    @Property(tries = 40, seed = SEED)
    default void float32AgreesWithFloat64(@ForAll("scenarios") Scenario s) {
        CellChecks.float32AgreesWithFloat64(provider(), s).orThrow();
    }

    /** The Vector API kernels and their scalar twins agree within {@link CellChecks#VARIANT_TOLERANCE}. */
    @Property(tries = 15, seed = SEED)
    default void simdOnAndOffAgree(@ForAll("scenarios") Scenario s) {
        CellChecks.simdOnAndOffAgree(provider(), s).orThrow();
    }

    /** Two threads agree with one within {@link CellChecks#VARIANT_TOLERANCE}, on cases large enough to be split. */
    @Property(tries = 4, seed = SEED)
    default void aTeamAgreesWithOneThread(@ForAll("largeScenarios") Scenario s) {
        CellChecks.teamAgreesWithOneThread(provider(), s, 2).orThrow();
    }

    /** Streaming one step at a time equals the chunked forward (and inference equals the training forward). */
    @Property(tries = 20, seed = SEED)
    default void stepByStepEqualsChunked(@ForAll("scenarios") Scenario s) {
        CellChecks.streamingEqualsChunked(provider(), s).orThrow();
    }

    /** A padded step is a skipped step; padded outputs are 0. */
    @Property(tries = 20, seed = SEED)
    default void paddedStepsAreSkippedSteps(@ForAll("scenarios") Scenario s) {
        CellChecks.paddedStepsAreSkippedSteps(provider(), s).orThrow();
    }

    /** Same seed, same bits: across calls and cell instances, in float64 and float32. */
    @Property(tries = 10, seed = SEED)
    default void deterministicForAFixedSeed(@ForAll("scenarios") Scenario s) {
        CellChecks.deterministic(provider(), s).orThrow();
    }

    /** A null output or final-state gradient means zero; input and initial-state gradients are optional. */
    @Property(tries = 10, seed = SEED)
    default void nullGradientBuffersMeanZero(@ForAll("scenarios") Scenario s) {
        CellChecks.nullGradientsMeanZero(provider(), s).orThrow();
    }

    /** Inputs are not modified and writes stay inside their regions. */
    @Property(tries = 15, seed = SEED)
    default void inputsAreNotModified(@ForAll("scenarios") Scenario s) {
        CellChecks.inputsUnmodified(provider(), s).orThrow();
    }

    /** A wrong input size throws ShapeException with "expected n, got m". */
    @Property(tries = 10, seed = SEED)
    default void wrongInputSizeThrows(@ForAll("scenarios") Scenario s) {
        CellChecks.wrongInputSizeThrows(provider(), s).orThrow();
    }

    /** Zero steps pass state and gradient through; zero rows do nothing. */
    @Property(tries = 5, seed = SEED)
    default void emptyChunksAreHarmless(@ForAll("scenarios") Scenario s) {
        CellChecks.emptyChunks(provider(), s.config(), s.seed()).orThrow();
    }

    /** Orthogonal init: every singular value of each weight block equals the gain within 1e-5. */
    @Property(tries = 25, seed = SEED)
    default void orthogonalInitIsOrthogonal(@ForAll("scenarios") Scenario s,
                                            @ForAll("gains") double gain) {
        CellChecks.orthogonalInit(provider(), s.config(), gain, s.seed()).orThrow();
    }

    /** Gains for the orthogonal law: 1 most of the time. */
    @Provide
    default Arbitrary<Double> gains() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.just(1.0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0.5, 2.0)));
    }
}
