package io.github.rnnlab.train.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of an {@link Optimizer}: what it is, how many steps it has taken, and its named buffers
 * (e.g. Adam's {@code exp_avg} and {@code exp_avg_sq}, SGD's {@code momentum_buffer}, PyTorch's
 * names), each as long as the parameter vector. Buffers are copied in and out.
 *
 * @param kind    e.g. {@code "adam"}
 * @param step    updates taken
 * @param buffers name → values; unmodifiable
 */
public record OptimizerState(String kind, long step, Map<String, float[]> buffers) {
    public OptimizerState {
        LinkedHashMap<String, float[]> copy = new LinkedHashMap<>();
        buffers.forEach((k, v) -> copy.put(k, v.clone()));
        buffers = Collections.unmodifiableMap(copy);
    }

    /** A copy of buffer {@code name}. */
    public float[] buffer(String name) {
        float[] b = buffers.get(name);
        if (b == null) {
            throw new IllegalArgumentException("no optimizer buffer " + name + "; have " + buffers.keySet());
        }
        return b.clone();
    }
}
