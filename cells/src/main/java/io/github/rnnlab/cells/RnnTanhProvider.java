package io.github.rnnlab.cells;

/** {@code rnn_tanh}: PyTorch's {@code nn.RNN(nonlinearity='tanh')} cell. */
public final class RnnTanhProvider extends ElmanProvider {
    public RnnTanhProvider() {
        super("rnn_tanh", Elman.Activation.TANH, "Elman RNN, h = tanh(W_ih x + b_ih + W_hh h + b_hh), as PyTorch nn.RNN");
    }
}
