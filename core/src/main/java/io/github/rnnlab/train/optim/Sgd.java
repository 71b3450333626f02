package io.github.rnnlab.train.optim;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.cell.CellConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay,
 * exactly as {@code torch.optim.SGD} (element-wise, in float32):
 * <pre>
 *   d = g + λ·p                                   (weight decay λ)
 *   b = d                  at the first step      (momentum μ ≠ 0)
 *   b = μ·b + (1 − τ)·d    afterwards             (dampening τ)
 *   d = d + μ·b  (Nesterov)   or   d = b
 *   p = p − lr·d
 * </pre>
 */
public final class Sgd implements Optimizer {

    /**
     * @param momentum    μ ≥ 0
     * @param dampening   τ (PyTorch default 0)
     * @param nesterov    Nesterov momentum (needs μ &gt; 0 and τ = 0, as PyTorch)
     * @param weightDecay λ ≥ 0
     */
    public record Config(double momentum, double dampening, boolean nesterov, double weightDecay) {
        public Config {
            if (momentum < 0 || weightDecay < 0) {
                throw new CellConfig.InvalidConfigException("SGD momentum and weight decay must be non-negative, got " + momentum + ", " + weightDecay);
            }
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new CellConfig.InvalidConfigException("Nesterov momentum requires a momentum and zero dampening");
            }
        }

        /** Plain SGD. */
        public static Config plain() {
            return new Config(0, 0, false, 0);
        }

        /** SGD with momentum μ. */
        public static Config momentum(double mu) {
            return new Config(mu, 0, false, 0);
        }
    }

    private final Config config;
    private float[] buffer;
    private long steps;

    public Sgd(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public void step(float[] params, float[] grads, double learningRate) {
        ShapeException.check("gradient elements", params.length, grads.length);
        int n = params.length;
        float wd = (float) config.weightDecay();
        float mu = (float) config.momentum();
        float keep = (float) (1 - config.dampening());
        float lr = (float) learningRate;
        boolean first = buffer == null;
        if (mu != 0 && first) {
            buffer = new float[n];
        }
        if (buffer != null) {
            ShapeException.check("parameter elements (as in the optimizer's state)", buffer.length, n);
        }
        for (int i = 0; i < n; i++) {
            float d = grads[i];
            if (wd != 0) {
                d = d + wd * params[i];
            }
            if (mu != 0) {
                float b = first ? d : buffer[i] * mu + keep * d;
                buffer[i] = b;
                d = config.nesterov() ? d + mu * b : b;
            }
            params[i] = params[i] - lr * d;
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public OptimizerState state() {
        Map<String, float[]> m = new LinkedHashMap<>();
        if (buffer != null) {
            m.put("momentum_buffer", buffer);
        }
        return new OptimizerState("sgd", steps, m);
    }

    @Override
    public void restore(OptimizerState state) {
        if (!state.kind().equals("sgd")) {
            throw new IllegalArgumentException("expected an sgd state, got " + state.kind());
        }
        steps = state.step();
        buffer = state.buffers().containsKey("momentum_buffer") ? state.buffer("momentum_buffer") : null;
    }
}
