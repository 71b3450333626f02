package io.github.rnnlab.cell;

/** What a parameter block does, so that tools (initializers, diagnostics, clipping reports) can find it. */
public enum Role {
    /** Multiplies the input: PyTorch's {@code weight_ih}. */
    INPUT_WEIGHT,
    /** Multiplies the previous hidden state: PyTorch's {@code weight_hh}; diagnostics take its spectrum. */
    RECURRENT_WEIGHT,
    /** Added to the input projection: {@code bias_ih}. */
    INPUT_BIAS,
    /** Added to the recurrent projection: {@code bias_hh}. */
    RECURRENT_BIAS,
    /** Anything else (e.g. the SSM's {@code A_log}, {@code D}). */
    OTHER;

    /** Whether this is a bias ({@link #INPUT_BIAS} or {@link #RECURRENT_BIAS}): what PyTorch's {@code bias=False} leaves out. */
    public boolean isBias() {
        return this == INPUT_BIAS || this == RECURRENT_BIAS;
    }
}
