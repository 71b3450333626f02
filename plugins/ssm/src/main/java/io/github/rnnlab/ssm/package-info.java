/**
 * The SSM preview plugin: {@link io.github.rnnlab.ssm.Ssm}, a selective diagonal state-space cell
 * (Mamba-style S6 with a SiLU output gate, REFERENCE.md §2) with a parallel scan over time, and its
 * {@link io.github.rnnlab.ssm.SsmProvider} (cell id {@code ssm}, a preview), registered for
 * {@link java.util.ServiceLoader}.
 *
 * <p>Built as any third-party plugin is: it uses only the published SPI of rnnlab-core (the cell SPI,
 * {@code Ops}, the initializers and, through {@code Ops.team()}, the worker team), and is tested
 * with the plugin TCK. The package is the project's own ({@code io.github.rnnlab.ssm}) because the
 * project publishes and maintains the plugin, under its group id; it holds no class of the core
 * packages and reaches nothing package-private there.
 */
package io.github.rnnlab.ssm;
