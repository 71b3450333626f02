package io.github.rnnlab.checkpoint;

import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.data.RandomWindowBatcher;
import io.github.rnnlab.data.SequentialBatcher;
import io.github.rnnlab.data.Vocabulary;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.train.Bptt;
import io.github.rnnlab.train.Trainer;
import io.github.rnnlab.train.optim.Adam;
import io.github.rnnlab.train.optim.LearningRate;
import io.github.rnnlab.train.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training resumed from a checkpoint continues bit for bit: an LSTM character model (2 layers, dropout,
 * AdamW with weight decay, warm-up then cosine schedule, clipping, truncated BPTT(4, 6) with the state carried
 * from batch to batch across epochs) trained N batches straight gives the same loss at every batch and the same
 * final parameters, optimizer buffers and generators, bit for bit, as the same run stopped after k batches,
 * saved, loaded into fresh objects and trained for the remaining N − k. Controls show that each restored piece
 * matters: without it, the resumed run differs.
 */
class ResumeTest {
    private static final CellRegistry REGISTRY = CellRegistry.load(ResumeTest.class.getClassLoader());
    private static final String TEXT = "It was the best of times, it was the worst of times, it was the age of wisdom, "
            + "it was the age of foolishness, it was the epoch of belief, it was the epoch of incredulity, it was the season of "
            + "Light, it was the season of Darkness, it was the spring of hope, it was the winter of despair.";
    private static final Vocabulary VOCABULARY = Vocabulary.of(TEXT);
    private static final int BATCHES = 20;

    @TempDir
    Path dir;

    private static TrainingConfig config(String batches) {
        int v = VOCABULARY.size();
        return new TrainingConfig("lstm",
                new SequenceModel.Config(new SequenceModel.Tokens(v, 8), new RecurrentConfig(8, 16, 2, Directions.FORWARD, 0.3, Map.of()),
                        v, SequenceModel.Objective.CROSS_ENTROPY),
                new OptimizerConfig.Adam(Adam.Config.adamW()),
                Trainer.Config.of(new LearningRate.Warmup(5, 0.1, new LearningRate.Cosine(0.01, 40, 1e-4))).withClipNorm(1.0),
                Bptt.truncated(4, 6), 12, 3, 2024, Map.of("batches", batches));
    }

    private static TrainingState start(String batches) {
        return TrainingState.start(config(batches), REGISTRY.provider("lstm"), VOCABULARY, F32Ops.standard());
    }

    private static ToDoubleFunction<TrainingState> step(String batches) {
        int[] ids = VOCABULARY.encode(TEXT);
        if (batches.equals("sequential")) {
            // a new batcher per call, as a resumed process would have: the position lives in the state
            return s -> s.trainSequential(new SequentialBatcher(ids, 12, 3));
        }
        RandomWindowBatcher windows = new RandomWindowBatcher(ids, 12, 3);
        return s -> s.trainRandomWindows(windows);
    }

    private static double[] train(TrainingState s, ToDoubleFunction<TrainingState> step, int batches) {
        double[] losses = new double[batches];
        for (int i = 0; i < batches; i++) {
            losses[i] = step.applyAsDouble(s);
        }
        return losses;
    }

    private TrainingState saveAndLoad(TrainingState s) throws IOException {
        Path file = dir.resolve("run.ckpt.safetensors");
        Checkpoint.save(file, s);
        return Checkpoint.load(file, REGISTRY, "lstm", F32Ops.standard());
    }

    @ParameterizedTest(name = "stopped after {0} batches")
    @ValueSource(ints = {1, 7, 9, 13})
    void sequentialBatchesWithCarriedStateResumeBitForBit(int k) throws IOException {
        check("sequential", k);
    }

    @Test
    void randomWindowsResumeBitForBit() throws IOException {
        check("random", 8);
    }

    private void check(String batches, int k) throws IOException {
        ToDoubleFunction<TrainingState> step = step(batches);
        TrainingState straight = start(batches);
        double[] expected = train(straight, step, BATCHES);

        TrainingState first = start(batches);
        double[] before = train(first, step, k);
        TrainingState resumed = saveAndLoad(first);
        double[] after = train(resumed, step, BATCHES - k);

        double[] losses = new double[BATCHES];
        System.arraycopy(before, 0, losses, 0, k);
        System.arraycopy(after, 0, losses, k, BATCHES - k);
        assertEquals(Arrays.toString(expected), Arrays.toString(losses));
        for (int i = 0; i < BATCHES; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(losses[i]), "loss of batch " + i);
        }
        assertSameState(straight, resumed);
        if (batches.equals("sequential")) {
            assertTrue(straight.epoch() >= 2, "the run crosses epochs: " + straight.epoch());
        }
        assertTrue(expected[BATCHES - 1] < expected[0], "it learns: " + expected[0] + " → " + expected[BATCHES - 1]);
    }

    private static void assertSameState(TrainingState a, TrainingState b) {
        assertEquals(a.step(), b.step());
        assertTrue(Arrays.equals(a.model().parameters().values(), b.model().parameters().values()), "parameters bit for bit");
        a.optimizer().state().buffers().forEach((k, v) -> assertArrayEquals(v, b.optimizer().state().buffer(k), k));
        assertEquals(a.trainer().rng().state(), b.trainer().rng().state());
        assertEquals(a.dataRng().state(), b.dataRng().state());
        assertEquals(a.dataPosition(), b.dataPosition());
        assertEquals(a.epoch(), b.epoch());
        assertArrayEquals(a.carriedState(), b.carriedState());
    }

    /** Each piece of restored state matters: resuming without it gives other losses. */
    @Test
    void withoutTheRestoredGeneratorsOrCarriedStateTheRunDiverges() throws IOException {
        ToDoubleFunction<TrainingState> step = step("sequential");
        TrainingState straight = start("sequential");
        train(straight, step, 5);
        double[] expected = train(straight, step, 3);

        TrainingState first = start("sequential");
        train(first, step, 5);
        TrainingState noDropoutSeeds = saveAndLoad(first);
        noDropoutSeeds.trainer().rng().setState(0);
        assertFalse(Arrays.equals(expected, train(noDropoutSeeds, step, 3)), "the trainer's generator (dropout seeds)");

        TrainingState noCarry = saveAndLoad(first);
        TrainingState fresh = TrainingState.start(config("sequential"), REGISTRY.provider("lstm"), VOCABULARY, F32Ops.standard());
        noCarry.restoreData(noCarry.epoch(), noCarry.dataPosition(), fresh.carriedState());
        assertFalse(Arrays.equals(expected, train(noCarry, step, 3)), "the carried state");

        TrainingState same = saveAndLoad(first);
        assertArrayEquals(expected, train(same, step, 3), "all restored: the same losses");
    }
}
