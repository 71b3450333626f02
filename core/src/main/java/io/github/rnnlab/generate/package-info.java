/**
 * Autoregressive generation: {@link io.github.rnnlab.generate.Sampling} (greedy, temperature, top-k,
 * one seeded draw per token) and {@link io.github.rnnlab.generate.Generator}, which feeds each
 * prediction back through a streaming step with a carried state.
 */
package io.github.rnnlab.generate;
