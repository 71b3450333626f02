package io.github.rnnlab.numeric;

import io.github.rnnlab.kernel.Transpose;
import io.github.rnnlab.kernel.WorkerTeam;

/**
 * The numeric operations a cell or layer is written against, once, for both precisions: {@code A} is
 * the storage type, {@code float[]} ({@link F32Ops}, the Vector API kernels) or {@code double[]}
 * ({@link F64Ops}, the float64 reference path used for gradient checks).
 *
 * <p>Conventions, as in the kernels of {@code io.github.rnnlab.kernel}: a vector is (array, offset)
 * with {@code n} contiguous elements; a matrix is row-major (array, offset, row stride). Inputs are
 * not modified; outputs are written and may be the same region as an input wherever the formula is
 * elementwise. Scalars are passed as {@code double} and rounded to the storage precision. No method
 * allocates except {@link #allocate}.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public interface Ops<A> {

    /** The precision of {@code A}. */
    Precision precision();

    /** Whether float kernels run on the Vector API (always false for float64). */
    boolean simd();

    /** The team GEMMs are split across, or null for the calling thread alone. */
    WorkerTeam team();

    // ---- storage --------------------------------------------------------------------------

    /** A new zeroed array of {@code n} elements. */
    A allocate(int n);

    /** The number of elements of {@code a}. */
    int length(A a);

    /** Element {@code i} of {@code a}, widened to double. */
    double get(A a, int i);

    /** Sets element {@code i} of {@code a} to {@code v}, rounded to the storage precision. */
    void set(A a, int i, double v);

    /** Copies {@code n} elements. Regions may overlap (as {@link System#arraycopy}). */
    void copy(int n, A src, int srcOff, A dst, int dstOff);

    /** Sets {@code n} elements to {@code value}. */
    void fill(int n, double value, A dst, int dstOff);

    /** Copies {@code n} doubles into {@code dst}, rounding to the storage precision. */
    void fromDoubles(int n, double[] src, int srcOff, A dst, int dstOff);

    /** Copies {@code n} elements of {@code src} into {@code dst}, widened to double. */
    void toDoubles(int n, A src, int srcOff, double[] dst, int dstOff);

    // ---- BLAS -----------------------------------------------------------------------------

    /**
     * {@code C = α·op(A)·op(B) + β·C}: op(A) m×k, op(B) k×n, C m×n (A stored k×m when {@code ta} is
     * YES; B stored n×k when {@code tb} is YES). With β = 0 the old C is ignored. Split across
     * {@link #team()} when it has more than one member.
     */
    void gemm(Transpose ta, Transpose tb, int m, int n, int k, double alpha,
              A a, int aOff, int lda, A b, int bOff, int ldb, double beta, A c, int cOff, int ldc);

    // ---- packed right operands (the weights of a recurrent step) -----------------------------

    /**
     * Elements {@link #packRight} writes for a k×n right operand. The default is {@code k·n} (op(B)
     * copied row-major); float32 pads n to whole slivers of its Vector API kernel. Never more than
     * {@link io.github.rnnlab.kernel.PackedGemm#packedSize}, so a buffer of that size fits every precision.
     */
    default int packedSize(int k, int n) {
        return k * n;
    }

    /**
     * Lays out op(B), k×n, in {@code packed} from {@code pOff} ({@link #packedSize} elements written)
     * for {@link #gemmPacked}: a right operand that multiplies many left operands (a recurrent
     * step's weights) is packed once instead of at every product. B is stored k×n ({@code tb} NO) or
     * n×k (YES) with row stride ldb and is not modified. The default copies op(B) row-major.
     */
    default void packRight(Transpose tb, int k, int n, A b, int bOff, int ldb, A packed, int pOff) {
        packRight(tb, k, n, 0, n, b, bOff, ldb, packed, pOff);
    }

    /**
     * A part of {@link #packRight(Transpose, int, int, Object, int, int, Object, int)}, for a team
     * packing in parallel: calls whose column ranges [j0, j1) partition [0, n) together write the whole
     * layout, each element once (float32 packs the slivers whose first column lies in the range). The
     * default copies columns [j0, j1) of op(B) row-major.
     */
    default void packRight(Transpose tb, int k, int n, int j0, int j1, A b, int bOff, int ldb, A packed, int pOff) {
        if (j0 < 0 || j1 < j0 || j1 > n) {
            throw new io.github.rnnlab.ShapeException("packed columns: expected 0 <= j0 <= j1 <= n = " + n
                    + ", got [" + j0 + ", " + j1 + ")");
        }
        for (int p = 0; p < k; p++) {
            if (tb == Transpose.NO) {
                copy(j1 - j0, b, bOff + p * ldb + j0, packed, pOff + p * n + j0);
            } else {
                for (int j = j0; j < j1; j++) {
                    set(packed, pOff + p * n + j, get(b, bOff + j * ldb + p));
                }
            }
        }
    }

    /**
     * {@code C = A·op(B) + β·C} with op(B) (k×n) laid out by {@link #packRight}: A m×k (stride lda), C
     * m×n (stride ldc), β = 0 ignores the old C. Runs on the calling thread, never split across
     * {@link #team()} (a caller splitting a step gives each member its own rows), and each row of C
     * gets the same value whatever rows are computed with it. The default is {@link #gemm} on the
     * row-major copy.
     */
    default void gemmPacked(int m, int n, int k, A a, int aOff, int lda, A packed, int pOff,
                            double beta, A c, int cOff, int ldc) {
        gemmPacked(m, n, k, 0, n, a, aOff, lda, packed, pOff, beta, c, cOff, ldc);
    }

    /**
     * {@link #gemmPacked(int, int, int, Object, int, int, Object, int, double, Object, int, int)} for the
     * columns [j0, j1) of C only (0 ≤ j0 ≤ j1 ≤ n), e.g. a team member's hidden units: C's other
     * columns are neither read nor written, and each computed element equals the one the whole product
     * gives. {@code cOff} is column 0 of C.
     */
    default void gemmPacked(int m, int n, int k, int j0, int j1, A a, int aOff, int lda, A packed, int pOff,
                            double beta, A c, int cOff, int ldc) {
        if (j0 < 0 || j1 < j0 || j1 > n) {
            throw new io.github.rnnlab.ShapeException("packed gemm columns: expected 0 <= j0 <= j1 <= n = " + n
                    + ", got [" + j0 + ", " + j1 + ")");
        }
        gemm(Transpose.NO, Transpose.NO, m, j1 - j0, k, 1.0, a, aOff, lda, packed, pOff + j0, Math.max(1, n),
                beta, c, cOff + j0, ldc);
    }

    /** {@code y += α·x}. */
    void axpy(int n, double alpha, A x, int xOff, A y, int yOff);

    /** {@code x *= α}. */
    void scale(int n, double alpha, A x, int xOff);

    /** {@code Σ xᵢ·yᵢ}. */
    double dot(int n, A x, int xOff, A y, int yOff);

    /** {@code Σ xᵢ}. */
    double sum(int n, A x, int xOff);

    /** {@code Σ xᵢ²}. */
    double sumSquares(int n, A x, int xOff);

    /** {@code max xᵢ} (NaN if any element is NaN, −∞ if n = 0). */
    double max(int n, A x, int xOff);

    /** The index of the first largest element relative to {@code xOff} (the first NaN if any; −1 if n = 0). */
    int argmax(int n, A x, int xOff);

    // ---- elementwise ----------------------------------------------------------------------

    /** {@code z = x + y}. */
    void add(int n, A x, int xOff, A y, int yOff, A z, int zOff);

    /** {@code z = x − y}. */
    void sub(int n, A x, int xOff, A y, int yOff, A z, int zOff);

    /** {@code z = x ⊙ y}. */
    void mul(int n, A x, int xOff, A y, int yOff, A z, int zOff);

    /** {@code z += x ⊙ y}. */
    void addMul(int n, A x, int xOff, A y, int yOff, A z, int zOff);

    /**
     * {@code y = α·x + β} elementwise (e.g. {@code 1 − z} with α = −1, β = 1; y may be x). The default
     * is a plain loop over {@link #get}/{@link #set}; implementations may replace it with a kernel.
     */
    default void affine(int n, double alpha, A x, int xOff, double beta, A y, int yOff) {
        for (int i = 0; i < n; i++) {
            set(y, yOff + i, alpha * get(x, xOff + i) + beta);
        }
    }

    /**
     * {@code C += Aᵀ}: A rows×cols (stride lda, not modified), C cols×rows (stride ldc). The default
     * is a plain loop over {@link #get}/{@link #set}; implementations may replace it with a kernel.
     */
    default void addTransposed(int rows, int cols, A a, int aOff, int lda, A c, int cOff, int ldc) {
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                set(c, cOff + j * ldc + i, get(c, cOff + j * ldc + i) + get(a, aOff + i * lda + j));
            }
        }
    }

    /** {@code C[i,:] += v} for each row of C (rows×cols, stride ldc); v: cols. */
    void addRowVector(int rows, int cols, A v, int vOff, A c, int cOff, int ldc);

    /** {@code out += Σᵢ A[i,:]}: A rows×cols (stride lda); out: cols. */
    void addColumnSums(int rows, int cols, A a, int aOff, int lda, A out, int outOff);

    // ---- activations (y = f(x)) and derivatives (dx = dy ⊙ f') ------------------------------

    /** {@code y = σ(x)}. */
    void sigmoid(int n, A x, int xOff, A y, int yOff);

    /** {@code y = tanh(x)}. */
    void tanh(int n, A x, int xOff, A y, int yOff);

    /** {@code y = max(x, 0)}. */
    void relu(int n, A x, int xOff, A y, int yOff);

    /** {@code y = log(1 + eˣ)}. */
    void softplus(int n, A x, int xOff, A y, int yOff);

    /** {@code y = x·σ(x)}. */
    void silu(int n, A x, int xOff, A y, int yOff);

    /** {@code y = eˣ}. */
    void exp(int n, A x, int xOff, A y, int yOff);

    /** {@code dx = dy ⊙ y(1 − y)} from the output {@code y = σ(x)}. */
    void sigmoidBackward(int n, A y, int yOff, A dy, int dyOff, A dx, int dxOff);

    /** {@code dx = dy ⊙ (1 − y²)} from the output {@code y = tanh(x)}. */
    void tanhBackward(int n, A y, int yOff, A dy, int dyOff, A dx, int dxOff);

    /** {@code dx = dy ⊙ [y > 0]} from the output {@code y = relu(x)}. */
    void reluBackward(int n, A y, int yOff, A dy, int dyOff, A dx, int dxOff);

    /** {@code dx = dy ⊙ σ(x)} from the input x of softplus. */
    void softplusBackward(int n, A x, int xOff, A dy, int dyOff, A dx, int dxOff);

    /** {@code dx = dy ⊙ σ(x)(1 + x(1 − σ(x)))} from the input x of silu. */
    void siluBackward(int n, A x, int xOff, A dy, int dyOff, A dx, int dxOff);

    /** Row-wise stable {@code y = x − log Σ eˣ}: X, Y rows×cols with strides ldx, ldy (Y may be X). */
    void logSoftmax(int rows, int cols, A x, int xOff, int ldx, A y, int yOff, int ldy);
}
