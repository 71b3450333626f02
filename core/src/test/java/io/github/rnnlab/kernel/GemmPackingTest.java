package io.github.rnnlab.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The packing routines of {@link GemmSimd} against their definitions, including zero padding. */
class GemmPackingTest {

    @Test
    void transposedBIsPackedIntoZeroPaddedSlivers() {
        int nr = GemmSimd.NR;
        for (int kc : new int[]{1, 3, 15, 16, 17, 40, 64}) {
            for (int nc : new int[]{1, 4, 15, 16, 17, 31, 32, 33, 64, 70}) {
                int ldb = kc + 3, src = 5;
                float[] b = GemmProperties.random(src + nc * ldb, kc * 31L + nc);
                int slivers = (nc + nr - 1) / nr;
                float[] bp = new float[slivers * nr * kc];
                java.util.Arrays.fill(bp, Float.NaN); // every slot must be written
                GemmSimd.packTransposedB(kc, nc, b, src, ldb, bp);
                for (int s = 0; s < slivers; s++) {
                    for (int p = 0; p < kc; p++) {
                        for (int jj = 0; jj < nr; jj++) {
                            int j = s * nr + jj;
                            float expected = j < nc ? b[src + j * ldb + p] : 0f;
                            assertEquals(expected, bp[s * nr * kc + p * nr + jj], "kc=" + kc + " nc=" + nc + " p=" + p + " j=" + j);
                        }
                    }
                }
            }
        }
    }

    @Test
    void bAndAPanelsFollowTheirLayouts() {
        int nr = GemmSimd.NR;
        int kc = 21, nc = 45, ldb = 50, mc = 29, lda = 30;
        float[] b = GemmProperties.random(kc * ldb, 1);
        float[] bp = new float[2 * nr * kc];
        GemmSimd.packB(kc, nc, b, 0, ldb, bp);
        for (int j = 0; j < 2 * nr; j++) {
            for (int p = 0; p < kc; p++) {
                float expected = j < nc ? b[p * ldb + j] : 0f;
                assertEquals(expected, bp[(j / nr) * nr * kc + p * nr + j % nr]);
            }
        }
        float[] a = GemmProperties.random(mc * lda, 2);
        float[] ap = new float[kc * (mc + 12)];
        float[] apT = new float[kc * (mc + 12)];
        float[] aT = new float[kc * mc]; // A stored transposed: kc × mc
        for (int i = 0; i < mc; i++) {
            for (int p = 0; p < kc; p++) {
                aT[p * mc + i] = a[i * lda + p];
            }
        }
        GemmSimd.packA(kc, mc, 2f, a, 0, lda, ap);
        GemmSimd.packTransposedA(kc, mc, 2f, aT, 0, mc, apT);
        int o = 0;
        for (int ir = 0; ir < mc; ) {
            int h = GemmSimd.panelHeight(mc - ir), v = Math.min(h, mc - ir);
            for (int p = 0; p < kc; p++) {
                for (int r = 0; r < h; r++) {
                    float expected = r < v ? 2f * a[(ir + r) * lda + p] : 0f;
                    assertEquals(expected, ap[o + p * h + r], "packA row " + (ir + r) + " p " + p);
                    assertEquals(expected, apT[o + p * h + r], "packTransposedA row " + (ir + r) + " p " + p);
                }
            }
            ir += v;
            o += h * kc;
        }
    }

    @Test
    void aPanelsFollowTheirLayoutForEveryCountOfRows() {
        // whole 12-row panels are gathered (16 lanes, the last four spilling into the next row), the rest interleaved
        for (int mc : new int[]{1, 2, 5, 11, 12, 13, 24, 29, 36, 47}) {
            for (int kc : new int[]{1, 2, 5, 16, 21}) {
                for (float alpha : new float[]{1f, -0.5f}) {
                    int lda = kc + 2, src = 3;
                    float[] a = GemmProperties.random(src + mc * lda, mc * 131L + kc);
                    float[] ap = new float[kc * (mc + 12)];
                    java.util.Arrays.fill(ap, Float.NaN); // every slot of every panel must be written
                    GemmSimd.packA(kc, mc, alpha, a, src, lda, ap);
                    int o = 0;
                    for (int ir = 0; ir < mc; ) {
                        int h = GemmSimd.panelHeight(mc - ir), v = Math.min(h, mc - ir);
                        for (int p = 0; p < kc; p++) {
                            for (int r = 0; r < h; r++) {
                                float expected = r < v ? alpha * a[src + (ir + r) * lda + p] : 0f;
                                assertEquals(expected, ap[o + p * h + r], "mc=" + mc + " kc=" + kc + " α=" + alpha
                                        + ": row " + (ir + r) + " p " + p);
                            }
                        }
                        ir += v;
                        o += h * kc;
                    }
                }
            }
        }
    }
}
