/**
 * The built-in cells, exactly as PyTorch defines them: {@code rnn_tanh} and {@code rnn_relu}
 * ({@link io.github.rnnlab.cells.Elman}), {@code lstm} ({@link io.github.rnnlab.cells.Lstm}) and
 * {@code gru} ({@link io.github.rnnlab.cells.Gru}). Each is found by {@link java.util.ServiceLoader}
 * through its provider, listed in {@code META-INF/services/io.github.rnnlab.cell.CellProvider}.
 */
package io.github.rnnlab.cells;
