package io.github.rnnlab.interop;

import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.io.DType;
import io.github.rnnlab.io.SafetensorsReader;
import io.github.rnnlab.io.SafetensorsWriter;
import io.github.rnnlab.nn.Parameters;
import io.github.rnnlab.nn.Recurrent;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Precision;
import io.github.rnnlab.numeric.Rng;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A recurrent stack with parameters of its own, named as PyTorch names them, so that it reads and writes
 * the {@code state_dict} of {@code nn.RNN}, {@code nn.LSTM} and {@code nn.GRU} (any {@code num_layers},
 * {@code bidirectional}, {@code bias=False} too) as safetensors:
 * <pre>{@code
 * TorchRecurrent<double[]> m = TorchRecurrent.read(Path.of("lstm.safetensors"), F64Ops.INSTANCE, registry);
 * m.stack().forward(Pass.inference(), steps, batch, Slice.of(x), null, null);
 * m.write(Path.of("trained.safetensors"));   // torch: module.load_state_dict(load_file(...)) unchanged
 * }</pre>
 * In Python, {@code safetensors.torch.load_file} (or any reader of the format) gives a dictionary that
 * {@code load_state_dict} accepts as it is: the names, shapes and (for bias=False) the absence of the bias
 * tensors are PyTorch's. The file's {@code __metadata__} also records the configuration
 * ({@link TorchModule#metadata()}), which tells {@code rnn_relu} from {@code rnn_tanh} and names plugin
 * cells.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public final class TorchRecurrent<A> {
    private final TorchModule module;
    private final Parameters<A> parameters;
    private final Recurrent<A> stack;

    private TorchRecurrent(TorchModule module, Ops<A> ops) {
        this.module = module;
        this.parameters = new Parameters<>(ops);
        this.stack = new Recurrent<>(parameters, "", module.cell(), module.config());
        parameters.allocate();
    }

    /** A stack of {@code module} with every parameter 0. */
    public static <A> TorchRecurrent<A> create(Ops<A> ops, TorchModule module) {
        return new TorchRecurrent<>(module, ops);
    }

    /** A stack of {@code module} initialised by its cells' default initializers from {@code rng}. */
    public static <A> TorchRecurrent<A> initialized(Ops<A> ops, TorchModule module, Rng rng) {
        TorchRecurrent<A> m = new TorchRecurrent<>(module, ops);
        m.parameters.initialize(rng);
        return m;
    }

    /**
     * Reads the {@code state_dict} in {@code file}, inferring the module ({@link TorchModule#infer}) with the
     * cells of {@code registry}.
     *
     * @throws StateDictException                  if the tensors are not exactly those of a module
     * @throws io.github.rnnlab.io.SafetensorsException if the file is not valid safetensors
     */
    public static <A> TorchRecurrent<A> read(Path file, Ops<A> ops, CellRegistry registry) throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            return read(r, ops, registry);
        }
    }

    /** {@link #read(Path, Ops, CellRegistry)} from an open reader. */
    public static <A> TorchRecurrent<A> read(SafetensorsReader reader, Ops<A> ops, CellRegistry registry) throws IOException {
        return load(reader, ops, TorchModule.infer(reader.tensors(), reader.metadata(), registry));
    }

    /** Reads a {@code state_dict} of a stack of {@code cell} (the file's {@code __metadata__} cell, if any, must agree). */
    public static <A> TorchRecurrent<A> read(SafetensorsReader reader, Ops<A> ops, CellProvider cell) throws IOException {
        return load(reader, ops, TorchModule.infer(reader.tensors(), reader.metadata(), cell));
    }

    private static <A> TorchRecurrent<A> load(SafetensorsReader reader, Ops<A> ops, TorchModule module) throws IOException {
        TorchRecurrent<A> m = new TorchRecurrent<>(module, ops);
        StateDict.read(reader, m.parameters, "");
        return m;
    }

    public TorchModule module() {
        return module;
    }

    /** The parameters, named {@code weight_ih_l0}, … (no prefix), absent blocks included. */
    public Parameters<A> parameters() {
        return parameters;
    }

    /** The stack, computing with {@link #parameters()}. */
    public Recurrent<A> stack() {
        return stack;
    }

    /**
     * A writer holding the {@code state_dict} (the parameter vector by reference) and the module's
     * metadata, stored as {@code dtype}; add tensors or metadata to it, then write it.
     */
    public SafetensorsWriter writer(DType dtype) {
        SafetensorsWriter w = new SafetensorsWriter().metadata(module.metadata()).metadata("format", "rnnlab-state-dict/1");
        return StateDict.add(w, parameters, "", dtype);
    }

    /** Writes the {@code state_dict} atomically, in the parameters' precision (F32 or F64). */
    public void write(Path file) throws IOException {
        write(file, parameters.ops().precision() == Precision.F64 ? DType.F64 : DType.F32);
    }

    /** Writes the {@code state_dict} atomically as {@code dtype}. */
    public void write(Path file, DType dtype) throws IOException {
        writer(dtype).write(file);
    }
}
