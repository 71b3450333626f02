package io.github.rnnlab.diagnose;

import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.SequenceModel;

import java.util.List;

/**
 * Everything {@code rnnlab diagnose} reports about one model on one batch: the spectra of its
 * recurrent weights and the flow of the gradient of a last-step loss back through time.
 *
 * @param name    the run's name in tables, files and legends (e.g. {@code rnn_tanh orthogonal})
 * @param cell    the cell id
 * @param spectra every recurrent weight block's spectrum ({@link RecurrentSpectra})
 * @param flow    the gradient-flow measurement ({@link GradientFlow})
 */
public record Diagnosis(String name, String cell, List<RecurrentSpectra.BlockSpectrum> spectra, GradientFlow.Result flow) {
    public Diagnosis {
        spectra = List.copyOf(spectra);
    }

    /**
     * Diagnoses {@code model} (fresh from an initializer or loaded from a checkpoint) on {@code batch}.
     *
     * @param cell the provider of the model's cell (for its gate count)
     */
    public static <A> Diagnosis of(String name, CellProvider cell, SequenceModel<A> model, Batch<A> batch, GradientFlow.Config config) {
        return new Diagnosis(name, cell.id(), RecurrentSpectra.of(model.parameters(), cell), GradientFlow.measure(model, batch, config));
    }

    /** The run's verdict ({@link GradientFlow.Result#verdict()}). */
    public Verdict verdict() {
        return flow.verdict();
    }

    /**
     * The largest spectral radius over the recurrent weight blocks of layer {@code layer} (parameters named
     * {@code …_l<layer>} or {@code …_l<layer>_reverse}, as {@link io.github.rnnlab.nn.Recurrent} names them); over
     * all blocks if none is named so.
     */
    public double maxSpectralRadius(int layer) {
        return maxSpectralRadius(ofLayer(layer));
    }

    /** The largest σ₁ over the recurrent weight blocks of layer {@code layer}, as {@link #maxSpectralRadius(int)}. */
    public double maxSingularValue(int layer) {
        return maxSingularValue(ofLayer(layer));
    }

    private List<RecurrentSpectra.BlockSpectrum> ofLayer(int layer) {
        String suffix = "_l" + layer;
        List<RecurrentSpectra.BlockSpectrum> own = spectra.stream()
                .filter(b -> b.parameter().endsWith(suffix) || b.parameter().endsWith(suffix + "_reverse")).toList();
        return own.isEmpty() ? spectra : own;
    }

    private static double maxSpectralRadius(List<RecurrentSpectra.BlockSpectrum> blocks) {
        double m = Double.NaN;
        for (RecurrentSpectra.BlockSpectrum b : blocks) {
            if (!Double.isNaN(b.spectralRadius())) {
                m = Double.isNaN(m) ? b.spectralRadius() : Math.max(m, b.spectralRadius());
            }
        }
        return m;
    }

    private static double maxSingularValue(List<RecurrentSpectra.BlockSpectrum> blocks) {
        double m = Double.NaN;
        for (RecurrentSpectra.BlockSpectrum b : blocks) {
            m = Double.isNaN(m) ? b.largestSingularValue() : Math.max(m, b.largestSingularValue());
        }
        return m;
    }
}
