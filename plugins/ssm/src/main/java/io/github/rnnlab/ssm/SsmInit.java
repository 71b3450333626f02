package io.github.rnnlab.ssm;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.Initializer;
import io.github.rnnlab.numeric.Rng;

/**
 * The default initializers of the SSM's parameter blocks, as Mamba (Gu and Dao, "Mamba: Linear-Time
 * Sequence Modeling with Selective State Spaces", 2023) and S4D (Gu, Gupta, Goel and Ré, "On the
 * Parameterization and Initialization of Diagonal State Space Models", 2022) initialise them.
 */
public enum SsmInit implements Initializer {
    /** Projection weights (rows, in): U(−1/√in, 1/√in), the default of {@code nn.Linear}. */
    FAN_IN_UNIFORM {
        @Override
        public void fill(double[] values, int[] shape, CellConfig config, Rng rng) {
            double bound = 1.0 / Math.sqrt(shape.length > 1 ? shape[1] : shape[0]);
            for (int i = 0; i < values.length; i++) {
                values[i] = rng.uniform(-bound, bound);
            }
        }
    },
    /**
     * {@code bias_dt} (H): softplus⁻¹(dt) = dt + log(1 − e^(−dt)) with dt log-uniform in
     * [{@link #DT_MIN}, {@link #DT_MAX}], so that Δ = softplus(b_dt) starts at dt for a zero input.
     */
    DT_BIAS {
        @Override
        public void fill(double[] values, int[] shape, CellConfig config, Rng rng) {
            double lo = Math.log(DT_MIN), hi = Math.log(DT_MAX);
            for (int i = 0; i < values.length; i++) {
                double dt = Math.exp(rng.uniform(lo, hi));
                values[i] = dt + Math.log(-Math.expm1(-dt));
            }
        }
    },
    /** {@code A_log} (H, N): S4D-real, {@code A_log[c, s] = log(s + 1)}, so A = −(s + 1). Draws nothing. */
    S4D_REAL {
        @Override
        public void fill(double[] values, int[] shape, CellConfig config, Rng rng) {
            int n = shape.length > 1 ? shape[1] : 1;
            for (int i = 0; i < values.length; i++) {
                values[i] = Math.log(i % n + 1);
            }
        }
    };

    /** The smallest initial time step. */
    public static final double DT_MIN = 1e-3;
    /** The largest initial time step. */
    public static final double DT_MAX = 1e-1;

    @Override
    public String toString() {
        return switch (this) {
            case FAN_IN_UNIFORM -> "uniform(1/sqrt(in))";
            case DT_BIAS -> "softplus^-1(log-uniform[" + DT_MIN + ", " + DT_MAX + "])";
            case S4D_REAL -> "s4d_real";
        };
    }
}
