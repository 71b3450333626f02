package io.github.rnnlab.diagnose;

import io.github.rnnlab.cell.CellConfig;

/**
 * What a run's gradient does as it travels back through time, judged from the fitted per-step rate ρ
 * of its norm ({@link GeometricFit#rate()}):
 * <ul>
 *   <li>{@link #EXPLODING} if some norm overflowed (NaN or infinite), or ρ &gt; 1 + δ;</li>
 *   <li>{@link #VANISHING} if some norm is exactly 0, or ρ &lt; 1 − δ;</li>
 *   <li>{@link #STABLE} otherwise: 1 − δ ≤ ρ ≤ 1 + δ;</li>
 *   <li>{@link #UNDETERMINED} if fewer than two positive finite norms were measured.</li>
 * </ul>
 * δ is {@link Thresholds#rateTolerance()}, by default 0.02: at ρ = 0.98 the gradient from 100 steps back
 * is 0.13 of the gradient at the loss (a decade lost every 114 steps), at ρ = 1.02 it is 7.2 times it.
 * The lecture's untrained {@code rnn_tanh} with U(−1/√H, 1/√H) init sits near ρ ≈ 0.5, far below.
 */
public enum Verdict {
    VANISHING,
    STABLE,
    EXPLODING,
    UNDETERMINED;

    /**
     * The thresholds of a verdict.
     *
     * @param rateTolerance δ: rates within [1 − δ, 1 + δ] are stable; in (0, 1)
     */
    public record Thresholds(double rateTolerance) {
        /** δ = 0.02. */
        public static final Thresholds DEFAULT = new Thresholds(0.02);

        public Thresholds {
            if (!(rateTolerance > 0 && rateTolerance < 1)) {
                throw new CellConfig.InvalidConfigException("verdict rate tolerance: expected a value in (0, 1), got " + rateTolerance);
            }
        }
    }

    /** The verdict on {@code fit} under {@code thresholds} (see the class comment). */
    public static Verdict of(GeometricFit fit, Thresholds thresholds) {
        if (fit.nonFinite()) {
            return EXPLODING;
        }
        if (fit.reachedZero()) {
            return VANISHING;
        }
        if (fit.points() < 2 || Double.isNaN(fit.slope())) {
            return UNDETERMINED;
        }
        double rate = fit.rate();
        if (rate > 1 + thresholds.rateTolerance()) {
            return EXPLODING;
        }
        if (rate < 1 - thresholds.rateTolerance()) {
            return VANISHING;
        }
        return STABLE;
    }

    /** The lower-case name, for tables and CSV. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The more alarming of two verdicts: exploding over vanishing over stable over undetermined. */
    public Verdict worse(Verdict other) {
        return rank() >= other.rank() ? this : other;
    }

    private int rank() {
        return switch (this) {
            case EXPLODING -> 3;
            case VANISHING -> 2;
            case STABLE -> 1;
            case UNDETERMINED -> 0;
        };
    }
}
