package io.github.rnnlab.cell;

import java.util.List;

/**
 * One parameter block of a cell: its PyTorch-style name (without the {@code _l{k}} and
 * {@code _reverse} suffixes a stack adds), its role, its shape as functions of the configuration, and
 * the initializer it gets by default.
 *
 * @param name        e.g. {@code weight_ih}; {@code [A-Za-z][A-Za-z0-9_]*}
 * @param role        what the block does
 * @param shape       one or two dimensions, row-major (weights are (rows = gate·H, cols = in))
 * @param initializer the default initializer (users may override it per block)
 */
public record ParameterSpec(String name, Role role, List<Dim> shape, Initializer initializer) {
    public ParameterSpec {
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("a parameter name must match [A-Za-z][A-Za-z0-9_]*, got " + name);
        }
        if (role == null || initializer == null || shape == null || shape.isEmpty() || shape.size() > 2) {
            throw new IllegalArgumentException("parameter " + name + " needs a role, an initializer and 1 or 2 dimensions");
        }
        shape = List.copyOf(shape);
    }

    /** The shape for {@code config}. */
    public int[] resolve(CellConfig config) {
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i).resolve(config);
        }
        return dims;
    }

    /** The shape as symbols, e.g. {@code (4H, in)}. */
    public String shapeSymbol() {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.size(); i++) {
            s.append(i > 0 ? ", " : "").append(shape.get(i).symbol());
        }
        return s.append(')').toString();
    }
}
