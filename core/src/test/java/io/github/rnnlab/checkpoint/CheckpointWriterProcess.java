package io.github.rnnlab.checkpoint;

import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.train.Bptt;
import io.github.rnnlab.train.Trainer;
import io.github.rnnlab.train.optim.Adam;
import io.github.rnnlab.train.optim.LearningRate;
import io.github.rnnlab.train.optim.OptimizerConfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The child process of {@link CheckpointCrashTest}: trains a large model (tens of MB of parameters and Adam
 * buffers) one update at a time and saves a checkpoint after every update, for ever, announcing each save on
 * standard output before ({@code saving <step> <fingerprint>}) and after ({@code saved <step> <milliseconds>})
 * it, until it is killed.
 *
 * <p>Arguments: the checkpoint file, the hidden size.
 */
public final class CheckpointWriterProcess {
    private CheckpointWriterProcess() {
    }

    static TrainingConfig config(int hidden) {
        return new TrainingConfig("test_leaky",
                new SequenceModel.Config(new SequenceModel.Tokens(16, 16), new RecurrentConfig(16, hidden, 1, Directions.FORWARD, 0, Map.of()),
                        16, SequenceModel.Objective.CROSS_ENTROPY),
                new OptimizerConfig.Adam(Adam.Config.adamW()), Trainer.Config.of(new LearningRate.Constant(1e-3)), Bptt.full(), 2, 1, 99, Map.of());
    }

    static TrainingState start(int hidden) {
        return TrainingState.start(config(hidden), LeakyTestCell.PROVIDER, null, F32Ops.standard());
    }

    /** One update on a fixed two-token batch whose tokens depend on the step. */
    static void update(TrainingState s) {
        int a = (int) (s.step() % 16);
        s.train(Batch.ofTokens(2, 1, new int[]{a, (a + 5) % 16}, new int[]{(a + 1) % 16, (a + 7) % 16}, null), false);
    }

    /** CRC-32C of the parameters and the optimizer's buffers: which state a checkpoint holds. */
    static String fingerprint(TrainingState s) {
        CRC32C crc = new CRC32C();
        add(crc, s.model().parameters().values());
        s.optimizer().state().buffers().forEach((k, v) -> add(crc, v));
        return Long.toHexString(crc.getValue()) + "@" + s.trainer().rng().state();
    }

    private static void add(CRC32C crc, float[] a) {
        ByteBuffer b = ByteBuffer.allocate(4 * a.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(a);
        crc.update(b.array());
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        TrainingState s = start(Integer.parseInt(args[1]));
        while (true) {
            update(s);
            System.out.println("saving " + s.step() + " " + fingerprint(s));
            System.out.flush();
            long t0 = System.nanoTime();
            Checkpoint.save(file, s);
            System.out.println("saved " + s.step() + " " + (System.nanoTime() - t0) / 1_000_000);
            System.out.flush();
        }
    }
}
