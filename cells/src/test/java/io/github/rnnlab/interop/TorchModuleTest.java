package io.github.rnnlab.interop;

import io.github.rnnlab.cells.LstmProvider;
import io.github.rnnlab.interop.Fixtures.Tensor;
import io.github.rnnlab.interop.StateDictException.Problem;
import io.github.rnnlab.io.DType;
import io.github.rnnlab.io.SafetensorsReader;
import io.github.rnnlab.io.SafetensorsWriter;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inference of a module from a state_dict with the built-in cells, and every way a state_dict can be wrong. */
class TorchModuleTest {
    @TempDir
    Path dir;

    /** The state_dict of fixture {@code name}, to be edited. */
    private static Map<String, Tensor> stateDict(String name) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        Fixtures.tensors(name).forEach((k, t) -> {
            if (Fixtures.isParameter(k)) {
                m.put(k, t);
            }
        });
        return m;
    }

    private static TorchModule infer(Map<String, Tensor> stateDict, Map<String, String> metadata) throws IOException {
        try (SafetensorsReader r = Fixtures.reader(stateDict, k -> true, metadata)) {
            return TorchModule.infer(r.tensors(), r.metadata(), Fixtures.REGISTRY);
        }
    }

    private static StateDictException failure(String fixture, Map<String, String> metadata, Consumer<Map<String, Tensor>> edit) {
        Map<String, Tensor> sd = stateDict(fixture);
        edit.accept(sd);
        return assertThrows(StateDictException.class, () -> infer(sd, metadata));
    }

    private static Tensor zeros(int... shape) {
        return new Tensor(DType.F64, shape, new double[Arrays.stream(shape).reduce(1, (a, b) -> a * b)]);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "rnn_tanh_l2_bi_f64, rnn_tanh, 2, BIDIRECTIONAL_CONCAT, true",
            "lstm_l2_f64,        lstm,     2, FORWARD,              true",
            "gru_bi_f64,         gru,      1, BIDIRECTIONAL_CONCAT, true",
            "gru_nobias_f64,     gru,      1, FORWARD,              false",
            "lstm_nobias_f64,    lstm,     1, FORWARD,              false",
            "rnn_relu_l1_f64,    rnn_tanh, 1, FORWARD,              true"})
    void infersTheConfigurationFromNamesAndShapesAlone(String fixture, String cell, int layers, Directions directions, boolean bias) throws IOException {
        TorchModule m = infer(stateDict(fixture), Map.of());
        assertEquals(cell, m.cell().id());
        assertEquals(new RecurrentConfig(4, 6, layers, directions, 0, Map.of(), bias), m.config());
    }

    @Test
    void reluNeedsTheCellMetadataBecauseShapesCannotTellItFromTanh() throws IOException {
        Map<String, Tensor> fixture = Fixtures.tensors("rnn_relu_l2_f64");
        Path input = Fixtures.write(dir.resolve("in.safetensors"), fixture, Fixtures.INPUT::contains, Map.of());
        double[] expected = fixture.get("output").values();
        for (boolean named : new boolean[]{false, true}) {
            Path model = Fixtures.write(dir.resolve("m.safetensors"), fixture, Fixtures::isParameter,
                    named ? Map.of("cell", "rnn_relu") : Map.of());
            Path out = dir.resolve("out.safetensors");
            TorchForward.Report r = TorchForward.run(model, input, out, Precision.F64, Fixtures.REGISTRY);
            assertEquals(named ? "rnn_relu" : "rnn_tanh", r.module().cell().id());
            try (SafetensorsReader o = SafetensorsReader.open(out)) {
                double err = Fixtures.relativeError(o.readDoubles("output"), expected);
                assertTrue(named ? err < 1e-10 : err > 1e-2, "named " + named + ": error " + err);
            }
        }
    }

    @Test
    void wrongShapeNamesTheTensorAndBothShapes() {
        StateDictException e = failure("lstm_l2_f64", Map.of(), sd -> sd.put("weight_hh_l1", zeros(24, 5)));
        assertEquals(Problem.SHAPE, e.problem());
        assertEquals("weight_hh_l1: expected shape [24, 6], got [24, 5]", e.getMessage());
        assertEquals("weight_hh_l1", e.tensor().orElseThrow());
    }

    @Test
    void wrongRankOfALayerZeroTensor() {
        StateDictException e = failure("gru_l1_f64", Map.of(), sd -> sd.put("weight_ih_l0", zeros(72)));
        assertEquals(Problem.SHAPE, e.problem());
        assertEquals("weight_ih_l0: expected 2 dimensions (3H, in), got shape [72]", e.getMessage());
    }

    @Test
    void missingTensor() {
        StateDictException e = failure("lstm_l2_f64", Map.of(), sd -> sd.remove("bias_hh_l1"));
        assertEquals(Problem.MISSING_TENSOR, e.problem());
        assertEquals("bias_hh_l1: expected a tensor of shape [24] (a lstm stack of 2 layers, input 4, hidden 6), got none", e.getMessage());
    }

    @Test
    void biasesMustBeAllThereOrAllAbsent() {
        StateDictException e = failure("lstm_l2_f64", Map.of(), sd -> {
            sd.remove("bias_ih_l0");
            sd.remove("bias_hh_l0");
        });
        assertEquals(Problem.MISSING_TENSOR, e.problem());
        assertTrue(e.getMessage().startsWith("bias_ih_l0: expected a tensor of shape [24]"), e.getMessage());
    }

    @Test
    void aReverseDirectionMissingInOneLayer() {
        StateDictException e = failure("gru_l2_bi_f64", Map.of(), sd -> sd.keySet().removeIf(k -> k.endsWith("_l1_reverse")));
        assertEquals(Problem.MISSING_TENSOR, e.problem());
        assertTrue(e.getMessage().startsWith("weight_ih_l1_reverse: expected a tensor of shape [18, 12] (a gru stack of 2 layers, bidirectional"),
                e.getMessage());
    }

    @Test
    void unexpectedTensor() {
        StateDictException e = failure("rnn_tanh_l1_f64", Map.of(), sd -> sd.put("weight_ih_l0_extra", zeros(6, 4)));
        assertEquals(Problem.UNEXPECTED_TENSOR, e.problem());
        assertEquals("weight_ih_l0_extra: unexpected tensor; a rnn_tanh stack of 1 layer, input 4, hidden 6 has weight_ih_l0,"
                + " weight_hh_l0, bias_ih_l0, bias_hh_l0", e.getMessage());
        StateDictException other = failure("rnn_tanh_l1_f64", Map.of(), sd -> sd.put("input", zeros(5, 3, 4)));
        assertEquals("input", other.tensor().orElseThrow());
    }

    @Test
    void layersMustBeNumberedFromZeroWithoutGaps() {
        StateDictException e = failure("lstm_l2_f64", Map.of(), sd -> {
            for (String k : new String[]{"weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"}) {
                sd.put(k.replace("_l1", "_l2"), sd.remove(k));
            }
        });
        assertEquals(Problem.LAYERS, e.problem());
        assertEquals("layers: expected tensors for every layer 0 to 2, got none for layer 1", e.getMessage());
    }

    @Test
    void unknownCell() {
        StateDictException e = failure("lstm_l1_f64", Map.of("cell", "ssm"), sd -> { });
        assertEquals(Problem.CELL, e.problem());
        assertEquals("cell: expected one of [gru, lstm, rnn_relu, rnn_tanh] (__metadata__ cell), got \"ssm\"", e.getMessage());
    }

    @Test
    void aGateCountOfNoPyTorchCellNeedsTheCellMetadata() {
        StateDictException e = failure("lstm_l1_f64", Map.of(), sd -> {
            sd.put("weight_hh_l0", zeros(12, 6));
        });
        assertEquals(Problem.CELL, e.problem());
        assertTrue(e.getMessage().contains("weight_hh_l0 [12, 6] has 2 gate blocks"), e.getMessage());
        StateDictException none = failure("lstm_l1_f64", Map.of(), sd -> sd.remove("weight_hh_l0"));
        assertEquals("cell: expected __metadata__ cell or a tensor weight_hh_l0 to tell the gate count from, got neither", none.getMessage());
    }

    @Test
    void theTensorsOfAnotherCellThanTheMetadataNames() {
        StateDictException e = failure("gru_l1_f64", Map.of("cell", "lstm"), sd -> { });
        assertEquals(Problem.SHAPE, e.problem());
        assertEquals("weight_ih_l0: expected shape [24, 4], got [18, 4]", e.getMessage());
    }

    @Test
    void nonFloatDtype() throws IOException {
        Map<String, Tensor> sd = stateDict("rnn_tanh_l1_f64");
        SafetensorsWriter w = Fixtures.writer(sd, k -> !k.equals("bias_hh_l0"), Map.of()).add("bias_hh_l0", new int[]{6}, new long[6]);
        try (SafetensorsReader r = SafetensorsReader.of(w.toBytes())) {
            StateDictException e = assertThrows(StateDictException.class, () -> TorchModule.infer(r.tensors(), r.metadata(), Fixtures.REGISTRY));
            assertEquals(Problem.DTYPE, e.problem());
            assertEquals("bias_hh_l0: expected a floating-point dtype (F64, F32, F16 or BF16), got I64", e.getMessage());
        }
    }

    @Test
    void metadataThatContradictsTheTensors() {
        StateDictException e = failure("lstm_l2_f64", Map.of("hidden_size", "7"), sd -> { });
        assertEquals(Problem.METADATA, e.problem());
        assertEquals("metadata hidden_size: the tensors say 6, expected the metadata to agree, got \"7\"", e.getMessage());
        assertEquals(Problem.METADATA, failure("lstm_l2_f64", Map.of("bias", "false"), sd -> { }).problem());
        assertEquals(Problem.METADATA, failure("lstm_l2_f64", Map.of("directions", "bidirectional_concat"), sd -> { }).problem());
        assertEquals(Problem.METADATA, failure("lstm_l2_f64", Map.of("directions", "sideways"), sd -> { }).problem());
    }

    @Test
    void aGivenProviderMustMatchTheCellMetadata() throws IOException {
        try (SafetensorsReader r = Fixtures.reader(stateDict("gru_l1_f64"), k -> true, Map.of("cell", "gru"))) {
            StateDictException e = assertThrows(StateDictException.class,
                    () -> TorchRecurrent.read(r, F64Ops.INSTANCE, new LstmProvider()));
            assertEquals("cell: expected lstm, got \"gru\" (__metadata__ cell)", e.getMessage());
        }
    }

    @Test
    void summedBidirectionalStacksAreNamedInTheMetadata() throws IOException {
        // PyTorch has no summing bidirectional stack; rnnlab's is told apart by metadata: its layer 1 reads H, not 2H
        TorchModule sum = new TorchModule(new LstmProvider(), new RecurrentConfig(4, 6, 2, Directions.BIDIRECTIONAL_SUM, 0, Map.of()));
        Path file = dir.resolve("sum.safetensors");
        TorchRecurrent.create(F64Ops.INSTANCE, sum).write(file);
        assertEquals(sum.config(), TorchRecurrent.read(file, F64Ops.INSTANCE, Fixtures.REGISTRY).module().config());
        assertTrue(Files.size(file) > 0);
    }
}
