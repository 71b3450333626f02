package io.github.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.numeric.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BatcherTest {
    /** ids[i] = i, so a window's content tells where it starts. */
    private static int[] iota(int n) {
        return IntStream.range(0, n).toArray();
    }

    @Test
    void randomWindowsAreShiftedContiguousSlices() {
        int n = 50, steps = 7, batch = 5;
        int[] ids = iota(n);
        RandomWindowBatcher batcher = new RandomWindowBatcher(ids, steps, batch);
        Rng rng = new Rng(42);
        boolean[] seenStart = new boolean[n - steps];
        for (int k = 0; k < 400; k++) {
            TokenBatch tb = batcher.next(rng);
            assertEquals(steps, tb.steps());
            assertEquals(batch, tb.batch());
            for (int b = 0; b < batch; b++) {
                int start = tb.input(0, b);
                assertTrue(start >= 0 && start <= n - steps - 1, "start " + start);
                seenStart[start] = true;
                for (int t = 0; t < steps; t++) {
                    assertEquals(start + t, tb.input(t, b));
                    assertEquals(start + t + 1, tb.target(t, b));
                    assertEquals(tb.inputs()[t * batch + b], tb.input(t, b));
                }
            }
        }
        for (int s = 0; s < seenStart.length; s++) {
            assertTrue(seenStart[s], "start offset " + s + " never drawn");
        }
        assertEquals(n - steps, batcher.windowCount());
    }

    @Test
    void randomWindowsAreDeterministicForASeedAndCheckpointable() {
        int[] ids = TextCorpus.of("m", "the quick brown fox jumps over the lazy dog").encode(Vocabulary.of("the quick brown fox jumps over the lazy dog"));
        RandomWindowBatcher batcher = new RandomWindowBatcher(ids, 10, 4);
        Rng a = new Rng(7), b = new Rng(7);
        for (int k = 0; k < 5; k++) {
            TokenBatch x = batcher.next(a), y = batcher.next(b);
            assertArrayEquals(x.inputs(), y.inputs());
            assertArrayEquals(x.targets(), y.targets());
        }
        long saved = a.state();
        TokenBatch expected = batcher.next(a);
        Rng restored = new Rng(0);
        restored.setState(saved);
        assertArrayEquals(expected.inputs(), batcher.next(restored).inputs());
        assertFalse(java.util.Arrays.equals(batcher.next(new Rng(1)).inputs(), batcher.next(new Rng(2)).inputs()));
    }

    @Test
    void windowLongerThanDataIsRejected() {
        NotEnoughTokensException e = assertThrows(NotEnoughTokensException.class, () -> new RandomWindowBatcher(iota(10), 10, 2));
        assertTrue(e.getMessage().contains("expected at least 11 tokens, got 10"), e.getMessage());
        assertTrue(e instanceof ShapeException);
        // exactly steps + 1 tokens: one window
        RandomWindowBatcher one = new RandomWindowBatcher(iota(11), 10, 3);
        TokenBatch tb = one.next(new Rng(3));
        for (int b = 0; b < 3; b++) {
            assertEquals(0, tb.input(0, b));
            assertEquals(10, tb.target(9, b));
        }
        assertThrows(IllegalArgumentException.class, () -> new RandomWindowBatcher(iota(10), 0, 2));
        ShapeException huge = assertThrows(ShapeException.class, () -> new RandomWindowBatcher(iota(100_000), 50_000, 50_000));
        assertTrue(huge.getMessage().contains("got 2500000000"), huge.getMessage());
    }

    @Test
    void sequentialRowsContinueWhereTheyLeftOff() {
        // n = 103, B = 4: L = 25 (3 tokens unused); T = 7: batches at positions 0, 7, 14, 21 (last has 3 steps).
        int[] ids = iota(103);
        SequentialBatcher batcher = new SequentialBatcher(ids, 7, 4);
        assertEquals(25, batcher.streamLength());
        assertEquals(4, batcher.batchesPerEpoch());
        List<TokenBatch> epoch = new ArrayList<>();
        while (batcher.hasNext()) {
            epoch.add(batcher.next());
        }
        assertEquals(4, epoch.size());
        assertEquals(List.of(7, 7, 7, 3), epoch.stream().map(TokenBatch::steps).toList());
        for (int k = 1; k < epoch.size(); k++) {
            TokenBatch prev = epoch.get(k - 1), cur = epoch.get(k);
            for (int b = 0; b < 4; b++) {
                // the next input of a row is the last target of that row
                assertEquals(prev.target(prev.steps() - 1, b), cur.input(0, b));
            }
        }
        for (int b = 0; b < 4; b++) {
            assertEquals(25 * b, epoch.get(0).input(0, b));
            assertEquals(25 * b + 24, epoch.get(3).target(2, b));
        }
        assertThrows(NoSuchElementException.class, batcher::next);
        batcher.reset();
        assertArrayEquals(epoch.get(0).inputs(), batcher.next().inputs());
        assertEquals(7, batcher.position());
        batcher.seek(14);
        assertArrayEquals(epoch.get(2).targets(), batcher.next().targets());
        assertThrows(IllegalArgumentException.class, () -> batcher.seek(25));
        assertThrows(IllegalArgumentException.class, () -> batcher.seek(-1));
    }

    @Test
    void sequentialNeedsStepsPlusOneTokensPerStream() {
        NotEnoughTokensException e = assertThrows(NotEnoughTokensException.class, () -> new SequentialBatcher(iota(43), 10, 4));
        assertTrue(e.getMessage().contains("expected at least 44 tokens, got 43"), e.getMessage());
        SequentialBatcher exact = new SequentialBatcher(iota(44), 10, 4);
        assertEquals(1, exact.batchesPerEpoch());
        TokenBatch tb = exact.next();
        assertEquals(10, tb.steps());
        assertFalse(exact.hasNext());
    }

    @Property(tries = 200)
    void sequentialEpochCoversEveryStreamExactlyOnce(@ForAll @IntRange(min = 1, max = 300) int n,
                                                     @ForAll @IntRange(min = 1, max = 17) int steps,
                                                     @ForAll @IntRange(min = 1, max = 9) int batch) {
        if (n < batch * (steps + 1)) {
            assertThrows(NotEnoughTokensException.class, () -> new SequentialBatcher(iota(n), steps, batch));
            return;
        }
        SequentialBatcher batcher = new SequentialBatcher(iota(n), steps, batch);
        int len = n / batch;
        List<List<Integer>> inputs = new ArrayList<>(), targets = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            inputs.add(new ArrayList<>());
            targets.add(new ArrayList<>());
        }
        int count = 0;
        while (batcher.hasNext()) {
            TokenBatch tb = batcher.next();
            assertTrue(tb.steps() >= 1 && tb.steps() <= steps);
            count++;
            for (int t = 0; t < tb.steps(); t++) {
                for (int b = 0; b < batch; b++) {
                    inputs.get(b).add(tb.input(t, b));
                    targets.get(b).add(tb.target(t, b));
                }
            }
        }
        assertEquals(batcher.batchesPerEpoch(), count);
        for (int b = 0; b < batch; b++) {
            int base = b * len;
            assertEquals(IntStream.range(base, base + len - 1).boxed().toList(), inputs.get(b));
            assertEquals(IntStream.range(base + 1, base + len).boxed().toList(), targets.get(b));
        }
    }

    @Test
    void oneHotWritesTimeMajorRows() {
        TokenBatch tb = new TokenBatch(2, 2, new int[] {0, 2, 1, 0}, new int[] {2, 1, 0, 1});
        float[] out = new float[1 + 2 * 2 * 3];
        java.util.Arrays.fill(out, 9f);
        tb.oneHot(3, out, 1);
        assertArrayEquals(new float[] {9, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0}, out);
        assertThrows(ShapeException.class, () -> tb.oneHot(3, new float[12], 1));
        assertThrows(IndexOutOfBoundsException.class, () -> tb.oneHot(2, new float[8], 0));
        assertThrows(ShapeException.class, () -> new TokenBatch(2, 2, new int[3], new int[4]));
    }
}
