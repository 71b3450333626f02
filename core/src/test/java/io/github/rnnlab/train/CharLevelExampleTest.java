package io.github.rnnlab.train;

import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.generate.Generator;
import io.github.rnnlab.generate.Sampling;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.train.optim.Adam;
import io.github.rnnlab.train.optim.LearningRate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The usage example of the {@code train} package: a character-level language model trained on B
 * streams of a text with truncated BPTT and a carried state, then sampled.
 */
class CharLevelExampleTest {

    @Test
    void learnsToContinueAText() {
        String text = "the quick brown fox jumps over the lazy dog. ".repeat(40);
        String alphabet = text.chars().distinct().sorted().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        int v = alphabet.length(), steps = 16, rows = 4, span = text.length() / rows;

        CellProvider cell = LeakyTestCell.PROVIDER;                       // any registered cell, e.g. lstm
        SequenceModel<float[]> model = SequenceModel.create(F32Ops.standard(), cell, new SequenceModel.Config(
                new SequenceModel.Tokens(v, 16), new RecurrentConfig(16, 64), v, SequenceModel.Objective.CROSS_ENTROPY), new Rng(1));
        Trainer trainer = new Trainer(model.parameters(), new Adam(Adam.Config.adamW()),
                Trainer.Config.of(new LearningRate.Warmup(20, 0.1, new LearningRate.Cosine(0.01, 400, 1e-3))).withClipNorm(1.0), new Rng(2));
        TruncatedBptt<float[]> bptt = new TruncatedBptt<>(model, Bptt.truncated(steps));
        float[] state = null;
        double loss = Double.NaN;
        for (int step = 0, pos = 0; step < 400; step++, pos = (pos + steps) % (span - steps - 1)) {
            int[] x = new int[steps * rows], y = new int[steps * rows];   // time-major (T, B)
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < rows; b++) {
                    x[t * rows + b] = alphabet.indexOf(text.charAt(b * span + pos + t));
                    y[t * rows + b] = alphabet.indexOf(text.charAt(b * span + pos + t + 1));
                }
            }
            state = pos == 0 ? null : state;                              // a new pass over the streams starts from zeros
            loss = trainer.train(bptt, Batch.ofTokens(steps, rows, x, y, null), state == null ? null : Slice.of(state));
            state = bptt.finalState().clone();                            // carry the state along the streams
        }
        assertTrue(loss < 0.2, "final loss " + loss);

        String prompt = "the quick";
        int[] sample = new Generator<>(model).generate(prompt.chars().map(alphabet::indexOf).toArray(), 60, Sampling.greedy(), new Rng(3));
        String expected = text.substring(prompt.length(), prompt.length() + 60);
        int right = 0;
        for (int i = 0; i < sample.length; i++) {
            right += alphabet.charAt(sample[i]) == expected.charAt(i) ? 1 : 0;
        }
        assertTrue(right >= 57, "continued " + right + "/60 characters right");
    }
}
