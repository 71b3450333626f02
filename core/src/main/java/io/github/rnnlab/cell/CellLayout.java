package io.github.rnnlab.cell;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a cell's parameter blocks live in its flat parameter vector, and where its states live in a
 * state row, for one configuration. Blocks are laid out contiguously in the order of the provider's
 * {@link CellProvider#parameters()}; states in the order of {@link CellProvider#states()}.
 *
 * @param parameters     the blocks, with offsets
 * @param states         the states, with offsets within a row of {@link #stateSize()} elements
 * @param parameterCount the total number of parameters
 * @param stateSize      elements of state per batch row (the sum of the state sizes)
 */
public record CellLayout(List<ParameterBlock> parameters, List<StateBlock> states, int parameterCount, int stateSize) {

    /** A parameter block resolved for one configuration. */
    public record ParameterBlock(ParameterSpec spec, int[] shape, int offset, int size) {
        /** The block's name, e.g. {@code weight_hh}. */
        public String name() {
            return spec.name();
        }

        /** Rows of the block (its first dimension). */
        public int rows() {
            return shape[0];
        }

        /** Columns of the block (its second dimension, 1 for a vector). */
        public int cols() {
            return shape.length > 1 ? shape[1] : 1;
        }
    }

    /** A state resolved for one configuration: {@code size} elements at {@code offset} within a state row. */
    public record StateBlock(StateSpec spec, int size, int offset) {
        public String name() {
            return spec.name();
        }
    }

    public CellLayout {
        parameters = List.copyOf(parameters);
        states = List.copyOf(states);
    }

    /** Resolves the provider's specs for {@code config}. */
    public static CellLayout of(CellProvider provider, CellConfig config) {
        List<ParameterBlock> blocks = new ArrayList<>();
        long offset = 0;
        for (ParameterSpec p : provider.parameters()) {
            int[] shape = p.resolve(config);
            long size = 1;
            for (int d : shape) {
                if (d < 1) {
                    throw new CellConfig.InvalidConfigException("parameter " + p.name() + " of " + provider.id()
                            + " resolves to a non-positive dimension " + java.util.Arrays.toString(shape));
                }
                size *= d;
            }
            if (offset + size > Integer.MAX_VALUE - 16) {
                throw new CellConfig.InvalidConfigException("cell " + provider.id() + " would have more than 2^31 parameters");
            }
            blocks.add(new ParameterBlock(p, shape, (int) offset, (int) size));
            offset += size;
        }
        List<StateBlock> states = new ArrayList<>();
        int so = 0;
        for (StateSpec s : provider.states()) {
            int size = s.size().resolve(config);
            if (size < 1) {
                throw new CellConfig.InvalidConfigException("state " + s.name() + " of " + provider.id() + " resolves to size " + size);
            }
            states.add(new StateBlock(s, size, so));
            so += size;
        }
        return new CellLayout(blocks, states, (int) offset, so);
    }

    /** The block named {@code name}. */
    public ParameterBlock parameter(String name) {
        for (ParameterBlock b : parameters) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("no parameter named " + name + "; have " + parameters.stream().map(ParameterBlock::name).toList());
    }

    /** The state named {@code name}. */
    public StateBlock state(String name) {
        for (StateBlock b : states) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("no state named " + name + "; have " + states.stream().map(StateBlock::name).toList());
    }
}
