package io.github.rnnlab.checkpoint;

import io.github.rnnlab.checkpoint.CheckpointException.Problem;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.train.Bptt;
import io.github.rnnlab.train.Trainer;
import io.github.rnnlab.train.optim.Adam;
import io.github.rnnlab.train.optim.LearningRate;
import io.github.rnnlab.train.optim.OptimizerConfig;
import io.github.rnnlab.train.optim.Sgd;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration of a run as flat metadata keys: every part reads back equal, and bad values are named. */
class TrainingConfigTest {

    static TrainingConfig charModel() {
        return new TrainingConfig("test_leaky",
                new SequenceModel.Config(new SequenceModel.Tokens(30, 8),
                        new RecurrentConfig(8, 12, 2, Directions.FORWARD, 0.25, Map.of()), 30, SequenceModel.Objective.CROSS_ENTROPY),
                new OptimizerConfig.Adam(Adam.Config.adamW().withWeightDecay(0.05)),
                Trainer.Config.of(new LearningRate.Warmup(10, 0.1, new LearningRate.Cosine(3e-3, 1000, 1e-5))).withClipNorm(1.0),
                Bptt.truncated(4, 6), 16, 4, -1234567890123L, Map.of("corpus", "embedded", "batches", "sequential"));
    }

    static List<TrainingConfig> variety() {
        TrainingConfig c = charModel();
        return List.of(c,
                new TrainingConfig("lstm", new SequenceModel.Config(new SequenceModel.Features(3),
                        new RecurrentConfig(3, 5, 1, Directions.BIDIRECTIONAL_SUM, 0, Map.of("state_size", "16", "mode", "a b=c"), false),
                        2, SequenceModel.Objective.MEAN_SQUARED_ERROR),
                        new OptimizerConfig.Sgd(new Sgd.Config(0.9, 0, true, 1e-4)),
                        new Trainer.Config(new LearningRate.StepDecay(0.1, 100, 0.5), 0, 0.25), Bptt.full(), 1, 1, 0, Map.of()),
                new TrainingConfig("gru", new SequenceModel.Config(new SequenceModel.Tokens(2, 1),
                        new RecurrentConfig(1, 1, 3, Directions.BIDIRECTIONAL_CONCAT, 0.1 + 0.2, Map.of()), 7, SequenceModel.Objective.CROSS_ENTROPY),
                        new OptimizerConfig.Adam(Adam.Config.adam()),
                        Trainer.Config.of(new LearningRate.Warmup(3, 0, new LearningRate.Warmup(2, 0.5, new LearningRate.Constant(Math.PI)))),
                        Bptt.truncated(5), 5, 2, Long.MIN_VALUE, Map.of("a.b", "")));
    }

    @Test
    void everyConfigurationReadsBackEqual() {
        for (TrainingConfig c : variety()) {
            Map<String, String> m = c.toMetadata();
            assertEquals(c, TrainingConfig.fromMetadata(m), m.toString());
        }
        Map<String, String> m = charModel().toMetadata();
        assertEquals("adamw", m.get("optimizer"));
        assertEquals("warmup", m.get("schedule"));
        assertEquals("cosine", m.get("schedule.then"));
        assertEquals("1.0E-5", m.get("schedule.then.min"));
        assertEquals("4,6", m.get("bptt"));
        assertEquals("embedded", m.get("extra.corpus"));
        assertEquals("forward", m.get("rnn.directions"));
        assertEquals("cross_entropy", m.get("model.objective"));
    }

    private static CheckpointException broken(Consumer<Map<String, String>> edit) {
        Map<String, String> m = new TreeMap<>(charModel().toMetadata());
        edit.accept(m);
        return assertThrows(CheckpointException.class, () -> TrainingConfig.fromMetadata(m));
    }

    @Test
    void missingMalformedAndOutOfRangeValuesAreNamed() {
        CheckpointException missing = broken(m -> m.remove("rnn.hidden_size"));
        assertEquals(Problem.MALFORMED, missing.problem());
        assertEquals("metadata rnn.hidden_size: expected a value, got none", missing.getMessage());
        assertEquals("metadata rnn.layers: expected an integer, got \"two\"", broken(m -> m.put("rnn.layers", "two")).getMessage());
        assertEquals("metadata rnn.directions: expected one of forward, bidirectional_concat, bidirectional_sum, got \"both\"",
                broken(m -> m.put("rnn.directions", "both")).getMessage());
        assertEquals("metadata schedule.then: expected constant, step, cosine or warmup, got \"linear\"",
                broken(m -> m.put("schedule.then", "linear")).getMessage());
        assertEquals("metadata optimizer: expected adam, adamw or sgd, got \"rmsprop\"", broken(m -> m.put("optimizer", "rmsprop")).getMessage());
        assertEquals("metadata rnn.dropout: expected a finite number, got \"NaN\"", broken(m -> m.put("rnn.dropout", "NaN")).getMessage());
        assertEquals("metadata rnn.bias: expected true or false, got \"yes\"", broken(m -> m.put("rnn.bias", "yes")).getMessage());
        CheckpointException range = broken(m -> m.put("rnn.dropout", "1.5"));
        assertTrue(range.getMessage().startsWith("metadata: the configuration is invalid: dropout must be in [0, 1), got 1.5"), range.getMessage());
        CheckpointException width = broken(m -> m.put("rnn.input_size", "9"));
        assertTrue(width.getMessage().contains("recurrent input size: expected 8"), width.getMessage());
        assertEquals(Problem.MALFORMED, broken(m -> m.put("bptt", "k")).problem());
        assertEquals(Problem.MALFORMED, broken(m -> m.put("cell", "Bad-Id")).problem());
    }
}
