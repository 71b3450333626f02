package io.github.rnnlab.data;

/**
 * A contiguous train/validation split of a token sequence: the first part trains, the last part
 * validates. Contiguous (not shuffled) so that validation windows never overlap training text.
 *
 * <p>Instances are immutable; the accessors return copies.
 */
public final class TextSplit {
    /** The conventional validation share: the last 10% of the text. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;

    private final int[] train;
    private final int[] validation;

    private TextSplit(int[] train, int[] validation) {
        this.train = train;
        this.validation = validation;
    }

    /**
     * Splits off the last {@code round(n · validationFraction)} tokens as validation.
     *
     * @param validationFraction in [0, 1); 0 gives an empty validation part
     * @throws IllegalArgumentException if the fraction is outside [0, 1)
     * @throws NotEnoughTokensException if a non-zero fraction leaves either part empty
     */
    public static TextSplit lastFraction(int[] ids, double validationFraction) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction: expected a value in [0, 1), got " + validationFraction);
        }
        int n = ids.length;
        int v = validationSize(n, validationFraction);
        if (!fits(n, validationFraction)) {
            throw new NotEnoughTokensException("train/validation split with validation fraction " + validationFraction,
                    minimumTokens(validationFraction), n);
        }
        int[] train = new int[n - v];
        int[] validation = new int[v];
        System.arraycopy(ids, 0, train, 0, n - v);
        System.arraycopy(ids, n - v, validation, 0, v);
        return new TextSplit(train, validation);
    }

    private static int validationSize(long n, double fraction) {
        return (int) Math.round(n * fraction);
    }

    /** Both parts non-empty (validation may be empty only when the fraction is 0). */
    private static boolean fits(long n, double fraction) {
        long v = validationSize(n, fraction);
        return n - v >= 1 && (fraction == 0 || v >= 1);
    }

    /** The smallest n for which {@link #fits} holds. */
    static long minimumTokens(double fraction) {
        if (fraction == 0) {
            return 1;
        }
        // v ≥ 1 needs n·f ≥ 1/2; n − v ≥ 1 needs n·f < n − 1/2. Start just below the bound, then step.
        double bound = Math.max(0.5 / fraction, 0.5 / (1 - fraction));
        long n = Math.max(1, (long) bound - 2);
        while (!fits(n, fraction)) {
            n++;
        }
        return n;
    }

    /** The first part (training), a copy. */
    public int[] train() {
        return train.clone();
    }

    /** The last part (validation), a copy; empty when the fraction was 0. */
    public int[] validation() {
        return validation.clone();
    }

    public int trainSize() {
        return train.length;
    }

    public int validationSize() {
        return validation.length;
    }

    @Override
    public String toString() {
        return "TextSplit[train=" + train.length + ", validation=" + validation.length + "]";
    }
}
