package io.github.rnnlab.kernel;

import jdk.incubator.vector.FloatVector;
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

    private Simd() {
    }

    /** One line for logs, benchmark output and {@code rnnlab info}, e.g. {@code "simd=on species=Species[float, 16, S_512_BIT]"}. */
    public static String describe() {
        return "simd=" + (ENABLED ? "on" : "off") + " species=" + FLOATS + " lanes=" + LANES;
    }
}
