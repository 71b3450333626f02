package io.github.rnnlab.interop;

import io.github.rnnlab.cell.CellLayout;
import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.interop.StateDictException.Problem;
import io.github.rnnlab.io.DType;
import io.github.rnnlab.io.SafetensorsReader;
import io.github.rnnlab.io.SafetensorsWriter;
import io.github.rnnlab.io.TensorInfo;
import io.github.rnnlab.nn.Parameters;
import io.github.rnnlab.nn.Pass;
import io.github.rnnlab.nn.Recurrent;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Precision;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a PyTorch-style recurrent module on an input file and writes what PyTorch's forward (and, on
 * request, backward) pass would: the engine behind {@code rnnlab forward --model M --input I --output O}.
 *
 * <h2>Files</h2>
 * The model is a {@code state_dict} ({@link TorchRecurrent#read}). The input file holds (D = 2 for a
 * bidirectional module, L layers, n the model's input size, H its hidden size, W = D·H its output width):
 * <ul>
 *   <li>{@code input} (T, B, n): required;</li>
 *   <li>{@code h0} (D·L, B, H), and {@code c0} for an LSTM (in general {@code <state>0} for each state of the
 *       cell, (D·L, B, size)): optional, zeros when absent;</li>
 *   <li>{@code grad_output} (T, B, W), {@code grad_h_n} (and {@code grad_c_n}; {@code grad_<state>_n}):
 *       optional; when any is present, the gradients of
 *       {@code Σ output·grad_output + Σ h_n·grad_h_n + Σ c_n·grad_c_n} are computed (an absent one counts
 *       as zeros).</li>
 * </ul>
 * Dtypes F64, F32, F16 or BF16 (half precision is widened exactly). Any other tensor is an error. The
 * output file gets {@code output} (T, B, W), {@code h_n} (and {@code c_n}: {@code <state>_n}), and with
 * gradients {@code grad.<parameter>} for every parameter of the {@code state_dict} (PyTorch's names; none
 * for the biases of a bias=False module, which has none), {@code grad.input}, {@code grad.h0} (and
 * {@code grad.c0}): PyTorch's {@code .grad} of each tensor. It is F64 for {@link Precision#F64} (the
 * float64 reference path) and F32 otherwise, and is written atomically.
 */
public final class TorchForward {
    /** The format written to the output's {@code __metadata__ format}. */
    public static final String FORMAT = "rnnlab-forward/1";

    private TorchForward() {
    }

    /**
     * What a run did.
     *
     * @param module    the model's module
     * @param steps     T
     * @param batch     B
     * @param gradients whether gradients were computed
     * @param written   the names of the tensors written, in the order they were computed
     */
    public record Report(TorchModule module, int steps, int batch, boolean gradients, List<String> written) {
        public Report {
            written = List.copyOf(written);
        }
    }

    /**
     * Reads the model and the input, runs the module in {@code precision}, and writes the output file.
     *
     * @throws StateDictException                      if the model or the input holds the wrong tensors
     *                                                 (shapes: "input: expected shape [T, B, 4], got [5, 3, 5]")
     * @throws io.github.rnnlab.io.SafetensorsException if a file is not valid safetensors
     * @throws IOException                             if a file cannot be read or written
     */
    public static Report run(Path model, Path input, Path output, Precision precision, CellRegistry registry) throws IOException {
        if (precision == Precision.F64) {
            return run(TorchRecurrent.read(model, F64Ops.INSTANCE, registry), input, output);
        }
        return run(TorchRecurrent.read(model, F32Ops.standard(), registry), input, output);
    }

    /**
     * Runs {@code model} (in its precision) on the input file and writes the output file. With gradients the
     * pass is a training pass: a module built with dropout (an imported one has none) applies it, as PyTorch's
     * module in training mode does.
     */
    public static <A> Report run(TorchRecurrent<A> model, Path input, Path output) throws IOException {
        SafetensorsWriter writer;
        Report report;
        try (SafetensorsReader in = SafetensorsReader.open(input)) {
            writer = new SafetensorsWriter();
            report = compute(model, in, writer);
        }
        writer.write(output);
        return report;
    }

    /**
     * Runs {@code model} on the tensors of {@code in} and adds the results (and metadata) to {@code out},
     * without writing a file.
     */
    public static <A> Report compute(TorchRecurrent<A> model, SafetensorsReader in, SafetensorsWriter out) throws IOException {
        Recurrent<A> stack = model.stack();
        Ops<A> ops = model.parameters().ops();
        DType dtype = ops.precision() == Precision.F64 ? DType.F64 : DType.F32;
        int n = stack.inputSize();
        int rows = stack.layers() * stack.directions();
        List<CellLayout.StateBlock> states = stack.cell(0).layout().states();

        // which tensors the file may hold
        Map<String, String> accepted = new LinkedHashMap<>();
        accepted.put("input", "(T, B, " + n + ")");
        for (CellLayout.StateBlock s : states) {
            accepted.put(s.name() + "0", "(" + rows + ", B, " + s.size() + ")");
        }
        accepted.put("grad_output", "(T, B, " + stack.outputSize() + ")");
        for (CellLayout.StateBlock s : states) {
            accepted.put("grad_" + s.name() + "_n", "(" + rows + ", B, " + s.size() + ")");
        }
        List<String> names = new ArrayList<>(in.names());
        names.sort(null);
        for (String name : names) {
            if (!accepted.containsKey(name)) {
                throw new StateDictException(Problem.UNEXPECTED_TENSOR, name, name + ": unexpected tensor; the input of "
                        + model.module().describe() + " holds " + String.join(", ", accepted.keySet()));
            }
            TorchModule.checkFloat(in.tensor(name));
        }

        // input (T, B, n)
        TensorInfo x = in.find("input").orElseThrow(() -> new StateDictException(Problem.MISSING_TENSOR, "input",
                "input: expected a tensor of shape [T, B, " + n + "], got none"));
        if (x.rank() != 3 || x.dim(2) != n) {
            throw new StateDictException(Problem.SHAPE, "input", "input: expected shape [T, B, " + n + "], got "
                    + Arrays.toString(x.shape()));
        }
        int[] xs = x.intShape();
        int steps = xs[0];
        int batch = xs[1];
        if ((long) steps * batch * Math.max(n, stack.outputSize()) > Integer.MAX_VALUE - 16) {
            throw new StateDictException(Problem.SHAPE, "input", "input: expected at most " + (Integer.MAX_VALUE - 16)
                    + " elements per sequence buffer, got shape " + Arrays.toString(x.shape()));
        }
        int[] stateShape = {rows, batch, 0};
        int[] outShape = {steps, batch, stack.outputSize()};
        A xa = read(in, "input", xs, ops);

        // initial state (D·L, B, S) assembled from <state>0
        int sl = stack.stateLength(batch);
        A initial = null;
        for (CellLayout.StateBlock s : states) {
            String name = s.name() + "0";
            if (in.contains(name)) {
                stateShape[2] = s.size();
                double[] v = readDoubles(in, name, stateShape);
                initial = initial != null ? initial : ops.allocate(Math.max(sl, 1));
                scatter(ops, v, initial, s, stack.stateSize());
            }
        }

        boolean gradients = in.contains("grad_output");
        for (CellLayout.StateBlock s : states) {
            gradients |= in.contains("grad_" + s.name() + "_n");
        }
        List<String> written = new ArrayList<>();
        stack.forward(gradients ? Pass.training(0) : Pass.inference(), steps, batch, Slice.of(xa), null,
                initial == null ? null : Slice.of(initial));
        double[] output = new double[steps * batch * stack.outputSize()];
        ops.toDoubles(output.length, stack.output(), 0, output, 0);
        out.add("output", dtype, outShape, output, 0);
        written.add("output");
        A fin = stack.finalState();
        for (CellLayout.StateBlock s : states) {
            stateShape[2] = s.size();
            out.add(s.name() + "_n", dtype, stateShape, stack.state(fin, s.name(), batch), 0);
            written.add(s.name() + "_n");
        }

        if (gradients) {
            Parameters<A> p = model.parameters();
            p.zeroGradients();
            A og = in.contains("grad_output") ? read(in, "grad_output", outShape, ops) : null;
            A fsg = null;
            for (CellLayout.StateBlock s : states) {
                String name = "grad_" + s.name() + "_n";
                if (in.contains(name)) {
                    stateShape[2] = s.size();
                    double[] v = readDoubles(in, name, stateShape);
                    fsg = fsg != null ? fsg : ops.allocate(Math.max(sl, 1));
                    scatter(ops, v, fsg, s, stack.stateSize());
                }
            }
            stack.backward(og == null ? null : Slice.of(og), fsg == null ? null : Slice.of(fsg), true, true);
            for (Parameters.Block b : p.blocks()) {
                if (!b.absent()) {
                    out.add("grad." + b.name(), dtype, b.shape(), p.gradient(b.name()), 0);
                    written.add("grad." + b.name());
                }
            }
            double[] dx = new double[steps * batch * n];
            ops.toDoubles(dx.length, stack.inputGradient(), 0, dx, 0);
            out.add("grad.input", dtype, xs, dx, 0);
            written.add("grad.input");
            A dInit = stack.initialStateGradient();
            for (CellLayout.StateBlock s : states) {
                stateShape[2] = s.size();
                out.add("grad." + s.name() + "0", dtype, stateShape, stack.state(dInit, s.name(), batch), 0);
                written.add("grad." + s.name() + "0");
            }
        }
        out.metadata("format", FORMAT);
        out.metadata("precision", ops.precision().name().toLowerCase(java.util.Locale.ROOT));
        out.metadata(model.module().metadata());
        return new Report(model.module(), steps, batch, gradients, written);
    }

    /** Copies a (rows, B, size) state tensor into the {@code s} part of the (rows, B, S) state rows. */
    private static <A> void scatter(Ops<A> ops, double[] v, A rowsArray, CellLayout.StateBlock s, int stateSize) {
        int count = v.length / s.size();
        for (int r = 0; r < count; r++) {
            ops.fromDoubles(s.size(), v, r * s.size(), rowsArray, r * stateSize + s.offset());
        }
    }

    private static <A> A read(SafetensorsReader in, String name, int[] shape, Ops<A> ops) throws IOException {
        double[] v = readDoubles(in, name, shape);
        A a = ops.allocate(Math.max(v.length, 1));
        ops.fromDoubles(v.length, v, 0, a, 0);
        return a;
    }

    private static double[] readDoubles(SafetensorsReader in, String name, int[] shape) throws IOException {
        TensorInfo t = in.tensor(name);
        if (!t.hasShape(shape)) {
            throw new StateDictException(Problem.SHAPE, name, name + ": expected shape " + Arrays.toString(shape) + ", got "
                    + Arrays.toString(t.shape()));
        }
        return in.readDoubles(name);
    }
}
