package io.github.rnnlab.train.optim;

import io.github.rnnlab.cell.CellConfig;

/**
 * A learning-rate schedule: the rate for update number {@code step} (0 for the first update), a pure
 * function of the step so that a checkpoint needs only the step count. Schedules compose:
 * {@code new Warmup(100, 0.1, new Cosine(3e-3, 10_000, 1e-5))} warms up linearly for 100 updates and
 * then anneals (PyTorch's {@code SequentialLR([LinearLR, CosineAnnealingLR], milestones=[100])}).
 */
public sealed interface LearningRate permits LearningRate.Constant, LearningRate.StepDecay, LearningRate.Cosine, LearningRate.Warmup {

    /** The rate of update {@code step} (≥ 0). */
    double at(long step);

    /** The same rate at every step. */
    record Constant(double rate) implements LearningRate {
        public Constant {
            check(rate);
        }

        @Override
        public double at(long step) {
            return rate;
        }
    }

    /** {@code rate · γ^⌊step / every⌋}, as {@code StepLR}. */
    record StepDecay(double rate, long every, double gamma) implements LearningRate {
        public StepDecay {
            check(rate);
            if (every < 1 || !(gamma > 0)) {
                throw new CellConfig.InvalidConfigException("step decay needs every ≥ 1 and γ > 0, got " + every + ", " + gamma);
            }
        }

        @Override
        public double at(long step) {
            return rate * Math.pow(gamma, step / every);
        }
    }

    /**
     * {@code min + (rate − min)·(1 + cos(π·step/steps))/2} for step ≤ steps, then {@code min}: the closed
     * form of {@code CosineAnnealingLR} over one half period (PyTorch would rise again after T_max).
     */
    record Cosine(double rate, long steps, double min) implements LearningRate {
        public Cosine {
            check(rate);
            if (steps < 1 || min < 0 || min > rate) {
                throw new CellConfig.InvalidConfigException("cosine schedule needs steps ≥ 1 and 0 ≤ min ≤ rate, got " + steps + ", " + min);
            }
        }

        @Override
        public double at(long step) {
            if (step >= steps) {
                return min;
            }
            return min + (rate - min) * (1 + Math.cos(Math.PI * step / steps)) / 2;
        }
    }

    /**
     * Linear warm-up over {@code steps} updates from {@code startFactor}·r to r, where r is
     * {@code then}'s first rate; afterwards {@code then}, shifted by {@code steps} (as {@code LinearLR}
     * followed by {@code then} in {@code SequentialLR}).
     */
    record Warmup(long steps, double startFactor, LearningRate then) implements LearningRate {
        public Warmup {
            if (steps < 1 || !(startFactor >= 0 && startFactor <= 1) || then == null) {
                throw new CellConfig.InvalidConfigException("warm-up needs steps ≥ 1, a start factor in [0, 1] and a schedule after it");
            }
        }

        @Override
        public double at(long step) {
            if (step < steps) {
                return then.at(0) * (startFactor + (1 - startFactor) * step / steps);
            }
            return then.at(step - steps);
        }
    }

    private static void check(double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new CellConfig.InvalidConfigException("a learning rate must be finite and non-negative, got " + rate);
        }
    }
}
