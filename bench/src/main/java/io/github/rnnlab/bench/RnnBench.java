package io.github.rnnlab.bench;

import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.kernel.WorkerTeam;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.Pass;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.Rng;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/*
 * What it measures: the peers' workloads W1–W3 (shared/peers/README.md) on rnnlab, float32: one
 * recurrent layer of cell `cell` (input `input`, hidden `hidden`) over a dense (steps, batch, input)
 * sequence, a linear head from the hidden size to 65 classes at every step, and the mean softmax
 * cross-entropy over all steps·batch positions, on a WorkerTeam of `threads` members.
 *   train: forward, loss and backward computing the gradient of every parameter (accumulated into the
 *          model's gradient vector, as PyTorch's .backward() does); no optimizer step, no input gradient.
 *   infer: forward only (no tape), producing the logits.
 * Cells are resolved by id through CellRegistry: every built-in on the class path, and every cell of
 * the plugin folders in `plugins` (a path list as RNNLAB_PLUGINS holds it; when the parameter is
 * empty, the RNNLAB_PLUGINS environment variable is read), so a plugin is benchmarked without new
 * code:  bench/run RnnBench -p cell=ssm -p plugins=plugins/ssm/target
 * Cell options come through `options` (name=value pairs separated by ';'), e.g. the SSM's scan against
 * its step-by-step run on one long sequence:
 *        bench/run RnnBench -p cell=ssm -p plugins=plugins/ssm/target -p batch=1 -p steps=100,1000,10000
 *                  -p options=scan=sequential,scan=parallel -p threads=2
 *
 *   W1: -p batch=64 -p input=128 -p hidden=256 -p steps=100   (cell lstm, gru, rnn_tanh)
 *   W2: -p batch=1  -p input=128 -p hidden=256 -p steps=100   (lstm)
 *   W3: -p batch=64 -p input=512 -p hidden=512 -p steps=100   (lstm)
 * Allocation per op: add -prof gc (gc.alloc.rate.norm, bytes/op); the time loop allocates nothing,
 * so it stays a small constant whatever `steps` is.
 *
 * JIT pitfalls avoided: inputs and targets are filled once from a seeded generator in @Setup; the
 * loss (train) and the logits array (infer) are returned, so JMH sinks them; the model and its work
 * buffers are created in @Setup and reused (the engine's buffers grow once and are then reused, as in
 * a training loop); the team's threads are started in @Setup and stopped in @TearDown.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class RnnBench {

    /** Classes of the head (the peers' V). */
    static final int CLASSES = 65;

    @Param({"lstm", "gru", "rnn_tanh"})
    public String cell;

    @Param({"64"})
    public int batch;

    @Param({"128"})
    public int input;

    @Param({"256"})
    public int hidden;

    @Param({"100"})
    public int steps;

    @Param({"1", "2"})
    public int threads;

    /** Plugin folders (path list, as RNNLAB_PLUGINS); empty: the RNNLAB_PLUGINS environment variable, if set. */
    @Param({""})
    public String plugins;

    /**
     * Cell options, {@code name=value} pairs separated by {@code ;} (JMH separates parameter values by commas),
     * e.g. {@code -p options=scan=sequential,scan=parallel} to compare the SSM's two ways of running a chunk.
     */
    @Param({""})
    public String options;

    private CellRegistry registry;
    private WorkerTeam team;
    private SequenceModel<float[]> model;
    private Batch<float[]> data;
    private double scale;

    @Setup(Level.Trial)
    public void setUp() {
        String folders = plugins.isEmpty() ? System.getenv().getOrDefault("RNNLAB_PLUGINS", "") : plugins;
        registry = CellRegistry.load(RnnBench.class.getClassLoader(), CellRegistry.folders(folders));
        CellProvider provider = registry.provider(cell);
        team = new WorkerTeam(threads);
        F32Ops ops = F32Ops.with(team);
        RecurrentConfig recurrent = new RecurrentConfig(input, hidden);
        for (String pair : options.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("options: expected name=value pairs separated by ';', got '" + pair + "'");
            }
            recurrent = recurrent.withOption(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        SequenceModel.Config config = new SequenceModel.Config(new SequenceModel.Features(input), recurrent, CLASSES,
                SequenceModel.Objective.CROSS_ENTROPY);
        model = SequenceModel.create(ops, provider, config, new Rng(42));
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[steps * batch * input];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        int[] y = new int[steps * batch];
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextInt(CLASSES);
        }
        data = Batch.ofFeatures(steps, batch, x, y, null);
        scale = model.meanScale(steps * batch);
        Species.log();
        System.out.println("# rnnlab: cell " + provider.id() + " " + provider.version()
                + (options.isBlank() ? "" : " (" + options + ")") + ", " + ops);
    }

    /** Keeps the accumulated gradients bounded across iterations (outside the measurement). */
    @Setup(Level.Iteration)
    public void zeroGradients() {
        model.parameters().zeroGradients();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        team.close();
        registry.close();
    }

    @Benchmark
    public double train() {
        model.forward(data, null, Pass.training(1));
        double loss = model.loss(0, scale, true);
        model.backward(null, false, false);
        return loss;
    }

    @Benchmark
    public float[] infer() {
        model.forward(data, null, Pass.inference());
        return model.predictions();
    }
}
