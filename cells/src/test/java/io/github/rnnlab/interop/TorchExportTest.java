package io.github.rnnlab.interop;

import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.interop.Fixtures.Tensor;
import io.github.rnnlab.io.DType;
import io.github.rnnlab.io.SafetensorsReader;
import io.github.rnnlab.io.SafetensorsWriter;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.Parameters;
import io.github.rnnlab.nn.Pass;
import io.github.rnnlab.nn.Recurrent;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Precision;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.train.Trainer;
import io.github.rnnlab.train.optim.Adam;
import io.github.rnnlab.train.optim.LearningRate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Export: what rnnlab writes is what PyTorch's {@code state_dict} holds (names, shapes, and for bias=False
 * the absence of the bias tensors), it reads back unchanged, and a model trained here can be loaded by
 * PyTorch. The last part runs in Python: {@link #trainedModelsForPyTorch} writes trained models, inputs and
 * rnnlab's results to {@code -Drnnlab.export.dir=DIR} (a temporary folder otherwise), and
 * {@code tools/check_pytorch_export.py DIR} loads each model with {@code load_state_dict} and compares.
 */
class TorchExportTest {
    @TempDir
    Path dir;

    static List<String> fixtures() {
        return Fixtures.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void exportedNamesShapesAndOrderAreThoseOfPyTorch(String name) throws IOException {
        Map<String, Tensor> fixture = Fixtures.tensors(name);
        Path model = Fixtures.write(dir.resolve("model.safetensors"), fixture, Fixtures::isParameter, Map.of());
        TorchRecurrent<double[]> m = TorchRecurrent.read(model, F64Ops.INSTANCE, Fixtures.REGISTRY);
        Path exported = dir.resolve("exported.safetensors");
        m.write(exported);

        List<String> torchNames = new ArrayList<>(fixture.keySet().stream().filter(Fixtures::isParameter).toList());
        try (SafetensorsReader r = SafetensorsReader.open(exported)) {
            assertEquals(torchNames, r.names(), "names, in file order");
            for (String n : torchNames) {
                assertArrayEquals(fixture.get(n).shape(), r.tensor(n).intShape(), n);
                assertArrayEquals(fixture.get(n).values(), r.readDoubles(n), n);
                assertEquals(DType.F64, r.tensor(n).dtype());
            }
        }
        // state_dict order: layer, then direction, then weight_ih, weight_hh, bias_ih, bias_hh (nn.RNNBase._flat_weights_names)
        RecurrentConfig c = m.module().config();
        List<String> order = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            for (int d = 0; d < c.directions().count(); d++) {
                for (String b : c.bias() ? List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh") : List.of("weight_ih", "weight_hh")) {
                    order.add(b + "_l" + l + (d == 1 ? "_reverse" : ""));
                }
            }
        }
        assertEquals(order, new ArrayList<>(m.module().tensorShapes().keySet()));
        assertEquals(order, m.parameters().blocks().stream().filter(b -> !b.absent()).map(Parameters.Block::name).toList());
        assertEquals(new TreeSet<>(order), new TreeSet<>(torchNames));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void exportThenImportGivesTheSameModule(String name) throws IOException {
        Map<String, Tensor> fixture = Fixtures.tensors(name);
        Path model = Fixtures.write(dir.resolve("model.safetensors"), fixture, Fixtures::isParameter, Fixtures.metadata(name));
        TorchRecurrent<double[]> m64 = TorchRecurrent.read(model, F64Ops.INSTANCE, Fixtures.REGISTRY);
        Path e64 = dir.resolve("e64.safetensors");
        m64.write(e64);
        TorchRecurrent<double[]> back64 = TorchRecurrent.read(e64, F64Ops.INSTANCE, Fixtures.REGISTRY);
        assertSame(m64.module().cell(), back64.module().cell());
        assertEquals(m64.module().config(), back64.module().config());
        assertArrayEquals(m64.parameters().values(), back64.parameters().values());

        TorchRecurrent<float[]> m32 = TorchRecurrent.read(model, F32Ops.standard(), Fixtures.REGISTRY);
        Path e32 = dir.resolve("e32.safetensors");
        m32.write(e32);
        try (SafetensorsReader r = SafetensorsReader.open(e32)) {
            assertEquals(DType.F32, r.tensors().get(0).dtype());
            assertEquals(m32.module().metadata().get("cell"), r.metadata().get("cell"));
        }
        assertArrayEquals(m32.parameters().values(), TorchRecurrent.read(e32, F32Ops.standard(), Fixtures.REGISTRY).parameters().values());
    }

    @Test
    void aModelWithoutBiasTrainsWithoutBiasAndExportsNone() throws IOException {
        TorchModule module = new TorchModule(Fixtures.REGISTRY.provider("lstm"),
                new RecurrentConfig(4, 6, 2, Directions.BIDIRECTIONAL_CONCAT, 0, Map.of(), false));
        TorchRecurrent<float[]> m = TorchRecurrent.initialized(F32Ops.standard(), module, new Rng(5));
        float[] before = m.parameters().values().clone();
        train(m, 30, new Rng(6), (blocks, grads) -> {
            for (Parameters.Block b : blocks) {
                if (b.absent()) {
                    for (int i = b.offset(); i < b.offset() + b.size(); i++) {
                        assertEquals(0f, grads[i], "gradient of absent " + b.name());
                    }
                }
            }
        });
        int absent = 0;
        for (Parameters.Block b : m.parameters().blocks()) {
            double[] v = m.parameters().get(b.name());
            if (b.absent()) {
                absent++;
                assertTrue(b.name().startsWith("bias_"), b.name());
                assertArrayEquals(new double[b.size()], v, "absent " + b.name() + " stays 0 under AdamW with weight decay");
            } else {
                assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOfRange(before, b.offset(), b.offset() + b.size()),
                        java.util.Arrays.copyOfRange(m.parameters().values(), b.offset(), b.offset() + b.size())), b.name() + " trained");
            }
        }
        assertEquals(8, absent);
        Path file = dir.resolve("nobias.safetensors");
        m.write(file);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertTrue(r.names().stream().noneMatch(n -> n.startsWith("bias")), r.names().toString());
            assertEquals(8, r.names().size());
            assertEquals("false", r.metadata().get("bias"));
        }
        TorchRecurrent<float[]> back = TorchRecurrent.read(file, F32Ops.standard(), Fixtures.REGISTRY);
        assertEquals(module.config(), back.module().config());
        assertArrayEquals(m.parameters().values(), back.parameters().values());
    }

    /** Checks run on the parameter blocks and gradients after every backward pass. */
    private interface GradientCheck {
        void check(List<Parameters.Block> blocks, float[] gradients);
    }

    /**
     * Trains {@code m} for {@code updates} AdamW steps (weight decay 0.01, warm-up, clipping) to map random
     * sequences to a fixed random target: enough to move every trained parameter away from its initial value.
     */
    private static void train(TorchRecurrent<float[]> m, int updates, Rng rng, GradientCheck check) {
        Recurrent<float[]> stack = m.stack();
        int t = 5, b = 3, n = stack.inputSize(), w = stack.outputSize();
        Trainer trainer = new Trainer(m.parameters(), new Adam(Adam.Config.adamW()),
                Trainer.Config.of(new LearningRate.Warmup(5, 0.2, new LearningRate.Constant(0.02))).withClipNorm(1.0), new Rng(1));
        float[] target = new float[t * b * w];
        for (int i = 0; i < target.length; i++) {
            target[i] = (float) rng.uniform(-0.5, 0.5);
        }
        for (int step = 0; step < updates; step++) {
            float[] x = new float[t * b * n];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.uniform(-1, 1);
            }
            m.parameters().zeroGradients();
            stack.forward(Pass.training(0), t, b, Slice.of(x), null, null);
            float[] out = stack.output();
            float[] grad = new float[t * b * w];
            double loss = 0;
            for (int i = 0; i < grad.length; i++) {
                float d = out[i] - target[i];
                loss += 0.5 * d * d;
                grad[i] = d;
            }
            stack.backward(Slice.of(grad), null, false, false);
            check.check(m.parameters().blocks(), m.parameters().gradients());
            trainer.update(loss);
        }
    }

    static List<Arguments> exportCases() {
        List<Arguments> cases = new ArrayList<>();
        for (String cell : Fixtures.CELLS) {
            for (String config : List.of("l1", "l2_bi", "nobias")) {
                cases.add(Arguments.of(cell, config));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("exportCases")
    void trainedModelsForPyTorch(String cell, String config) throws IOException {
        String where = System.getProperty("rnnlab.export.dir");
        Path out = where == null || where.isBlank() ? dir : Files.createDirectories(Path.of(where));
        String name = cell + "_" + config;
        CellProvider provider = Fixtures.REGISTRY.provider(cell);
        RecurrentConfig rc = new RecurrentConfig(5, 7, config.equals("l2_bi") ? 2 : 1,
                config.equals("l2_bi") ? Directions.BIDIRECTIONAL_CONCAT : Directions.FORWARD, 0, Map.of(), !config.equals("nobias"));
        TorchRecurrent<float[]> m = TorchRecurrent.initialized(F32Ops.standard(), new TorchModule(provider, rc), new Rng(name.hashCode()));
        train(m, 10, new Rng(name.hashCode() + 1L), (blocks, grads) -> { });
        Path model = out.resolve(name + ".model.safetensors");
        m.write(model);

        Rng rng = new Rng(name.hashCode() + 2L);
        int t = 4, b = 2, rows = rc.layers() * rc.directions().count(), w = rc.outputSize();
        SafetensorsWriter in = new SafetensorsWriter()
                .add("input", new int[]{t, b, 5}, random(rng, t * b * 5))
                .add("h0", new int[]{rows, b, 7}, random(rng, rows * b * 7))
                .add("grad_output", new int[]{t, b, w}, random(rng, t * b * w))
                .add("grad_h_n", new int[]{rows, b, 7}, random(rng, rows * b * 7));
        if (cell.equals("lstm")) {
            in.add("c0", new int[]{rows, b, 7}, random(rng, rows * b * 7)).add("grad_c_n", new int[]{rows, b, 7}, random(rng, rows * b * 7));
        }
        Path input = out.resolve(name + ".input.safetensors");
        in.write(input);
        Path result = out.resolve(name + ".output.safetensors");
        TorchForward.Report r = TorchForward.run(model, input, result, Precision.F64, Fixtures.REGISTRY);
        TreeSet<String> expected = new TreeSet<>(List.of("output", "h_n", "grad.input", "grad.h0"));
        if (cell.equals("lstm")) {
            expected.addAll(List.of("c_n", "grad.c0"));
        }
        m.module().tensorShapes().keySet().forEach(k -> expected.add("grad." + k));
        assertEquals(expected, new TreeSet<>(r.written()));
    }

    private static double[] random(Rng rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.uniform(-1, 1);
        }
        return a;
    }

    @Test
    void theMetadataRecordsWhatShapesCannotTell() {
        TorchModule relu = new TorchModule(Fixtures.REGISTRY.provider("rnn_relu"),
                new RecurrentConfig(3, 2, 3, Directions.BIDIRECTIONAL_SUM, 0, Map.of(), false));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("bias", "false");
        expected.put("bidirectional", "true");
        expected.put("cell", "rnn_relu");
        expected.put("cell_version", "1.0.0");
        expected.put("directions", "bidirectional_sum");
        expected.put("hidden_size", "2");
        expected.put("input_size", "3");
        expected.put("num_layers", "3");
        assertEquals(expected, relu.metadata());
    }
}
