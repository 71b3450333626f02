package io.github.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class UnigramBaselineTest {
    @Test
    void uniformDistributionHasEntropyLnK() {
        int[] ids = {0, 1, 2, 3, 4, 0, 1, 2, 3, 4};
        UnigramBaseline u = UnigramBaseline.fit(ids, 5);
        assertEquals(Math.log(5), u.entropy(), 1e-15);
        assertEquals(0.2, u.probability(3), 1e-15);
    }

    @Test
    void skewedDistributionAndUnusedIds() {
        // p = (1/2, 1/4, 1/4, 0): H = ½ln2 + ½ln4 = 1.5 ln 2
        UnigramBaseline u = UnigramBaseline.fit(new int[] {0, 0, 1, 2}, 4);
        assertEquals(1.5 * Math.log(2), u.entropy(), 1e-15);
        assertEquals(Math.log(4), u.crossEntropy(new int[] {1, 2}), 1e-15);
        assertEquals(Math.log(2), u.crossEntropy(new int[] {0}), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, u.crossEntropy(new int[] {0, 3}));
        assertEquals(0.0, UnigramBaseline.fit(new int[] {2, 2, 2}, 3).entropy());
    }

    @Test
    void badInput() {
        assertThrows(NotEnoughTokensException.class, () -> UnigramBaseline.fit(new int[0], 3));
        assertThrows(IndexOutOfBoundsException.class, () -> UnigramBaseline.fit(new int[] {3}, 3));
        assertThrows(NotEnoughTokensException.class, () -> UnigramBaseline.fit(new int[] {1}, 3).crossEntropy(new int[0]));
    }

    @Test
    void tinyShakespeareBaselineMatchesIndependentComputation() {
        // Reference values computed independently (Python: collections.Counter over the same file,
        // last round(0.1·n) characters held out).
        TextCorpus corpus = TextCorpus.embedded();
        Vocabulary v = corpus.vocabulary();
        TextSplit split = TextSplit.lastFraction(corpus.encode(v), 0.1);
        assertEquals(1_003_855, split.trainSize());
        assertEquals(111_539, split.validationSize());
        UnigramBaseline u = UnigramBaseline.fit(split.train(), v.size());
        assertEquals(3.309087091517436, u.entropy(), 1e-12);
        assertEquals(3.3473032774693467, u.crossEntropy(split.validation()), 1e-12);
    }
}
