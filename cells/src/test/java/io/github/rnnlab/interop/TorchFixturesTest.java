package io.github.rnnlab.interop;

import io.github.rnnlab.interop.Fixtures.Tensor;
import io.github.rnnlab.io.DType;
import io.github.rnnlab.io.SafetensorsReader;
import io.github.rnnlab.io.TensorInfo;
import io.github.rnnlab.numeric.Precision;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TorchForward} against PyTorch 1.13 itself: for every fixture of {@code tools/make_pytorch_fixtures.py}
 * (rnn_tanh, rnn_relu, lstm and gru; one layer, two layers, bidirectional, both, bias=False; float64, and the
 * two-layer bidirectional stacks in float32 too), the state_dict and the inputs are written as rnnlab's model
 * and input files, the forward runner runs them, and every tensor of its output — {@code output},
 * {@code h_n}, {@code c_n}, {@code grad.<parameter>}, {@code grad.input}, {@code grad.h0}, {@code grad.c0} —
 * is compared with PyTorch's.
 *
 * <p>Error measure: per tensor, {@code max|rnnlab − torch| / max(max|torch|, 1e-6)} ({@link Fixtures#relativeError}).
 * Bounds: 1e-5 for the float64 path on float64 fixtures (the bound; the test also holds it to 1e-10,
 * since both sides compute in float64), 1e-4 whenever float32 is involved (the float32 path, or a float32
 * fixture).
 */
class TorchFixturesTest {
    @TempDir
    Path dir;

    static Stream<Arguments> runs() {
        List<Arguments> a = new ArrayList<>();
        for (String name : Fixtures.names()) {
            a.add(Arguments.of(name, Precision.F64));
            a.add(Arguments.of(name, Precision.F32));
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} on the {1} path")
    @MethodSource("runs")
    void forwardAndGradientsMatchPyTorch(String name, Precision precision) throws IOException {
        Map<String, Tensor> fixture = Fixtures.tensors(name);
        Map<String, String> metadata = Fixtures.metadata(name);
        Path model = Fixtures.write(dir.resolve("model.safetensors"), fixture, Fixtures::isParameter, metadata);
        Path input = Fixtures.write(dir.resolve("input.safetensors"), fixture, Fixtures.INPUT::contains, Map.of());
        Path output = dir.resolve("output.safetensors");

        TorchForward.Report report = TorchForward.run(model, input, output, precision, Fixtures.REGISTRY);

        assertEquals(metadata.get("cell"), report.module().cell().id());
        assertTrue(report.gradients());
        boolean f32 = precision == Precision.F32 || name.endsWith("_f32");
        double bound = f32 ? 1e-4 : 1e-5;
        double strict = f32 ? 1e-4 : 1e-10;
        TreeSet<String> expected = new TreeSet<>();
        for (String k : fixture.keySet()) {
            if (k.startsWith("grad.") || k.equals("output") || k.endsWith("_n") && !k.startsWith("grad_")) {
                expected.add(k);
            }
        }
        try (SafetensorsReader out = SafetensorsReader.open(output)) {
            assertEquals(expected, new TreeSet<>(out.names()), "tensors written");
            for (TensorInfo t : out.tensors()) {
                Tensor torch = fixture.get(t.name());
                assertEquals(precision == Precision.F64 ? DType.F64 : DType.F32, t.dtype(), t.name());
                assertTrue(t.hasShape(torch.shape()), t.name() + " shape " + java.util.Arrays.toString(t.shape()));
                double err = Fixtures.relativeError(out.readDoubles(t.name()), torch.values());
                assertTrue(err <= bound && err <= strict, name + " " + t.name() + ": relative error " + err + " above " + Math.min(bound, strict));
            }
        }
    }
}
