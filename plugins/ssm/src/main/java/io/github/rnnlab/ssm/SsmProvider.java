package io.github.rnnlab.ssm;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Dim;
import io.github.rnnlab.cell.OptionSpec;
import io.github.rnnlab.cell.ParameterSpec;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.cell.StateSpec;
import io.github.rnnlab.init.Initializers;

import java.util.List;

/**
 * The provider of {@link Ssm}, cell id {@code ssm}, a preview: found by {@link java.util.ServiceLoader}
 * through {@code META-INF/services/io.github.rnnlab.cell.CellProvider}.
 *
 * <p>Parameters, in storage order (in = input size, H = d channels, N = option {@code state_size}):
 * <pre>
 *   weight_u  (H, in)  U(−1/√in, 1/√in)   bias_u  (H)  0
 *   weight_dt (H, in)  U(−1/√in, 1/√in)   bias_dt (H)  softplus⁻¹(dt), dt log-uniform in [1e-3, 1e-1]
 *   weight_B  (N, in)  U(−1/√in, 1/√in)
 *   weight_C  (N, in)  U(−1/√in, 1/√in)
 *   weight_z  (H, in)  U(−1/√in, 1/√in)   bias_z  (H)  0
 *   A_log     (H, N)   log(s + 1)          D       (H)  1
 * </pre>
 * The projection weights have role {@link Role#INPUT_WEIGHT}, {@code bias_u} and {@code bias_z}
 * {@link Role#INPUT_BIAS}. {@code bias_dt}, {@code A_log} and {@code D} have role {@link Role#OTHER}:
 * they set the time scales, and a role-wide override meant for ordinary biases (say, zeros for every
 * input bias) would silently flatten the spectrum of time steps; override them by name instead.
 * State: {@code h} (H·N, channel-major: element c·N + s is channel c, state s).
 */
public final class SsmProvider implements CellProvider {
    /** The option naming N, the states per channel. */
    public static final String STATE_SIZE = "state_size";
    /** The option choosing how a chunk is scanned ({@link ScanMode}). */
    public static final String SCAN = "scan";

    private static final Dim N = Dim.option(STATE_SIZE, "N");
    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("weight_u", Role.INPUT_WEIGHT, List.of(Dim.HIDDEN, Dim.INPUT), SsmInit.FAN_IN_UNIFORM),
            new ParameterSpec("bias_u", Role.INPUT_BIAS, List.of(Dim.HIDDEN), Initializers.zeros()),
            new ParameterSpec("weight_dt", Role.INPUT_WEIGHT, List.of(Dim.HIDDEN, Dim.INPUT), SsmInit.FAN_IN_UNIFORM),
            new ParameterSpec("bias_dt", Role.OTHER, List.of(Dim.HIDDEN), SsmInit.DT_BIAS),
            new ParameterSpec("weight_B", Role.INPUT_WEIGHT, List.of(N, Dim.INPUT), SsmInit.FAN_IN_UNIFORM),
            new ParameterSpec("weight_C", Role.INPUT_WEIGHT, List.of(N, Dim.INPUT), SsmInit.FAN_IN_UNIFORM),
            new ParameterSpec("weight_z", Role.INPUT_WEIGHT, List.of(Dim.HIDDEN, Dim.INPUT), SsmInit.FAN_IN_UNIFORM),
            new ParameterSpec("bias_z", Role.INPUT_BIAS, List.of(Dim.HIDDEN), Initializers.zeros()),
            new ParameterSpec("A_log", Role.OTHER, List.of(Dim.HIDDEN, N), SsmInit.S4D_REAL),
            new ParameterSpec("D", Role.OTHER, List.of(Dim.HIDDEN), Initializers.constant(1.0)));
    private static final List<StateSpec> STATES = List.of(new StateSpec("h", Dim.HIDDEN.times(N)));
    private static final List<OptionSpec> OPTIONS = List.of(
            new OptionSpec(STATE_SIZE, "16", "N, the states per channel (the state h has H·N elements per row)"),
            new OptionSpec(SCAN, ScanMode.AUTO.optionValue(),
                    "how a chunk is run: auto (parallel scan over time when it pays), sequential, parallel"));

    @Override
    public String id() {
        return "ssm";
    }

    @Override
    public String version() {
        return "0.1.0";
    }

    @Override
    public String description() {
        return "selective diagonal state-space cell (Mamba-style S6, SiLU output gate) with a parallel scan over time";
    }

    /** Not a gated cell: no H-wide gate blocks are stacked in a weight. */
    @Override
    public int gateCount() {
        return 0;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public List<StateSpec> states() {
        return STATES;
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    /** A preview: the cell's behaviour and parameters may still change. */
    @Override
    public boolean preview() {
        return true;
    }

    @Override
    public Cell create(CellConfig config) {
        return new Ssm(this, config);
    }
}
