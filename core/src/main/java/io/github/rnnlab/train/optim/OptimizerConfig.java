package io.github.rnnlab.train.optim;

/**
 * Which optimizer a run uses, with its hyper-parameters: a value that can be stored (in a checkpoint, on a
 * command line) and turned into a fresh {@link Optimizer}.
 */
public sealed interface OptimizerConfig permits OptimizerConfig.Adam, OptimizerConfig.Sgd {

    /** {@code "adam"}, {@code "adamw"} or {@code "sgd"}: the {@link OptimizerState#kind()} of the optimizer made. */
    String kind();

    /** A new optimizer with no state. */
    Optimizer create();

    /** Adam, or AdamW when {@link io.github.rnnlab.train.optim.Adam.Config#decoupled()}. */
    record Adam(io.github.rnnlab.train.optim.Adam.Config config) implements OptimizerConfig {
        public Adam {
            java.util.Objects.requireNonNull(config, "config");
        }

        @Override
        public String kind() {
            return config.decoupled() ? "adamw" : "adam";
        }

        @Override
        public Optimizer create() {
            return new io.github.rnnlab.train.optim.Adam(config);
        }
    }

    /** SGD with optional momentum, dampening, Nesterov and weight decay. */
    record Sgd(io.github.rnnlab.train.optim.Sgd.Config config) implements OptimizerConfig {
        public Sgd {
            java.util.Objects.requireNonNull(config, "config");
        }

        @Override
        public String kind() {
            return "sgd";
        }

        @Override
        public Optimizer create() {
            return new io.github.rnnlab.train.optim.Sgd(config);
        }
    }
}
