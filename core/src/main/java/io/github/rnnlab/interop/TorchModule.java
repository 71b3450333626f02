package io.github.rnnlab.interop;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.cell.Dim;
import io.github.rnnlab.cell.ParameterSpec;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.interop.StateDictException.Problem;
import io.github.rnnlab.io.DType;
import io.github.rnnlab.io.TensorInfo;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.Parameters;
import io.github.rnnlab.nn.Recurrent;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.numeric.F64Ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recurrent stack as a PyTorch {@code state_dict} describes it: PyTorch's {@code nn.RNN},
 * {@code nn.LSTM} and {@code nn.GRU}, or a stack of any other cell whose tensors are named the same way
 * ({@code <block>_l<k>} and {@code <block>_l<k>_reverse}, with the cell's own block names).
 *
 * <h2>Inference</h2>
 * {@link #infer} reads the configuration from the tensors' names and shapes:
 * <ul>
 *   <li>the cell: {@code __metadata__} {@code cell} if present (any id the {@link CellRegistry} knows, e.g.
 *       {@code rnn_relu} or a plugin's {@code ssm}); otherwise the gate count G = rows / columns of
 *       {@code weight_hh_l0}: 1 → {@code rnn_tanh} (PyTorch's default nonlinearity; shapes cannot tell
 *       tanh from relu), 3 → {@code gru}, 4 → {@code lstm};</li>
 *   <li>the cell's options: {@code __metadata__} {@code option.<name>}, else the cell's defaults;</li>
 *   <li>input and hidden size: solved from the layer-0 tensors, generically: each dimension of the
 *       provider's {@link ParameterSpec}s is a {@link Dim} of the configuration; those that are affine in
 *       (in, H), such as {@code 4H}, {@code H}, {@code in} or {@code H·N}, are identified by evaluating them at
 *       a few configurations and solved for H and then in (so a cell without {@code weight_hh} is handled as
 *       well). {@code __metadata__} {@code hidden_size}/{@code input_size} are used when the tensors do not
 *       determine them;</li>
 *   <li>layers from the {@code _l{k}} suffixes (they must be 0…L−1), directions from {@code _reverse}
 *       ({@code __metadata__} {@code directions = bidirectional_sum} selects the summing variant, which
 *       PyTorch does not have), bias from the presence of the bias blocks (those of role
 *       {@link Role#INPUT_BIAS} or {@link Role#RECURRENT_BIAS}): none present is {@code bias=False}.</li>
 * </ul>
 * The tensors must then be exactly the module's: every one present with its shape, a floating-point
 * dtype, and nothing else; {@code __metadata__} {@code input_size}, {@code hidden_size},
 * {@code num_layers}, {@code bidirectional} and {@code bias}, when present, must agree. Anything else is a
 * {@link StateDictException} naming the tensor, what was expected and what arrived. Other metadata keys
 * are ignored.
 *
 * @param cell   the cell of every layer
 * @param config the stack's shape; its dropout is 0 for an inferred module (PyTorch does not store it)
 */
public record TorchModule(CellProvider cell, RecurrentConfig config) {

    /** The {@code __metadata__} key naming the cell. */
    public static final String CELL = "cell";
    /** The prefix of the {@code __metadata__} keys holding the cell's options ({@code option.state_size}). */
    public static final String OPTION_PREFIX = "option.";

    private static final Pattern SUFFIX = Pattern.compile("(.+)_l(0|[1-9][0-9]{0,5})(_reverse)?");
    private static final Map<Integer, String> BY_GATES = Map.of(1, "rnn_tanh", 3, "gru", 4, "lstm");

    public TorchModule {
        if (cell == null || config == null) {
            throw new IllegalArgumentException("a module needs a cell and a configuration");
        }
    }

    /**
     * The {@code state_dict} names and shapes, in PyTorch's order (layer, then direction, then the cell's
     * block order): {@code weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, weight_ih_l0_reverse, …}.
     * Without bias the bias blocks are left out, as PyTorch leaves them out.
     */
    public Map<String, int[]> tensorShapes() {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (Parameters.Block b : layout().blocks()) {
            if (!b.absent()) {
                out.put(b.name(), b.shape());
            }
        }
        return out;
    }

    /** The parameter blocks a stack of this module adds, absent ones included, without allocating them. */
    private Parameters<double[]> layout() {
        Parameters<double[]> p = new Parameters<>(F64Ops.INSTANCE);
        new Recurrent<>(p, "", cell, config);
        return p;
    }

    /**
     * The metadata an export writes: {@code cell}, {@code cell_version}, {@code input_size},
     * {@code hidden_size}, {@code num_layers}, {@code bidirectional}, {@code bias} (as PyTorch's
     * constructor arguments, booleans as {@code true}/{@code false}), {@code directions}
     * ({@code forward}, {@code bidirectional_concat} or {@code bidirectional_sum}) and
     * {@code option.<name>} for each cell option.
     */
    public Map<String, String> metadata() {
        Map<String, String> m = new TreeMap<>();
        m.put(CELL, cell.id());
        m.put("cell_version", cell.version());
        m.put("input_size", Integer.toString(config.inputSize()));
        m.put("hidden_size", Integer.toString(config.hiddenSize()));
        m.put("num_layers", Integer.toString(config.layers()));
        m.put("bidirectional", Boolean.toString(config.directions().count() == 2));
        m.put("bias", Boolean.toString(config.bias()));
        m.put("directions", config.directions().name().toLowerCase(Locale.ROOT));
        config.options().forEach((k, v) -> m.put(OPTION_PREFIX + k, v));
        return m;
    }

    // ---- inference ----------------------------------------------------------------------------------

    /**
     * The module whose {@code state_dict} {@code tensors} is, the cell found in {@code registry} by
     * {@code __metadata__} {@code cell} or by gate count (see the class comment).
     *
     * @throws StateDictException if the tensors are not exactly those of a module, or the cell is unknown
     */
    public static TorchModule infer(List<TensorInfo> tensors, Map<String, String> metadata, CellRegistry registry) {
        String id = metadata.get(CELL);
        if (id == null) {
            id = cellByGateCount(byName(tensors));
        }
        CellProvider provider;
        try {
            provider = registry.provider(id);
        } catch (CellRegistry.UnknownCellException e) {
            throw new StateDictException(Problem.CELL, null, "cell: expected one of " + e.available()
                    + (metadata.containsKey(CELL) ? " (__metadata__ cell)" : "") + ", got \"" + id + "\"", e);
        }
        return infer(tensors, metadata, provider);
    }

    /**
     * The module of cell {@code cell} whose {@code state_dict} {@code tensors} is.
     *
     * @throws StateDictException if {@code __metadata__} names another cell, or the tensors are not exactly
     *                            those of a module of this cell
     */
    public static TorchModule infer(List<TensorInfo> tensors, Map<String, String> metadata, CellProvider cell) {
        String named = metadata.get(CELL);
        if (named != null && !named.equals(cell.id())) {
            throw new StateDictException(Problem.CELL, null, "cell: expected " + cell.id() + ", got \"" + named
                    + "\" (__metadata__ cell)");
        }
        Map<String, TensorInfo> byName = byName(tensors);
        for (TensorInfo t : tensors) {
            checkFloat(t);
        }
        Map<String, String> options = options(metadata);
        Map<String, ParameterSpec> specs = new LinkedHashMap<>();
        for (ParameterSpec p : cell.parameters()) {
            specs.put(p.name(), p);
        }

        // layers, directions and bias from the names
        TreeSet<Integer> layers = new TreeSet<>();
        boolean reverse = false;
        boolean anyBias = false;
        for (TensorInfo t : tensors) {
            Matcher m = SUFFIX.matcher(t.name());
            if (m.matches() && specs.containsKey(m.group(1))) {
                layers.add(Integer.parseInt(m.group(2)));
                reverse |= m.group(3) != null;
                Role role = specs.get(m.group(1)).role();
                anyBias |= role.isBias();
            }
        }
        if (layers.isEmpty()) {
            throw new StateDictException(Problem.MISSING_TENSOR, null, "tensors of cell " + cell.id() + ": expected "
                    + String.join(", ", specs.keySet().stream().map(n -> n + "_l0").toList()) + ", …; got "
                    + (tensors.isEmpty() ? "none" : names(tensors)));
        }
        int count = layers.last() + 1;
        if (layers.size() != count) {
            for (int k = 0; k < count; k++) {
                if (!layers.contains(k)) {
                    throw new StateDictException(Problem.LAYERS, null, "layers: expected tensors for every layer 0 to "
                            + layers.last() + ", got none for layer " + k);
                }
            }
        }
        Directions directions = reverse ? Directions.BIDIRECTIONAL_CONCAT : Directions.FORWARD;
        String dirs = metadata.get("directions");
        if (dirs != null) {
            Directions named2 = parseDirections(dirs);
            if (named2.count() != directions.count()) {
                throw new StateDictException(Problem.METADATA, null, "metadata directions: expected "
                        + (reverse ? "bidirectional_concat or bidirectional_sum (the tensors have _reverse)" : "forward (no tensor has _reverse)")
                        + ", got \"" + dirs + "\"");
            }
            directions = named2;
        }

        // input and hidden size from the layer-0, forward-direction tensors
        int[] sizes = solveSizes(cell, options, specs, byName, metadata);
        RecurrentConfig config = new RecurrentConfig(sizes[0], sizes[1], count, directions, 0, options, anyBias);
        TorchModule module = new TorchModule(cell, config);

        // every tensor of the module, with its shape, and nothing else
        Map<String, int[]> expected = module.tensorShapes();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            TensorInfo t = byName.get(e.getKey());
            if (t == null) {
                throw new StateDictException(Problem.MISSING_TENSOR, e.getKey(), e.getKey() + ": expected a tensor of shape "
                        + Arrays.toString(e.getValue()) + " (" + module.describe() + "), got none");
            }
            if (!t.hasShape(e.getValue())) {
                throw new StateDictException(Problem.SHAPE, e.getKey(), e.getKey() + ": expected shape "
                        + Arrays.toString(e.getValue()) + ", got " + Arrays.toString(t.shape()));
            }
        }
        for (TensorInfo t : sorted(tensors)) {
            if (!expected.containsKey(t.name())) {
                throw new StateDictException(Problem.UNEXPECTED_TENSOR, t.name(), t.name() + ": unexpected tensor; "
                        + module.describe() + " has " + String.join(", ", expected.keySet()));
            }
        }
        checkMetadata(metadata, "input_size", Integer.toString(config.inputSize()));
        checkMetadata(metadata, "hidden_size", Integer.toString(config.hiddenSize()));
        checkMetadata(metadata, "num_layers", Integer.toString(config.layers()));
        checkMetadata(metadata, "bidirectional", Boolean.toString(config.directions().count() == 2));
        checkMetadata(metadata, "bias", Boolean.toString(config.bias()));
        return module;
    }

    /** "lstm stack of 2 layers, bidirectional, input 4, hidden 6" for messages. */
    String describe() {
        return "a " + cell.id() + " stack of " + config.layers() + (config.layers() == 1 ? " layer" : " layers")
                + (config.directions().count() == 2 ? ", bidirectional" : "") + (config.bias() ? "" : ", without bias")
                + ", input " + config.inputSize() + ", hidden " + config.hiddenSize();
    }

    private static String cellByGateCount(Map<String, TensorInfo> byName) {
        TensorInfo hh = byName.get("weight_hh_l0");
        if (hh == null) {
            throw new StateDictException(Problem.CELL, null, "cell: expected __metadata__ cell or a tensor weight_hh_l0 to tell"
                    + " the gate count from, got neither");
        }
        if (hh.rank() != 2 || hh.dim(1) < 1 || hh.dim(0) % hh.dim(1) != 0) {
            throw new StateDictException(Problem.SHAPE, hh.name(), hh.name() + ": expected shape [G·H, H], got "
                    + Arrays.toString(hh.shape()));
        }
        long gates = hh.dim(0) / hh.dim(1);
        String id = gates <= 4 ? BY_GATES.get((int) gates) : null;
        if (id == null) {
            throw new StateDictException(Problem.CELL, null, "cell: weight_hh_l0 " + Arrays.toString(hh.shape()) + " has "
                    + gates + " gate blocks; PyTorch's cells have 1 (RNN), 3 (GRU) or 4 (LSTM): expected __metadata__ cell"
                    + " naming the cell, got none");
        }
        return id;
    }

    /** f(in, H) = a·in + b·H + c for one dimension, with fixed options; null if it is not affine. */
    private record Affine(long a, long b, long c) {
        static Affine of(Dim d, Map<String, String> options) {
            try {
                long f00 = d.resolve(new CellConfig(7, 5, options));
                long a = d.resolve(new CellConfig(8, 5, options)) - f00;
                long b = d.resolve(new CellConfig(7, 6, options)) - f00;
                Affine f = new Affine(a, b, f00 - 7 * a - 5 * b);
                int[][] checks = {{3, 11}, {13, 2}, {1, 1}, {29, 31}};
                for (int[] p : checks) {
                    if (d.resolve(new CellConfig(p[0], p[1], options)) != f.at(p[0], p[1])) {
                        return null;
                    }
                }
                return f;
            } catch (RuntimeException e) {
                return null; // an option the dimension needs is unset, or a size function that rejects these probes
            }
        }

        long at(long in, long h) {
            return a * in + b * h + c;
        }
    }

    private static int[] solveSizes(CellProvider cell, Map<String, String> options, Map<String, ParameterSpec> specs,
                                    Map<String, TensorInfo> byName, Map<String, String> metadata) {
        Map<String, String> withDefaults = new CellConfig(1, 1, options).withDefaults(cell.options()).options();
        record Equation(String tensor, Affine f, long observed) {
        }
        List<Equation> equations = new ArrayList<>();
        for (ParameterSpec p : specs.values()) {
            TensorInfo t = byName.get(p.name() + "_l0");
            if (t == null) {
                continue; // reported as missing once the sizes are known
            }
            if (t.rank() != p.shape().size()) {
                throw new StateDictException(Problem.SHAPE, t.name(), t.name() + ": expected " + p.shape().size()
                        + (p.shape().size() == 1 ? " dimension " : " dimensions ") + p.shapeSymbol() + ", got shape "
                        + Arrays.toString(t.shape()));
            }
            for (int i = 0; i < p.shape().size(); i++) {
                Affine f = Affine.of(p.shape().get(i), withDefaults);
                if (f != null) {
                    equations.add(new Equation(t.name(), f, t.dim(i)));
                }
            }
        }
        Long hidden = null;
        for (Equation e : equations) {
            if (e.f.a == 0 && e.f.b != 0 && (e.observed - e.f.c) % e.f.b == 0 && (e.observed - e.f.c) / e.f.b >= 1) {
                hidden = (e.observed - e.f.c) / e.f.b;
                break;
            }
        }
        if (hidden == null) {
            hidden = metadataSize(metadata, "hidden_size", cell);
        }
        Long input = null;
        for (Equation e : equations) {
            long rest = e.observed - e.f.b * hidden - e.f.c;
            if (e.f.a != 0 && rest % e.f.a == 0 && rest / e.f.a >= 1) {
                input = rest / e.f.a;
                break;
            }
        }
        if (input == null) {
            input = metadataSize(metadata, "input_size", cell);
        }
        if (hidden > Integer.MAX_VALUE || input > Integer.MAX_VALUE) {
            throw new StateDictException(Problem.SHAPE, null, "sizes: expected at most " + Integer.MAX_VALUE + ", got input "
                    + input + " and hidden " + hidden);
        }
        return new int[]{(int) (long) input, (int) (long) hidden};
    }

    private static long metadataSize(Map<String, String> metadata, String key, CellProvider cell) {
        String v = metadata.get(key);
        if (v == null) {
            throw new StateDictException(Problem.METADATA, null, key + ": the tensors of cell " + cell.id()
                    + " do not determine it; expected __metadata__ " + key + ", got none");
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StateDictException(Problem.METADATA, null, "metadata " + key + ": expected a positive integer, got \"" + v + "\"");
    }

    private static void checkMetadata(Map<String, String> metadata, String key, String actual) {
        String v = metadata.get(key);
        if (v != null && !v.trim().equalsIgnoreCase(actual)) {
            throw new StateDictException(Problem.METADATA, null, "metadata " + key + ": the tensors say " + actual
                    + ", expected the metadata to agree, got \"" + v + "\"");
        }
    }

    private static Directions parseDirections(String s) {
        for (Directions d : Directions.values()) {
            if (d.name().equalsIgnoreCase(s.trim())) {
                return d;
            }
        }
        throw new StateDictException(Problem.METADATA, null, "metadata directions: expected forward, bidirectional_concat or"
                + " bidirectional_sum, got \"" + s + "\"");
    }

    private static Map<String, String> options(Map<String, String> metadata) {
        Map<String, String> options = new TreeMap<>();
        metadata.forEach((k, v) -> {
            if (k.startsWith(OPTION_PREFIX)) {
                options.put(k.substring(OPTION_PREFIX.length()), v);
            }
        });
        return options;
    }

    static void checkFloat(TensorInfo t) {
        DType d = t.dtype();
        if (d != DType.F32 && d != DType.F64 && d != DType.F16 && d != DType.BF16) {
            throw new StateDictException(Problem.DTYPE, t.name(), t.name() + ": expected a floating-point dtype"
                    + " (F64, F32, F16 or BF16), got " + d);
        }
    }

    private static Map<String, TensorInfo> byName(List<TensorInfo> tensors) {
        Map<String, TensorInfo> m = new LinkedHashMap<>();
        for (TensorInfo t : tensors) {
            m.put(t.name(), t);
        }
        return m;
    }

    private static List<TensorInfo> sorted(List<TensorInfo> tensors) {
        List<TensorInfo> s = new ArrayList<>(tensors);
        s.sort(java.util.Comparator.comparing(TensorInfo::name));
        return s;
    }

    private static String names(List<TensorInfo> tensors) {
        List<String> n = sorted(tensors).stream().map(TensorInfo::name).toList();
        return n.size() <= 12 ? String.join(", ", n) : String.join(", ", n.subList(0, 12)) + ", … (" + n.size() + " in all)";
    }
}
