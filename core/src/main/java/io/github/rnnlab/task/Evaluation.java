package io.github.rnnlab.task;

/**
 * Loss and metric of predictions on one or more batches, kept as sums and counts so that batches of
 * different sizes (masked Reber batches) combine exactly with {@link #plus}.
 *
 * @param lossSum     Σ of per-element losses (squared errors, or per-step cross-entropies in nats)
 * @param lossCount   number of elements in {@code lossSum}
 * @param metricSum   Σ of per-element metric values (1/0 for accuracies, squared errors for MSE)
 * @param metricCount number of elements in {@code metricSum}
 */
public record Evaluation(double lossSum, long lossCount, double metricSum, long metricCount) {
    /** Nothing evaluated yet: the identity of {@link #plus}. */
    public static final Evaluation EMPTY = new Evaluation(0, 0, 0, 0);

    public Evaluation {
        if (lossCount < 0 || metricCount < 0) {
            throw new IllegalArgumentException("evaluation counts: expected ≥ 0, got lossCount=" + lossCount
                    + " metricCount=" + metricCount);
        }
    }

    /** Mean loss, {@code lossSum / lossCount}; NaN when nothing was counted. */
    public double loss() {
        return lossCount == 0 ? Double.NaN : lossSum / lossCount;
    }

    /** Mean metric, {@code metricSum / metricCount}; NaN when nothing was counted. */
    public double metric() {
        return metricCount == 0 ? Double.NaN : metricSum / metricCount;
    }

    /** The evaluation of both sets of predictions together. */
    public Evaluation plus(Evaluation other) {
        return new Evaluation(lossSum + other.lossSum, lossCount + other.lossCount,
                metricSum + other.metricSum, metricCount + other.metricCount);
    }
}
