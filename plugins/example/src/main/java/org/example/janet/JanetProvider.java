package org.example.janet;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Dim;
import io.github.rnnlab.cell.OptionSpec;
import io.github.rnnlab.cell.ParameterSpec;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.cell.StateSpec;
import io.github.rnnlab.init.Initializers;
import io.github.rnnlab.numeric.Rng;

import java.util.Arrays;
import java.util.List;

/**
 * The provider of {@link Janet}, found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.github.rnnlab.cell.CellProvider}.
 *
 * <p>Default initialisation: {@code weight_ih} Xavier uniform, {@code weight_hh} orthogonal per gate
 * block, {@code bias_hh} zeros, and {@code bias_ih} chrono-initialised as the paper does (Tallec and
 * Ollivier, "Can recurrent neural networks warp time?", ICLR 2018): the forget block
 * ~ log(U(1, t_max − 1)), the candidate block 0.
 */
public final class JanetProvider implements CellProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("weight_ih", Role.INPUT_WEIGHT, List.of(Dim.hidden(2), Dim.INPUT), Initializers.xavierUniform(1.0)),
            new ParameterSpec("weight_hh", Role.RECURRENT_WEIGHT, List.of(Dim.hidden(2), Dim.HIDDEN), Initializers.orthogonal(1.0)),
            new ParameterSpec("bias_ih", Role.INPUT_BIAS, List.of(Dim.hidden(2)), JanetProvider::chrono),
            new ParameterSpec("bias_hh", Role.RECURRENT_BIAS, List.of(Dim.hidden(2)), Initializers.zeros()));
    private static final List<StateSpec> STATES = List.of(new StateSpec("h", Dim.HIDDEN));
    private static final List<OptionSpec> OPTIONS = List.of(
            new OptionSpec("beta", "1.0", "shift β of the input gate 1 − σ(s − β)"),
            new OptionSpec("t_max", "100", "chrono init: forget biases ~ log(U(1, t_max − 1)), t_max ≥ 3"));

    @Override
    public String id() {
        return "janet";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "JANET, the forget-gate-only LSTM (van der Westhuizen & Lasenby 2018)";
    }

    @Override
    public int gateCount() {
        return 2;
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

    @Override
    public Cell create(CellConfig config) {
        Janet cell = new Janet(this, config);
        tMax(cell.config()); // validate now rather than at initialisation
        return cell;
    }

    static double beta(CellConfig config) {
        String v = config.options().get("beta");
        try {
            double b = Double.parseDouble(v.trim());
            if (Double.isFinite(b)) {
                return b;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CellConfig.InvalidConfigException("option beta of janet: expected a finite number, got \"" + v + "\"");
    }

    static int tMax(CellConfig config) {
        int t = config.intOption("t_max");
        if (t < 3) {
            throw new CellConfig.InvalidConfigException("option t_max of janet: expected at least 3, got " + t);
        }
        return t;
    }

    /** Chrono initialisation of bias_ih (2H): forget block log(U(1, t_max − 1)), candidate block 0. */
    static void chrono(double[] values, int[] shape, CellConfig config, Rng rng) {
        int h = config.hiddenSize(), tMax = tMax(config);
        for (int i = 0; i < h; i++) {
            values[i] = Math.log(rng.uniform(1, tMax - 1));
        }
        Arrays.fill(values, h, values.length, 0.0);
    }
}
