package io.github.rnnlab.nn;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.ParameterSpec;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Rng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All parameters of one model in one flat vector, with a parallel flat gradient vector, divided into
 * named, shaped blocks whose names are those of the equivalent PyTorch module's {@code state_dict}
 * ({@code rnn.weight_ih_l0}, {@code rnn.bias_hh_l1_reverse}, {@code head.weight}, …).
 *
 * <p>Life cycle: the modules of a model {@link #add} their blocks (in {@code state_dict} order), then
 * {@link #allocate()} freezes the layout and creates the two vectors; only then can values be read or
 * written. Blocks are contiguous and laid out in the order they were added, so that a module's blocks
 * (e.g. the four blocks of one layer and direction of a recurrent stack) form one contiguous region
 * that a cell reads as its own flat parameter vector.
 *
 * <p>Gradients are accumulated ({@code +=}) by backward passes; {@link #zeroGradients()} clears them.
 *
 * <p>A block may be {@linkplain Block#absent() absent}: it keeps its place in the layout (so that a cell
 * still finds its parameter region laid out as its {@link io.github.rnnlab.cell.CellLayout} says) but is not
 * part of the model: it holds zeros ({@link #initialize} fills it with 0, {@link #set} refuses anything
 * else), the module that owns it clears its gradient after every backward pass (so optimizers, which map
 * a zero gradient and zero state to a zero update, leave it at 0), and exporters and checkpoints skip it.
 * This is how a recurrent stack with PyTorch's {@code bias=False} is represented
 * ({@link RecurrentConfig#bias()}).
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public final class Parameters<A> {

    /** Fills one block with its initial values, given a generator of its own. */
    @FunctionalInterface
    public interface Init {
        /**
         * @param values the block, row-major, written completely
         * @param shape  the block's shape
         * @param rng    a generator split off for this block alone
         */
        void fill(double[] values, int[] shape, Rng rng);
    }

    /**
     * One named block of the flat vector.
     *
     * @param name   the PyTorch {@code state_dict} name, e.g. {@code rnn.weight_hh_l0_reverse}
     * @param shape  its shape (1 or 2 dimensions)
     * @param offset the index of its first element in the flat vectors
     * @param size   the number of elements
     * @param role   what it does (cell blocks carry their {@link ParameterSpec#role()}; heads and
     *               embeddings use {@link Role#OTHER})
     * @param spec   the cell's spec for a recurrent block, or null
     * @param config the cell configuration the block belongs to, or null
     * @param init   the default initializer
     * @param absent whether the block is absent from the model (held at 0, not trained, not exported; see
     *               the class comment)
     */
    public record Block(String name, int[] shape, int offset, int size, Role role, ParameterSpec spec,
                        CellConfig config, Init init, boolean absent) {
        public Block {
            shape = shape.clone();
        }

        /** A block that is part of the model. */
        public Block(String name, int[] shape, int offset, int size, Role role, ParameterSpec spec, CellConfig config, Init init) {
            this(name, shape, offset, size, role, spec, config, init, false);
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape) + "@" + offset;
        }
    }

    private final Ops<A> ops;
    private final List<Block> blocks = new ArrayList<>();
    private final Map<String, Block> byName = new LinkedHashMap<>();
    private int size;
    private A values;
    private A gradients;

    /** An empty parameter set computing with {@code ops}. */
    public Parameters(Ops<A> ops) {
        this.ops = ops;
    }

    /** The operations (and so the precision) of the vectors. */
    public Ops<A> ops() {
        return ops;
    }

    /**
     * Adds a block at the end of the layout.
     *
     * @throws IllegalStateException if the vectors are already allocated
     * @throws IllegalArgumentException if the name is taken or the shape is not 1 or 2 positive dimensions
     */
    public Block add(String name, int[] shape, Role role, ParameterSpec spec, CellConfig config, Init init) {
        return add(name, shape, role, spec, config, init, false);
    }

    /**
     * Adds a block at the end of the layout, {@linkplain Block#absent() absent} from the model or not.
     * An absent block is initialised to zeros whatever {@code init} says.
     *
     * @throws IllegalStateException if the vectors are already allocated
     * @throws IllegalArgumentException if the name is taken or the shape is not 1 or 2 positive dimensions
     */
    public Block add(String name, int[] shape, Role role, ParameterSpec spec, CellConfig config, Init init, boolean absent) {
        if (values != null) {
            throw new IllegalStateException("cannot add parameter " + name + ": the parameters are already allocated");
        }
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException("parameter name " + name + " is used twice");
        }
        if (shape.length < 1 || shape.length > 2) {
            throw new IllegalArgumentException("parameter " + name + " must have 1 or 2 dimensions, got " + Arrays.toString(shape));
        }
        long n = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("parameter " + name + " has a non-positive dimension " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (size + n > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("more than 2^31 parameters");
        }
        Block b = new Block(name, shape, size, (int) n, role, spec, config, init, absent);
        blocks.add(b);
        byName.put(name, b);
        size += (int) n;
        return b;
    }

    /** Freezes the layout and allocates the zeroed value and gradient vectors. Idempotent. */
    public Parameters<A> allocate() {
        if (values == null) {
            values = ops.allocate(size);
            gradients = ops.allocate(size);
        }
        return this;
    }

    /** Whether {@link #allocate()} has run. */
    public boolean allocated() {
        return values != null;
    }

    /** The blocks in layout order (= {@code state_dict} order). */
    public List<Block> blocks() {
        return Collections.unmodifiableList(blocks);
    }

    /** The block named {@code name}. */
    public Block block(String name) {
        Block b = byName.get(name);
        if (b == null) {
            throw new IllegalArgumentException("no parameter named " + name + "; have " + byName.keySet());
        }
        return b;
    }

    /** The number of parameters. */
    public int size() {
        return size;
    }

    /** The flat value vector ({@link #size()} elements). */
    public A values() {
        requireAllocated();
        return values;
    }

    /** The flat gradient vector, parallel to {@link #values()}. */
    public A gradients() {
        requireAllocated();
        return gradients;
    }

    /** Sets every gradient to 0. */
    public void zeroGradients() {
        requireAllocated();
        ops.fill(size, 0, gradients, 0);
    }

    /** Whether some block is {@linkplain Block#absent() absent}. */
    public boolean hasAbsentBlocks() {
        for (Block b : blocks) {
            if (b.absent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Fills every block with its default initializer, in layout order, each from its own generator
     * split off {@code rng} (so one block's initializer does not shift the others' random streams).
     * Absent blocks are filled with zeros (their generator is split off all the same, so the other blocks
     * get the values they would get if the absent blocks were present).
     */
    public void initialize(Rng rng) {
        initialize(rng, Map.of());
    }

    /**
     * Like {@link #initialize(Rng)}, but blocks named in {@code overrides} use the given initializer.
     *
     * @throws IllegalArgumentException if an override names no block
     */
    public void initialize(Rng rng, Map<String, Init> overrides) {
        requireAllocated();
        for (String name : overrides.keySet()) {
            if (block(name).absent()) {
                throw new IllegalArgumentException("parameter " + name + " is absent from the model (bias=False) and stays 0; it cannot be initialised");
            }
        }
        for (Block b : blocks) {
            Rng blockRng = rng.split();
            if (b.absent()) {
                ops.fill(b.size(), 0, values, b.offset());
                continue;
            }
            double[] v = new double[b.size()];
            overrides.getOrDefault(b.name(), b.init()).fill(v, b.shape(), blockRng);
            ops.fromDoubles(b.size(), v, 0, values, b.offset());
        }
    }

    /** A copy of block {@code name}'s values, widened to double. */
    public double[] get(String name) {
        Block b = block(name);
        double[] out = new double[b.size()];
        ops.toDoubles(b.size(), values(), b.offset(), out, 0);
        return out;
    }

    /** A copy of block {@code name}'s gradient, widened to double. */
    public double[] gradient(String name) {
        Block b = block(name);
        double[] out = new double[b.size()];
        ops.toDoubles(b.size(), gradients(), b.offset(), out, 0);
        return out;
    }

    /**
     * Sets block {@code name}'s values.
     *
     * @throws ShapeException if {@code v} does not have the block's size
     * @throws IllegalArgumentException if the block is {@linkplain Block#absent() absent} and {@code v} is not all zeros
     */
    public void set(String name, double[] v) {
        Block b = block(name);
        ShapeException.check("elements of parameter " + name, b.size(), v.length);
        if (b.absent()) {
            for (int i = 0; i < v.length; i++) {
                if (v[i] != 0) {
                    throw new IllegalArgumentException("parameter " + name + " is absent from the model (bias=False) and must stay 0; got "
                            + v[i] + " at index " + i);
                }
            }
        }
        ops.fromDoubles(b.size(), v, 0, values(), b.offset());
    }

    /**
     * Copies every value from {@code other}, which must have the same layout (names, shapes and absent
     * blocks).
     */
    public <B> void copyFrom(Parameters<B> other) {
        ShapeException.check("parameter count", size, other.size());
        for (Block b : blocks) {
            Block o = other.block(b.name());
            if (!Arrays.equals(b.shape(), o.shape())) {
                throw ShapeException.expectedShape("parameter " + b.name(), b.shape(), o.shape());
            }
            if (b.absent() != o.absent()) {
                throw new IllegalArgumentException("parameter " + b.name() + " is " + (b.absent() ? "absent" : "present")
                        + " here but " + (o.absent() ? "absent" : "present") + " in the source");
            }
            set(b.name(), other.get(b.name()));
        }
    }

    /**
     * Sets the gradient of every {@linkplain Block#absent() absent} block among {@code blocks} to 0: what a
     * module's backward pass does last, after its cells have accumulated into the whole region.
     */
    void clearGradients(List<Block> blocks) {
        for (Block b : blocks) {
            ops.fill(b.size(), 0, gradients(), b.offset());
        }
    }

    private void requireAllocated() {
        if (values == null) {
            throw new IllegalStateException("the parameters are not allocated yet (call allocate() after every module has added its blocks)");
        }
    }
}
