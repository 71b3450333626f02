package io.github.rnnlab.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one vector species every float kernel uses, chosen once at class initialisation, and the
 * switch between the Vector API kernels and their scalar twins.
 *
 * <p>{@code -Drnnlab.simd=false} makes {@link #ENABLED} false: every kernel entry point that does
 * not name its variant then runs the scalar twin. Both variants stay callable by name
 * ({@code ...Simd}/{@code ...Scalar}) so that tests and benchmarks can compare them in one JVM.
 */
public final class Simd {
    /** The preferred float species of this CPU (16 lanes with AVX-512, 8 with AVX2). */
    public static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

    /** Lanes per float vector of {@link #FLOATS}. */
    public static final int LANES = FLOATS.length();

    /** Whether the default entry points run the Vector API kernels ({@code -Drnnlab.simd}, default true). */
    public static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("rnnlab.simd", "true").trim());

    /** Lane permutations i ↦ i ⊕ h for h = LANES/2, …, 1: the levels of {@link #sum}'s tree. */
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Float>[] PAIRS = new VectorShuffle[Integer.numberOfTrailingZeros(LANES)];

    static {
        for (int level = 0, h = LANES / 2; h >= 1; level++, h /= 2) {
            int half = h;
            PAIRS[level] = VectorShuffle.fromOp(FLOATS, i -> i ^ half);
        }
    }

    private Simd() {
    }

    /**
     * {@code Σᵢ vᵢ}, the lanes of {@code v} summed in one fixed order: a pairwise tree that adds lane i
     * to lane i ⊕ h for h = LANES/2, …, 1. Every kernel reduces float lanes through this method rather
     * than {@code reduceLanes(ADD)}, whose order is unspecified and does differ between interpreted and
     * C2-compiled code on JDK 25, which would make results depend on JIT timing and break bit-for-bit
     * reproducibility. (On this order: it is also what JDK 25's compiled {@code reduceLanes} does, and
     * it is faster than JDK 17's lane-by-lane one.)
     */
    public static float sum(FloatVector v) {
        for (VectorShuffle<Float> pair : PAIRS) {
            v = v.add(v.rearrange(pair));
        }
        return v.lane(0);
    }

    /** One line for logs, benchmark output and {@code rnnlab info}, e.g. {@code "simd=on species=Species[float, 16, S_512_BIT]"}. */
    public static String describe() {
        return "simd=" + (ENABLED ? "on" : "off") + " species=" + FLOATS + " lanes=" + LANES;
    }
}
