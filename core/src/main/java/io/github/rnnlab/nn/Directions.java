package io.github.rnnlab.nn;

/** How many directions a recurrent stack runs, and how a bidirectional layer merges them. */
public enum Directions {
    /** Forward in time only (PyTorch {@code bidirectional=False}). */
    FORWARD(1),
    /** Forward and backward, output {@code [h_fwd ; h_bwd]} (2H wide), as PyTorch {@code bidirectional=True}. */
    BIDIRECTIONAL_CONCAT(2),
    /** Forward and backward, output {@code h_fwd + h_bwd} (H wide). Not in PyTorch; the parameters are named the same. */
    BIDIRECTIONAL_SUM(2);

    private final int count;

    Directions(int count) {
        this.count = count;
    }

    /** 1 or 2: the D of PyTorch's state shape (D·layers, B, H). */
    public int count() {
        return count;
    }

    /** The width of a layer's output for direction width {@code h}. */
    public int outputWidth(int h) {
        return this == BIDIRECTIONAL_CONCAT ? 2 * h : h;
    }
}
