package io.github.rnnlab.train;

import io.github.rnnlab.nn.Parameters;
import io.github.rnnlab.numeric.Ops;

/**
 * Gradient clipping as PyTorch's {@code clip_grad_norm_} and {@code clip_grad_value_}.
 *
 * <p>By norm: {@code total = ‖(‖g₁‖, ‖g₂‖, …)‖} over the gradients of every parameter tensor (every
 * {@link Parameters.Block}), {@code coef = maxNorm / (total + 1e-6)}, and if {@code coef < 1} every
 * gradient is multiplied by {@code coef}; the total norm before clipping is returned. Norms are
 * accumulated in double (PyTorch accumulates in float32), so the returned norm can differ from
 * PyTorch's in the last float32 bits; the scaling itself is in the storage precision. A non-finite
 * total throws {@link NonFiniteException} and leaves the gradients untouched (PyTorch's
 * {@code error_if_nonfinite=True}).
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** The global L2 norm of the gradients of {@code parameters}, block by block as PyTorch. */
    public static <A> double norm(Parameters<A> parameters) {
        Ops<A> ops = parameters.ops();
        A g = parameters.gradients();
        double sumOfSquaredNorms = 0;
        for (Parameters.Block b : parameters.blocks()) {
            double s = 0;
            for (int i = b.offset(), end = b.offset() + b.size(); i < end; i++) {
                double v = ops.get(g, i);
                s += v * v;
            }
            double blockNorm = Math.sqrt(s);
            sumOfSquaredNorms += blockNorm * blockNorm;
        }
        return Math.sqrt(sumOfSquaredNorms);
    }

    /**
     * Clips the gradients of {@code parameters} to global norm {@code maxNorm}.
     *
     * @return the total norm before clipping
     * @throws NonFiniteException if the total norm is NaN or infinite
     */
    public static <A> double clipGradNorm(Parameters<A> parameters, double maxNorm) {
        double total = norm(parameters);
        requireFinite(total);
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1) {
            parameters.ops().scale(parameters.size(), coef, parameters.gradients(), 0);
        }
        return total;
    }

    /**
     * Clips gradient tensors given as separate arrays (each one tensor) to global norm {@code maxNorm}.
     *
     * @return the total norm before clipping
     * @throws NonFiniteException if the total norm is NaN or infinite
     */
    public static double clipGradNorm(double maxNorm, float[]... grads) {
        double sumOfSquaredNorms = 0;
        for (float[] g : grads) {
            double s = 0;
            for (float v : g) {
                s += (double) v * v;
            }
            double n = Math.sqrt(s);
            sumOfSquaredNorms += n * n;
        }
        double total = Math.sqrt(sumOfSquaredNorms);
        requireFinite(total);
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1) {
            float c = (float) coef;
            for (float[] g : grads) {
                for (int i = 0; i < g.length; i++) {
                    g[i] *= c;
                }
            }
        }
        return total;
    }

    /** Clamps every gradient of {@code parameters} to [−clip, clip] (NaN stays NaN). */
    public static <A> void clipGradValue(Parameters<A> parameters, double clip) {
        Ops<A> ops = parameters.ops();
        A g = parameters.gradients();
        for (int i = 0, n = parameters.size(); i < n; i++) {
            double v = ops.get(g, i);
            if (v > clip) {
                ops.set(g, i, clip);
            } else if (v < -clip) {
                ops.set(g, i, -clip);
            }
        }
    }

    /** Clamps every element of each array to [−clip, clip]. */
    public static void clipGradValue(double clip, float[]... grads) {
        float c = (float) clip;
        for (float[] g : grads) {
            for (int i = 0; i < g.length; i++) {
                g[i] = Math.max(-c, Math.min(c, g[i]));
            }
        }
    }

    private static void requireFinite(double total) {
        if (!Double.isFinite(total)) {
            throw new NonFiniteException("the total gradient norm is " + total + "; no parameter was updated");
        }
    }
}
