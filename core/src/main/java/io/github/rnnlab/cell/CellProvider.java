package io.github.rnnlab.cell;

import java.util.List;

/**
 * The service a cell plugin provides, found with {@link java.util.ServiceLoader}: a light descriptor
 * and factory, cheap to instantiate; the cell itself is made on demand by {@link #create}.
 *
 * <p>To add a cell: implement {@link Cell} (or extend {@link GatedCell}), implement this interface,
 * and list the provider's class name in {@code META-INF/services/io.github.rnnlab.cell.CellProvider}.
 * The jar then works on the class path or in a plugin folder ({@code --plugins DIR} /
 * {@code RNNLAB_PLUGINS}, see {@link CellRegistry}). The project does not use JPMS modules, so there
 * is no {@code module-info} to register in. README.md, "Writing a cell plugin", walks through a
 * complete example.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>A provider must have a public no-argument constructor and must not do expensive work or
 *       throw in it. It must be immutable and thread-safe; a registry shares one instance.</li>
 *   <li>{@link #id()} must be unique among the cells a registry loads, must match
 *       {@code [a-z][a-z0-9_]*}, and must never change between versions: checkpoints name it.</li>
 *   <li>{@link #version()} must be non-empty and should follow semantic versioning.</li>
 *   <li>{@link #parameters()} and {@link #states()} must return the same lists on every call; the first
 *       state must be {@code h}, the main recurrent state. It is the output for the gated cells, but
 *       need not be: the SSM's {@code h} is H·N wide while its output is H. The engine reads a cell's
 *       outputs ({@link Cell#outputSize()} wide) and treats its state row as opaque.</li>
 *   <li>{@link #create} must validate the configuration, throwing
 *       {@link CellConfig.InvalidConfigException} for an unknown option or a bad value, and must
 *       return a cell whose {@link Cell#layout()} equals {@code CellLayout.of(this, config)}.</li>
 * </ul>
 */
public interface CellProvider {

    /** The unique, stable id, e.g. {@code lstm}. */
    String id();

    /** The provider's version, e.g. {@code 1.0.0}. */
    String version();

    /** One line on what the cell is. */
    String description();

    /** The number of H-wide gate blocks stacked in the weights (1 Elman, 3 GRU, 4 LSTM; 0 if not gated). */
    int gateCount();

    /** The parameter blocks, in storage order. */
    List<ParameterSpec> parameters();

    /** The states carried from step to step, {@code h} first. */
    List<StateSpec> states();

    /** The options the cell accepts besides input and hidden size. */
    default List<OptionSpec> options() {
        return List.of();
    }

    /** Whether the cell is a preview (its behaviour may still change). */
    default boolean preview() {
        return false;
    }

    /** Creates the cell for {@code config}. */
    Cell create(CellConfig config);
}
