package io.github.rnnlab.cli;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.Initializer;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.init.Initializers;
import io.github.rnnlab.init.ParameterInit;
import io.github.rnnlab.nn.Parameters;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.train.TaskTraining;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code --init BLOCK=INIT} option of {@code train}, {@code compare} and {@code diagnose}: which initializer a
 * recurrent parameter block gets. BLOCK is a block name of the cell ({@code weight_hh}, {@code bias_ih}, a plugin's
 * own) or a {@link Role} in lower case ({@code recurrent_weight}); INIT is {@link Initializers#parse}'s text form.
 * A name wins over a role; blocks not named keep the cell's own initializer and, for a given seed, their values.
 */
final class Inits {
    /** The initializer forms, for help texts. */
    static final String FORMS = "pytorch, uniform(B), xavier_uniform(GAIN), xavier_normal(GAIN), orthogonal(GAIN), "
            + "constant(V) or zeros";

    private Inits() {
    }

    /**
     * The plan {@code options} (BLOCK → INIT) describes; the cell's defaults when null or empty.
     *
     * @throws UsageException naming the option value that is not understood
     */
    static ParameterInit parse(Map<String, String> options) {
        ParameterInit init = ParameterInit.defaults();
        if (options == null) {
            return init;
        }
        for (Map.Entry<String, String> e : new TreeMap<>(options).entrySet()) {
            String block = e.getKey().trim();
            Initializer initializer;
            try {
                initializer = Initializers.parse(e.getValue());
            } catch (CellConfig.InvalidConfigException ex) {
                throw new UsageException("--init " + e.getKey() + "=" + e.getValue() + ": " + ex.getMessage());
            }
            Role role = role(block);
            init = role != null ? init.with(role, initializer) : init.with(block, initializer);
        }
        return init;
    }

    /** {@code "weight_hh=orthogonal(1.5), bias_ih=zeros"}: the option's values, sorted; "" for none. */
    static String describe(Map<String, String> options) {
        if (options == null || options.isEmpty()) {
            return "";
        }
        return new TreeMap<>(options).entrySet().stream().map(e -> e.getKey().trim() + "=" + e.getValue().trim())
                .collect(Collectors.joining(", "));
    }

    /**
     * Initialises {@code parameters} as {@link TaskTraining#initialize} does with {@code init}.
     *
     * @throws UsageException if {@code init} names a block the cell does not have
     */
    static void apply(Parameters<float[]> parameters, ParameterInit init, Rng rng) {
        try {
            TaskTraining.initialize(parameters, init, rng);
        } catch (CellConfig.InvalidConfigException e) {
            throw new UsageException("--init: " + e.getMessage());
        }
    }

    private static Role role(String name) {
        for (Role r : Role.values()) {
            if (r.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        return null;
    }
}
