package io.github.rnnlab.train.optim;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.cell.CellConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam and AdamW exactly as {@code torch.optim.Adam} / {@code torch.optim.AdamW} (amsgrad off),
 * element-wise in float32 with the bias corrections in double, in PyTorch's order of operations:
 * <pre>
 *   t = t + 1
 *   p = p·(1 − lr·λ)                 (AdamW: decoupled weight decay)
 *   g = g + λ·p                      (Adam: L2 weight decay)
 *   m = β₁·m + (1 − β₁)·g
 *   v = β₂·v + (1 − β₂)·g²
 *   p = p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 * ε is added after the bias correction of √v, as PyTorch does.
 */
public final class Adam implements Optimizer {

    /**
     * @param beta1       β₁ ∈ [0, 1) (default 0.9)
     * @param beta2       β₂ ∈ [0, 1) (default 0.999)
     * @param eps         ε &gt; 0 (default 1e-8)
     * @param weightDecay λ ≥ 0 (Adam default 0, AdamW default 0.01)
     * @param decoupled   false: Adam (λ as L2 on the gradient); true: AdamW
     */
    public record Config(double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        public Config {
            if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
                throw new CellConfig.InvalidConfigException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            if (!(eps > 0) || weightDecay < 0) {
                throw new CellConfig.InvalidConfigException("Adam needs eps > 0 and weight decay ≥ 0, got " + eps + ", " + weightDecay);
            }
        }

        /** {@code torch.optim.Adam} defaults. */
        public static Config adam() {
            return new Config(0.9, 0.999, 1e-8, 0, false);
        }

        /** {@code torch.optim.AdamW} defaults (weight decay 0.01). */
        public static Config adamW() {
            return new Config(0.9, 0.999, 1e-8, 0.01, true);
        }

        public Config withWeightDecay(double lambda) {
            return new Config(beta1, beta2, eps, lambda, decoupled);
        }
    }

    private final Config config;
    private float[] m;
    private float[] v;
    private long steps;

    public Adam(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public void step(float[] params, float[] grads, double learningRate) {
        ShapeException.check("gradient elements", params.length, grads.length);
        int n = params.length;
        if (m == null) {
            m = new float[n];
            v = new float[n];
        }
        ShapeException.check("parameter elements (as in the optimizer's state)", m.length, n);
        steps++;
        float b1 = (float) config.beta1(), b2 = (float) config.beta2();
        float c1 = (float) (1 - config.beta1()), c2 = (float) (1 - config.beta2());
        double bc1 = 1 - Math.pow(config.beta1(), steps);
        double bc2 = 1 - Math.pow(config.beta2(), steps);
        float stepSize = (float) (learningRate / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        float eps = (float) config.eps();
        float wd = (float) config.weightDecay();
        float decay = (float) (1 - learningRate * config.weightDecay());
        boolean decoupled = config.decoupled();
        for (int i = 0; i < n; i++) {
            float p = params[i];
            float g = grads[i];
            if (wd != 0) {
                if (decoupled) {
                    p = p * decay;
                } else {
                    g = g + wd * p;
                }
            }
            float mi = m[i] * b1 + c1 * g;
            float vi = v[i] * b2 + c2 * (g * g);
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            params[i] = p - stepSize * (mi / denom);
        }
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public OptimizerState state() {
        Map<String, float[]> b = new LinkedHashMap<>();
        if (m != null) {
            b.put("exp_avg", m);
            b.put("exp_avg_sq", v);
        }
        return new OptimizerState(kind(), steps, b);
    }

    private String kind() {
        return config.decoupled() ? "adamw" : "adam";
    }

    @Override
    public void restore(OptimizerState state) {
        if (!state.kind().equals(kind())) {
            throw new IllegalArgumentException("expected an " + kind() + " state, got " + state.kind());
        }
        steps = state.step();
        if (state.buffers().isEmpty()) {
            m = null;
            v = null;
        } else {
            m = state.buffer("exp_avg");
            v = state.buffer("exp_avg_sq");
            ShapeException.check("exp_avg_sq elements", m.length, v.length);
        }
    }
}
