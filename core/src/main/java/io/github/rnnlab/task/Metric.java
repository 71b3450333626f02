package io.github.rnnlab.task;

/** The figure of merit a task reports beside its loss. */
public enum Metric {
    /** {@code (1/N) Σ (ŷ − y)²}; lower is better. */
    MEAN_SQUARED_ERROR("MSE", false),
    /** Fraction of predictions whose arg-max class equals the target; higher is better. */
    ACCURACY("accuracy", true),
    /**
     * Copy task: fraction of the recall steps (the last k steps, where the stored symbols must be
     * reproduced) whose arg-max class equals the target. The blank steps are excluded because
     * predicting blank there is trivial. Higher is better.
     */
    RECALL_ACCURACY("recall accuracy", true),
    /**
     * Reber grammar: fraction of (unmasked) steps whose arg-max symbol is one the grammar allows next
     * (the next symbol is random where the grammar branches, so the exact target cannot be known;
     * a legal prediction is the best possible). Higher is better.
     */
    LEGAL_NEXT_SYMBOL_ACCURACY("legal-next-symbol accuracy", true);

    private final String label;
    private final boolean higherIsBetter;

    Metric(String label, boolean higherIsBetter) {
        this.label = label;
        this.higherIsBetter = higherIsBetter;
    }

    /** A short human-readable name ("MSE", "accuracy", …). */
    public String label() {
        return label;
    }

    /** Whether a larger value is better (accuracy) or worse (MSE). */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }
}
