package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.checkpoint.Checkpoint;
import io.github.rnnlab.checkpoint.TrainingState;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.task.SequenceTask;
import io.github.rnnlab.task.TaskKind;
import io.github.rnnlab.train.TaskTraining;
import io.github.rnnlab.train.optim.LearningRate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnnlab train --task} in-process at tiny sizes: outputs, the curve with its metric, exact resuming, --init. */
class TaskTrainTest {
    @TempDir
    Path dir;

    private static final List<String> SMALL = List.of("--seq-len", "10", "--hidden", "8", "--batch", "8", "--threads", "1",
            "--progress", "none");

    private static String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(List.of(more));
        a.addAll(SMALL);
        return a.toArray(String[]::new);
    }

    private static TrainingState load(Path ckpt) throws IOException {
        try (CellRegistry registry = CellRegistry.load(TaskTrainTest.class.getClassLoader())) {
            return Checkpoint.load(ckpt, registry, F32Ops.standard());
        }
    }

    @Test
    void trainsTheAddingProblemAndWritesTheCurveWithItsMetric() throws IOException {
        Path out = dir.resolve("adding");
        CliRun r = CliRun.run(args("--task", "adding", "--steps", "30", "--lr", "0.01", "--out", out.toString()));
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("rnnlab train: lstm, 1 layer of 8: "), r.out());
        assertTrue(r.out().contains("task: adding, T = 10 (10 time steps, 2 inputs and 1 outputs per step), batch 8; baseline MSE 0.1667"),
                r.out());
        assertTrue(r.out().contains("30 steps of 8 sequences; adam lr 0.01 (constant), clip 1.0; evaluation every 3 steps on 8"
                + " held-out batches; 1 thread, seed 1"), r.out());
        assertTrue(r.out().contains("step 3: evaluation loss "), r.out());
        assertTrue(r.out().contains("done: step 30 of 30"), r.out());
        assertTrue(r.out().contains("final evaluation loss "), r.out());

        List<String> lines = Files.readAllLines(out.resolve("loss.csv"), StandardCharsets.UTF_8);
        assertEquals("step,train_loss,val_loss,val_mse,lr,sequences_per_s,elapsed_s", lines.get(0));
        assertEquals(31, lines.size(), "a row per step (30 steps: --log-every 1)");
        List<String[]> evaluated = lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).filter(f -> !f[2].isEmpty()).toList();
        assertEquals(10, evaluated.size(), "an evaluation every 3 steps");
        for (String[] f : evaluated) {
            assertEquals(7, f.length);
            assertEquals(Double.parseDouble(f[2]), Double.parseDouble(f[3]), 1e-5, "for the adding problem the metric is the loss");
        }
        assertTrue(Double.parseDouble(evaluated.get(9)[2]) < Double.parseDouble(evaluated.get(0)[2]), "the evaluation loss falls");
        assertEquals(1000, ImageIO.read(out.resolve("loss.png").toFile()).getWidth());

        TrainingState s = load(out.resolve("checkpoint.safetensors"));
        assertEquals(30, s.step());
        assertEquals("adding", s.config().extra().get("task"));
        assertTrue(s.config().model().input() instanceof SequenceModel.Features f && f.width() == 2);
        assertEquals(null, s.vocabulary());
    }

    /**
     * The same settings and seed train the same model as {@link TaskTraining#run}, which {@code rnnlab compare} runs:
     * parameters bit for bit, and the same final metric on the same evaluation set.
     */
    @Test
    void aTaskRunIsTheCompareRunOfItsCell() throws IOException {
        Path out = dir.resolve("gru");
        CliRun r = CliRun.run(args("--task", "parity", "--cell", "gru", "--steps", "12", "--lr", "0.01", "--seed", "5",
                "--out", out.toString()));
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        TrainingState s = load(out.resolve("checkpoint.safetensors"));

        SequenceTask task = TaskKind.PARITY.create(10, 8);
        TaskTraining.Config config = new TaskTraining.Config(TaskTraining.Model.of(8), TaskTraining.OptimizerKind.ADAM,
                new LearningRate.Constant(0.01), 1.0, 12, 4, 8, 5, TaskTraining.Config.SOLVED_GAP);
        TaskTraining.Result direct;
        try (CellRegistry registry = CellRegistry.load(getClass().getClassLoader())) {
            direct = TaskTraining.run(F32Ops.standard(), task, registry.provider("gru"), config, TaskTraining.Listener.NONE);
        }
        assertArrayEquals(direct.model().parameters().values(), s.model().parameters().values());
        double metric = TaskTraining.evaluate(s.model(), task, new Rng(TaskWorkload.evalSeed(5)), 8).metric();
        assertEquals(direct.finalMetric(), metric);
    }

    @Test
    void aResumedTaskRunContinuesBitForBit() throws IOException {
        Path straight = dir.resolve("straight");
        CliRun a = CliRun.run(args("--task", "reber", "--steps", "16", "--out", straight.toString()));
        assertEquals(ExitCodes.OK, a.exitCode(), a.err());
        Path split = dir.resolve("split");
        CliRun b1 = CliRun.run(args("--task", "reber", "--steps", "16", "--stop-at", "7", "--out", split.toString()));
        assertEquals(ExitCodes.OK, b1.exitCode(), b1.err());
        assertTrue(b1.out().contains("stopped at --stop-at: step 7 of 16"), b1.out());
        CliRun b2 = CliRun.run("train", "--resume", split.resolve("checkpoint.safetensors").toString(), "--progress", "none",
                "--threads", "1");
        assertEquals(ExitCodes.OK, b2.exitCode(), b2.err());
        assertTrue(b2.out().contains("resuming at step 7 of 16 steps of 8 sequences"), b2.out());
        assertArrayEquals(load(straight.resolve("checkpoint.safetensors")).model().parameters().values(),
                load(split.resolve("checkpoint.safetensors")).model().parameters().values());
        List<String> expected = Files.readAllLines(straight.resolve("loss.csv"));
        List<String> resumed = Files.readAllLines(split.resolve("loss.csv"));
        assertEquals(expected.size(), resumed.size());
        for (int i = 0; i < expected.size(); i++) {
            String[] e = expected.get(i).split(",", -1);
            String[] g = resumed.get(i).split(",", -1);
            for (int c = 0; c < 5; c++) { // step, losses, metric, lr; not the throughput and time
                assertEquals(e[c], g[c], "row " + i + " column " + c);
            }
        }
    }

    @Test
    void initChoosesTheRecurrentBlocksInitializer() throws IOException {
        Path out = dir.resolve("orthogonal");
        // one plain-SGD step at a negligible rate: the weights are still their initial values
        CliRun r = CliRun.run(args("--task", "adding", "--cell", "rnn_tanh", "--init", "weight_hh=orthogonal(2)",
                "--optimizer", "sgd", "--lr", "1e-12", "--steps", "1", "--out", out.toString()));
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("rnnlab train: rnn_tanh, 1 layer of 8, init weight_hh=orthogonal(2): "), r.out());
        TrainingState s = load(out.resolve("checkpoint.safetensors"));
        assertEquals("weight_hh=orthogonal(2)", s.config().extra().get("init"));
        double[] hh = s.model().parameters().get("rnn.weight_hh_l0");
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                double dot = 0;
                for (int k = 0; k < 8; k++) {
                    dot += hh[i * 8 + k] * hh[j * 8 + k];
                }
                assertEquals(i == j ? 4 : 0, dot, 1e-4, "W W^T = 4 I at (" + i + ", " + j + ")");
            }
        }

        Path plain = dir.resolve("plain");
        CliRun p = CliRun.run(args("--task", "adding", "--cell", "rnn_tanh", "--optimizer", "sgd", "--lr", "1e-12", "--steps", "1",
                "--out", plain.toString()));
        assertEquals(ExitCodes.OK, p.exitCode(), p.err());
        TrainingState d = load(plain.resolve("checkpoint.safetensors"));
        assertArrayEquals(d.model().parameters().get("rnn.weight_ih_l0"), s.model().parameters().get("rnn.weight_ih_l0"),
                "blocks --init does not name keep their values");
        double bound = 1 / Math.sqrt(8);
        for (double v : d.model().parameters().get("rnn.weight_hh_l0")) {
            assertTrue(Math.abs(v) <= bound + 1e-6, "default init is U(-1/sqrt(H), 1/sqrt(H)): " + v);
        }
    }
}
