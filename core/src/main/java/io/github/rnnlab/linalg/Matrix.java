package io.github.rnnlab.linalg;

import io.github.rnnlab.ShapeException;
import java.util.Arrays;

/**
 * An immutable dense matrix of doubles, row-major: element (i, j) of an m×n matrix is
 * {@code data[i·n + j]}. Small and plain on purpose: it is the input and output type of the
 * diagnostics' decompositions ({@link Svd}, {@link Eigenvalues}, {@link HouseholderQr}), not a
 * general linear-algebra library. Factories copy their arguments; {@link #toArray()} returns a copy.
 */
public final class Matrix {
    private final int rows;
    private final int cols;
    private final double[] data;

    private Matrix(int rows, int cols, double[] data) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /**
     * The m×n matrix whose row-major elements are {@code values} (copied).
     *
     * @throws ShapeException unless {@code values.length == rows·cols}
     */
    public static Matrix of(int rows, int cols, double... values) {
        checkDims(rows, cols);
        ShapeException.check("matrix elements (" + rows + "×" + cols + ")", (long) rows * cols, values.length);
        return new Matrix(rows, cols, values.clone());
    }

    /**
     * The m×n matrix at {@code a[offset + i·ld + j]} (a sub-matrix of a row-major array with leading
     * dimension {@code ld ≥ cols}). Not modified.
     */
    public static Matrix of(int rows, int cols, double[] a, int offset, int ld) {
        checkRegion(rows, cols, a.length, offset, ld);
        double[] d = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(a, offset + i * ld, d, i * cols, cols);
        }
        return new Matrix(rows, cols, d);
    }

    /**
     * The m×n matrix at {@code a[offset + i·ld + j]}, widened to double: for example a weight block
     * inside a float32 parameter vector. Not modified.
     */
    public static Matrix ofFloats(int rows, int cols, float[] a, int offset, int ld) {
        checkRegion(rows, cols, a.length, offset, ld);
        double[] d = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                d[i * cols + j] = a[offset + i * ld + j];
            }
        }
        return new Matrix(rows, cols, d);
    }

    /** The n×n identity. */
    public static Matrix identity(int n) {
        checkDims(n, n);
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            d[i * n + i] = 1;
        }
        return new Matrix(n, n, d);
    }

    /** The square diagonal matrix diag(values). */
    public static Matrix diagonal(double... values) {
        int n = values.length;
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            d[i * n + i] = values[i];
        }
        return new Matrix(n, n, d);
    }

    /** The m×n matrix of zeros. */
    public static Matrix zeros(int rows, int cols) {
        checkDims(rows, cols);
        return new Matrix(rows, cols, new double[rows * cols]);
    }

    /** Wraps an array the caller gives up (package use: results of the decompositions). */
    static Matrix wrap(int rows, int cols, double[] data) {
        return new Matrix(rows, cols, data);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public double get(int i, int j) {
        if (i < 0 || i >= rows || j < 0 || j >= cols) {
            throw new IndexOutOfBoundsException("(i, j): expected i < " + rows + " and j < " + cols + ", got (" + i + ", " + j + ")");
        }
        return data[i * cols + j];
    }

    /** A copy of the row-major elements. */
    public double[] toArray() {
        return data.clone();
    }

    /** Aᵀ. */
    public Matrix transpose() {
        double[] t = new double[data.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = data[i * cols + j];
            }
        }
        return new Matrix(cols, rows, t);
    }

    /**
     * A·B.
     *
     * @throws ShapeException if {@code cols() != b.rows()}
     */
    public Matrix times(Matrix b) {
        ShapeException.check("matrix product inner dimension (rows of B)", cols, b.rows);
        double[] c = new double[rows * b.cols];
        for (int i = 0; i < rows; i++) {
            for (int p = 0; p < cols; p++) {
                double aip = data[i * cols + p];
                if (aip == 0) {
                    continue;
                }
                for (int j = 0; j < b.cols; j++) {
                    c[i * b.cols + j] += aip * b.data[p * b.cols + j];
                }
            }
        }
        return new Matrix(rows, b.cols, c);
    }

    /** A·x for a vector x of length {@code cols()}. */
    public double[] times(double[] x) {
        ShapeException.check("matrix-vector product vector length", cols, x.length);
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += data[i * cols + j] * x[j];
            }
            y[i] = s;
        }
        return y;
    }

    /** Aᵀ·x for a vector x of length {@code rows()}. */
    public double[] transposeTimes(double[] x) {
        ShapeException.check("transposed matrix-vector product vector length", rows, x.length);
        double[] y = new double[cols];
        for (int i = 0; i < rows; i++) {
            double xi = x[i];
            for (int j = 0; j < cols; j++) {
                y[j] += data[i * cols + j] * xi;
            }
        }
        return y;
    }

    /** A − B. */
    public Matrix minus(Matrix b) {
        ShapeException.check("matrix difference rows", rows, b.rows);
        ShapeException.check("matrix difference columns", cols, b.cols);
        double[] c = new double[data.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = data[i] - b.data[i];
        }
        return new Matrix(rows, cols, c);
    }

    /** ‖A‖_F = √(Σ a_ij²), computed with scaling so it cannot overflow. */
    public double frobeniusNorm() {
        double scale = maxAbs();
        if (scale == 0 || !Double.isFinite(scale)) {
            return scale;
        }
        double s = 0;
        for (double v : data) {
            double x = v / scale;
            s += x * x;
        }
        return scale * Math.sqrt(s);
    }

    /** max |a_ij| (0 for an empty matrix). */
    public double maxAbs() {
        double m = 0;
        for (double v : data) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Throws {@link NonFiniteMatrixException} naming the first NaN or infinite element. */
    public void requireFinite(String what) {
        for (int k = 0; k < data.length; k++) {
            if (!Double.isFinite(data[k])) {
                throw new NonFiniteMatrixException(what + ": expected finite elements, got " + data[k] + " at ("
                        + k / cols + ", " + k % cols + ") of a " + rows + "×" + cols + " matrix");
            }
        }
    }

    double[] data() {
        return data;
    }

    private static void checkDims(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new ShapeException("matrix dimensions: expected ≥ 0, got " + rows + "×" + cols);
        }
    }

    private static void checkRegion(int rows, int cols, int length, int offset, int ld) {
        checkDims(rows, cols);
        if (ld < cols) {
            throw new ShapeException("leading dimension: expected at least " + cols + ", got " + ld);
        }
        long needed = rows == 0 ? 0 : (long) (rows - 1) * ld + cols;
        ShapeException.checkRegion(rows + "×" + cols + " matrix with leading dimension " + ld, length, offset, needed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Matrix ").append(rows).append("×").append(cols);
        if (data.length <= 64) {
            for (int i = 0; i < rows; i++) {
                sb.append(i == 0 ? " [" : ", ").append(Arrays.toString(Arrays.copyOfRange(data, i * cols, (i + 1) * cols)));
            }
            sb.append(rows > 0 ? "]" : " []");
        }
        return sb.toString();
    }
}
