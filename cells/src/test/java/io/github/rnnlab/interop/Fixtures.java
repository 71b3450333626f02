package io.github.rnnlab.interop;

import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.io.DType;
import io.github.rnnlab.io.SafetensorsReader;
import io.github.rnnlab.io.SafetensorsWriter;
import io.github.rnnlab.io.TensorInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The PyTorch fixtures of {@code tools/make_pytorch_fixtures.py} (copied from core's test resources by this
 * module's pom), split into what rnnlab's files hold: the {@code state_dict}, the input of a forward run,
 * and PyTorch's results.
 */
final class Fixtures {
    static final List<String> CELLS = List.of("rnn_tanh", "rnn_relu", "lstm", "gru");
    static final List<String> CONFIGS = List.of("l1", "l2", "bi", "l2_bi", "nobias");
    /** The tensors of a fixture that are not its state_dict. */
    static final Set<String> DATA = Set.of("input", "h0", "c0", "output", "h_n", "c_n", "grad_output", "grad_h_n", "grad_c_n");
    /** The tensors of a forward input. */
    static final Set<String> INPUT = Set.of("input", "h0", "c0", "grad_output", "grad_h_n", "grad_c_n");
    static final CellRegistry REGISTRY = CellRegistry.load(Fixtures.class.getClassLoader());

    /** A tensor read whole: its dtype, shape and values. */
    record Tensor(DType dtype, int[] shape, double[] values) {
    }

    private Fixtures() {
    }

    /** Every fixture file name: each cell in each configuration in float64, and l2_bi in float32 too. */
    static List<String> names() {
        List<String> out = new ArrayList<>();
        for (String cell : CELLS) {
            for (String config : CONFIGS) {
                out.add(cell + "_" + config + "_f64");
                if (config.equals("l2_bi")) {
                    out.add(cell + "_" + config + "_f32");
                }
            }
        }
        return out;
    }

    static Path path(String name) {
        try {
            var url = Fixtures.class.getResource("/pytorch/" + name + ".safetensors");
            if (url == null) {
                throw new IllegalStateException("fixture " + name + " is not on the test class path");
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isParameter(String tensor) {
        return !DATA.contains(tensor) && !tensor.startsWith("grad.");
    }

    /** Every tensor of fixture {@code name}, in file order. */
    static Map<String, Tensor> tensors(String name) {
        try (SafetensorsReader r = SafetensorsReader.open(path(name))) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            for (TensorInfo t : r.tensors()) {
                m.put(t.name(), new Tensor(t.dtype(), t.intShape(), r.readDoubles(t.name())));
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> metadata(String name) {
        try (SafetensorsReader r = SafetensorsReader.open(path(name))) {
            return r.metadata();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tensors {@code which} selects, in their own dtype, with {@code metadata}, as a safetensors file. */
    static SafetensorsWriter writer(Map<String, Tensor> tensors, Predicate<String> which, Map<String, String> metadata) {
        SafetensorsWriter w = new SafetensorsWriter().metadata(metadata);
        tensors.forEach((k, t) -> {
            if (which.test(k)) {
                w.add(k, t.dtype() == DType.F64 ? DType.F64 : DType.F32, t.shape(), t.values(), 0);
            }
        });
        return w;
    }

    static Path write(Path file, Map<String, Tensor> tensors, Predicate<String> which, Map<String, String> metadata) throws IOException {
        writer(tensors, which, metadata).write(file);
        return file;
    }

    static SafetensorsReader reader(Map<String, Tensor> tensors, Predicate<String> which, Map<String, String> metadata) {
        return SafetensorsReader.of(writer(tensors, which, metadata).toBytes());
    }

    /**
     * max|a − b| / max(max|b|, 1e-6): the error relative to the tensor's scale (so entries near 0 are judged
     * against the largest entry, as a tolerance on the tensor rather than on each element).
     */
    static double relativeError(double[] actual, double[] expected) {
        if (actual.length != expected.length) {
            return Double.POSITIVE_INFINITY;
        }
        double diff = 0, scale = 1e-6;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            diff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(diff, d);
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / scale;
    }
}
