package io.github.rnnlab.kernel;

/** Whether a GEMM operand is used as stored or transposed, as BLAS's {@code 'N'} and {@code 'T'}. */
public enum Transpose {
    /** op(X) = X. */
    NO,
    /** op(X) = Xᵀ. */
    YES
}
