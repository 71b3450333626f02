package io.github.rnnlab.init;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellLayout;
import io.github.rnnlab.cell.Initializer;
import io.github.rnnlab.cell.ParameterSpec;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Rng;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which {@link Initializer} each parameter block of a cell gets: one chosen by the block's name, else
 * one chosen by its {@link Role}, else the default of its {@link ParameterSpec}; and the fill of a
 * cell's whole flat parameter vector from an {@link Rng}.
 *
 * <p>Determinism: block i (in layout order) draws from the i-th {@link Rng#split()} of the given
 * generator, so the same seed gives the same parameters bit for bit, and changing one block's
 * initializer leaves the other blocks' values unchanged.
 *
 * <pre>{@code
 * ParameterInit init = ParameterInit.defaults()
 *         .with(Role.RECURRENT_WEIGHT, Initializers.orthogonal(1.0))
 *         .with("bias_hh", Initializers.zeros());
 * double[] params = init.initialize(cell, new Rng(42));
 * }</pre>
 *
 * @param byName initializers chosen by block name (without {@code _l{k}} suffixes); unmodifiable
 * @param byRole initializers chosen by role; unmodifiable
 */
public record ParameterInit(Map<String, Initializer> byName, Map<Role, Initializer> byRole) {

    public ParameterInit {
        byName = Map.copyOf(byName);
        byRole = Map.copyOf(byRole);
    }

    /** Every block gets its spec's default initializer. */
    public static ParameterInit defaults() {
        return new ParameterInit(Map.of(), Map.of());
    }

    /** This plan with block {@code name} initialised by {@code initializer} (wins over a role choice). */
    public ParameterInit with(String name, Initializer initializer) {
        Map<String, Initializer> m = new LinkedHashMap<>(byName);
        m.put(name, java.util.Objects.requireNonNull(initializer, "initializer"));
        return new ParameterInit(m, byRole);
    }

    /** This plan with every block of role {@code role} initialised by {@code initializer}. */
    public ParameterInit with(Role role, Initializer initializer) {
        Map<Role, Initializer> m = new EnumMap<>(Role.class);
        m.putAll(byRole);
        m.put(role, java.util.Objects.requireNonNull(initializer, "initializer"));
        return new ParameterInit(byName, m);
    }

    /** The initializer block {@code spec} gets under this plan. */
    public Initializer initializerFor(ParameterSpec spec) {
        Initializer i = byName.get(spec.name());
        if (i == null) {
            i = byRole.get(spec.role());
        }
        return i != null ? i : spec.initializer();
    }

    /**
     * Fills {@code params[offset … offset + layout.parameterCount())}: every block of {@code layout}
     * by its initializer, block i from the i-th split of {@code rng}.
     *
     * @throws CellConfig.InvalidConfigException if a name chosen in this plan is not a block of the
     *         layout, or an initializer does not fit its block (e.g. orthogonal on a vector)
     * @throws IllegalStateException if an initializer leaves an element unwritten or not finite
     */
    public void fill(CellLayout layout, CellConfig config, double[] params, int offset, Rng rng) {
        Set<String> names = new TreeSet<>();
        for (CellLayout.ParameterBlock b : layout.parameters()) {
            names.add(b.name());
        }
        for (String n : byName.keySet()) {
            if (!names.contains(n)) {
                throw new CellConfig.InvalidConfigException("no parameter named " + n + " to initialise; the cell has " + names);
            }
        }
        if (offset < 0 || offset + (long) layout.parameterCount() > params.length) {
            throw io.github.rnnlab.ShapeException.expected("parameter array elements from offset " + offset,
                    offset + (long) layout.parameterCount(), params.length);
        }
        for (CellLayout.ParameterBlock b : layout.parameters()) {
            Rng blockRng = rng.split();
            double[] values = new double[b.size()];
            java.util.Arrays.fill(values, Double.NaN);
            Initializer init = initializerFor(b.spec());
            init.fill(values, b.shape().clone(), config, blockRng);
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw new IllegalStateException("initializer " + init + " left element " + i + " of " + b.name()
                            + " unwritten or not finite (" + values[i] + ")");
                }
            }
            System.arraycopy(values, 0, params, offset + b.offset(), b.size());
        }
    }

    /** A new parameter vector for {@code cell}, filled as {@link #fill(CellLayout, CellConfig, double[], int, Rng)}. */
    public double[] initialize(Cell cell, Rng rng) {
        double[] p = new double[cell.layout().parameterCount()];
        fill(cell.layout(), cell.config(), p, 0, rng);
        return p;
    }

    /**
     * Fills {@code params[offset …]} of either precision: computed in double, then rounded once to
     * the storage precision of {@code ops}.
     */
    public <A> void fill(Ops<A> ops, Cell cell, A params, int offset, Rng rng) {
        double[] p = initialize(cell, rng);
        io.github.rnnlab.ShapeException.checkRegion("parameters", ops.length(params), offset, p.length);
        ops.fromDoubles(p.length, p, 0, params, offset);
    }
}
