package io.github.rnnlab.kernel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SIMD kernels give the same bits whether the JIT has compiled them or not: a child JVM running
 * them interpreted ({@code -Xint}) prints the same checksum as this JVM after warming them up. Bit-for-
 * bit reproducibility of training ("same seed, same losses") rests on this; it failed on JDK 25 while
 * reductions used {@code reduceLanes(ADD)}, whose lane order differs between the interpreter and C2.
 */
class ReproducibilityTest {

    /** A checksum over every reducing kernel's output on fixed inputs (sizes not multiples of the lanes). */
    static long checksum() {
        int n = 3 * Simd.LANES + 5, m = 7;
        float[] x = new float[n], y = new float[n], a = new float[m * n], out = new float[Math.max(m, n)];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (Math.sin(1.7 * i) * Math.pow(10, i % 7 - 3));
            y[i] = (float) Math.cos(0.3 * i + 1);
        }
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (Math.sin(0.37 * i) * Math.pow(10, i % 5 - 2));
        }
        long h = 17;
        h = 31 * h + Float.floatToIntBits(VectorMath.dotSimd(n, x, 0, y, 0));
        h = 31 * h + Float.floatToIntBits(VectorMath.sumSimd(n, x, 0));
        h = 31 * h + Float.floatToIntBits(VectorMath.sumSquaresSimd(n, x, 0));
        VectorMath.gemvSimd(Transpose.NO, m, n, 1.5f, a, 0, n, x, 0, 0f, out, 0);
        for (int i = 0; i < m; i++) {
            h = 31 * h + Float.floatToIntBits(out[i]);
        }
        VectorMath.gemvSimd(Transpose.YES, n, m, 1.5f, a, 0, n, y, 0, 0f, out, 0);
        for (int i = 0; i < n; i++) {
            h = 31 * h + Float.floatToIntBits(out[i]);
        }
        float[] ls = new float[m * n];
        Activations.logSoftmaxSimd(m, n, a, 0, n, ls, 0, n);
        for (float v : ls) {
            h = 31 * h + Float.floatToIntBits(v);
        }
        float[] c = new float[m * m];
        Gemm.gemmSimd(Transpose.NO, Transpose.YES, m, m, n, 1f, a, 0, n, a, 0, n, 0f, c, 0, m);
        for (float v : c) {
            h = 31 * h + Float.floatToIntBits(v);
        }
        return h;
    }

    /** The child: prints the checksum. */
    public static void main(String[] args) {
        System.out.println(checksum());
    }

    @Test
    void interpretedAndCompiledKernelsGiveTheSameBits() throws IOException, InterruptedException {
        long compiled = 0;
        for (int i = 0; i < 20_000; i++) { // long enough for C2 to compile the kernels
            compiled = checksum();
        }
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xint", "-cp", System.getProperty("java.class.path"),
                ReproducibilityTest.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String printed = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the -Xint child did not finish");
        assertEquals(0, child.exitValue(), "child exit code");
        assertEquals(Long.toString(compiled), printed, "checksum of compiled kernels vs the same kernels under -Xint");
    }

    @Test
    void laneSumIsThePairwiseTree() {
        float[] v = new float[Simd.LANES];
        for (int trial = 0; trial < 100; trial++) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (Math.sin(trial * 31 + i * 7.1) * Math.pow(10, (i * trial) % 9 - 4));
            }
            float[] t = v.clone();
            for (int h = t.length / 2; h >= 1; h /= 2) { // lane i += lane i ⊕ h; lane 0 ends with the sum
                float[] u = t.clone();
                for (int i = 0; i < t.length; i++) {
                    u[i] = t[i] + t[i ^ h];
                }
                t = u;
            }
            assertEquals(Float.floatToIntBits(t[0]),
                    Float.floatToIntBits(Simd.sum(jdk.incubator.vector.FloatVector.fromArray(Simd.FLOATS, v, 0))));
        }
    }
}
