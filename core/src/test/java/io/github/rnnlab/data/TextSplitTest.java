package io.github.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TextSplitTest {
    @Test
    void lastTenPercentIsValidation() {
        int[] ids = IntStream.range(0, 1000).toArray();
        TextSplit split = TextSplit.lastFraction(ids, TextSplit.DEFAULT_VALIDATION_FRACTION);
        assertEquals(900, split.trainSize());
        assertEquals(100, split.validationSize());
        assertArrayEquals(IntStream.range(0, 900).toArray(), split.train());
        assertArrayEquals(IntStream.range(900, 1000).toArray(), split.validation());
    }

    @Test
    void accessorsReturnCopies() {
        TextSplit split = TextSplit.lastFraction(new int[] {1, 2, 3, 4}, 0.25);
        split.train()[0] = 99;
        assertEquals(1, split.train()[0]);
    }

    @Test
    void zeroFractionLeavesEmptyValidation() {
        TextSplit split = TextSplit.lastFraction(new int[] {5}, 0);
        assertArrayEquals(new int[] {5}, split.train());
        assertEquals(0, split.validationSize());
    }

    @Test
    void invalidFractionsAndTooShortData() {
        assertThrows(IllegalArgumentException.class, () -> TextSplit.lastFraction(new int[10], 1.0));
        assertThrows(IllegalArgumentException.class, () -> TextSplit.lastFraction(new int[10], -0.1));
        assertThrows(IllegalArgumentException.class, () -> TextSplit.lastFraction(new int[10], Double.NaN));
        // 4 tokens at 10%: round(0.4) = 0 validation tokens; 5 tokens give round(0.5) = 1.
        NotEnoughTokensException e = assertThrows(NotEnoughTokensException.class, () -> TextSplit.lastFraction(new int[4], 0.1));
        assertTrue(e.getMessage().contains("expected at least 5 tokens, got 4"), e.getMessage());
        assertEquals(1, TextSplit.lastFraction(new int[5], 0.1).validationSize());
        assertThrows(NotEnoughTokensException.class, () -> TextSplit.lastFraction(new int[0], 0));
        assertThrows(NotEnoughTokensException.class, () -> TextSplit.lastFraction(new int[1], 0.5));
    }

    @Property(tries = 300)
    void minimumTokensIsTheSmallestWorkingLength(@ForAll @DoubleRange(min = 0.001, max = 0.999) @net.jqwik.api.constraints.Scale(4) double fraction,
                                                 @ForAll @IntRange(min = 0, max = 3000) int n) {
        long min = TextSplit.minimumTokens(fraction);
        boolean works = true;
        try {
            TextSplit split = TextSplit.lastFraction(new int[n], fraction);
            assertEquals(n, split.trainSize() + split.validationSize());
            assertTrue(split.trainSize() >= 1 && split.validationSize() >= 1);
        } catch (NotEnoughTokensException e) {
            works = false;
            assertEquals(min, e.required());
        }
        if (n < min) {
            assertTrue(!works, "n=" + n + " below minimum " + min + " worked");
        }
        if (min <= 3000) {
            // The minimum itself works and one less does not.
            TextSplit.lastFraction(new int[(int) min], fraction);
            if (min > 1) {
                assertThrows(NotEnoughTokensException.class, () -> TextSplit.lastFraction(new int[(int) min - 1], fraction));
            }
        }
    }
}
