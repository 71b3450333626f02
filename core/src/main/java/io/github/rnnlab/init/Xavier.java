package io.github.rnnlab.init;

import io.github.rnnlab.cell.CellConfig;

/** Fan computation shared by the Xavier initializers. */
final class Xavier {
    private Xavier() {
    }

    static void checkGain(double gain) {
        if (!(gain > 0) || Double.isInfinite(gain)) {
            throw new IllegalArgumentException("a gain must be finite and positive, got " + gain);
        }
    }

    /** {@code fan_in + fan_out} of a matrix; vectors have no fans (as in PyTorch). */
    static double fanSum(int[] shape, String name) {
        if (shape.length != 2) {
            throw new CellConfig.InvalidConfigException(name + " needs a matrix (rows, cols): fan in and fan out cannot be"
                    + " computed for a block of shape " + java.util.Arrays.toString(shape));
        }
        return (double) shape[0] + shape[1];
    }
}
