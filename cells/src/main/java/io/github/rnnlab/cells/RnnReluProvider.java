package io.github.rnnlab.cells;

/** {@code rnn_relu}: PyTorch's {@code nn.RNN(nonlinearity='relu')} cell. */
public final class RnnReluProvider extends ElmanProvider {
    public RnnReluProvider() {
        super("rnn_relu", Elman.Activation.RELU,
                "Elman RNN, h = relu(W_ih x + b_ih + W_hh h + b_hh), as PyTorch nn.RNN(nonlinearity='relu')");
    }
}
