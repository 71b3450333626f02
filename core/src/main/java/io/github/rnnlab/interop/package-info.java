/**
 * PyTorch interoperability through safetensors: recurrent modules read from and written as the
 * {@code state_dict} of {@code nn.RNN}, {@code nn.LSTM} and {@code nn.GRU}
 * ({@link io.github.rnnlab.interop.TorchRecurrent}, with the configuration inferred from names and shapes by
 * {@link io.github.rnnlab.interop.TorchModule}), any model's parameters as named tensors
 * ({@link io.github.rnnlab.interop.StateDict}), and the forward/gradient runner behind
 * {@code rnnlab forward} ({@link io.github.rnnlab.interop.TorchForward}). Mismatches are
 * {@link io.github.rnnlab.interop.StateDictException}s.
 *
 * <p>PyTorch's {@code bias=False} is a {@link io.github.rnnlab.nn.RecurrentConfig#bias()} of false: the
 * cells keep their bias blocks, which are {@linkplain io.github.rnnlab.nn.Parameters.Block#absent() absent}
 * from the model (zero, never trained, never written).
 */
package io.github.rnnlab.interop;
