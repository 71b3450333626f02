package io.github.rnnlab.data;

/**
 * The unigram (bag-of-characters) language model: every character is predicted with its frequency in
 * the training text, ignoring context. Its loss is the bar a recurrent model must clear: a model that
 * learned nothing about order cannot beat it.
 *
 * <p>{@link #entropy()} is {@code H(p) = −Σ_c p_c · ln p_c} in nats per character, where
 * {@code p_c = count_c / n} over the training ids: the expected cross-entropy loss of this model on
 * text with the training distribution. {@link #crossEntropy} measures it on other text (validation).
 */
public final class UnigramBaseline {
    private final long[] counts;
    private final long total;

    private UnigramBaseline(long[] counts, long total) {
        this.counts = counts;
        this.total = total;
    }

    /**
     * Counts the ids (each in {@code [0, vocabularySize)}).
     *
     * @throws NotEnoughTokensException if {@code ids} is empty
     * @throws IndexOutOfBoundsException if an id is outside the vocabulary
     */
    public static UnigramBaseline fit(int[] ids, int vocabularySize) {
        if (ids.length == 0) {
            throw new NotEnoughTokensException("unigram baseline", 1, 0);
        }
        long[] counts = new long[vocabularySize];
        for (int id : ids) {
            if (id < 0 || id >= vocabularySize) {
                throw new IndexOutOfBoundsException("token id: expected 0 to " + (vocabularySize - 1) + ", got " + id);
            }
            counts[id]++;
        }
        return new UnigramBaseline(counts, ids.length);
    }

    /** Vocabulary size. */
    public int size() {
        return counts.length;
    }

    /** p_id = count_id / n. */
    public double probability(int id) {
        return (double) counts[id] / total;
    }

    /** H(p) = −Σ p ln p, nats per character (0 ln 0 = 0). */
    public double entropy() {
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / total;
                h -= p * Math.log(p);
            }
        }
        return h;
    }

    /**
     * {@code −(1/m) Σ_i ln p_{ids[i]}}: the loss of this model on {@code ids}, nats per character.
     * Positive infinity when a character of {@code ids} never occurred in the training text (the
     * unsmoothed model gives it probability 0).
     *
     * @throws NotEnoughTokensException if {@code ids} is empty
     */
    public double crossEntropy(int[] ids) {
        if (ids.length == 0) {
            throw new NotEnoughTokensException("unigram cross-entropy", 1, 0);
        }
        double sum = 0;
        for (int id : ids) {
            if (id < 0 || id >= counts.length) {
                throw new IndexOutOfBoundsException("token id: expected 0 to " + (counts.length - 1) + ", got " + id);
            }
            if (counts[id] == 0) {
                return Double.POSITIVE_INFINITY;
            }
            sum -= Math.log((double) counts[id] / total);
        }
        return sum / ids.length;
    }
}
