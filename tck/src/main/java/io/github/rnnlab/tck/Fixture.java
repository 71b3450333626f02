package io.github.rnnlab.tck;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.init.ParameterInit;
import io.github.rnnlab.numeric.Rng;

/**
 * The data of one chunk, in double: what a law feeds a cell, in either precision. Layouts as in
 * {@link io.github.rnnlab.cell.Chunk} and {@link io.github.rnnlab.cell.ChunkGradients}. The loss
 * whose gradient is checked is the fixed linear functional
 * {@code L = Σ outputGrad ⊙ output + Σ finalStateGrad ⊙ finalState}, so every output and every final
 * state gets gradient.
 *
 * @param steps          T
 * @param batch          B
 * @param inputSize      n
 * @param input          (T, B, n)
 * @param mask           (T, B) 0/1, or null
 * @param parameters     the flat parameter vector
 * @param initialState   (B, S)
 * @param outputGrad     dL/d output, (T, B, outputSize)
 * @param finalStateGrad dL/d finalState, (B, S)
 * @param gradientSeed   what the parameter gradient holds before backward (backward must add to it)
 * @param offsetSeed     picks the offsets the buffers are placed at
 */
public record Fixture(int steps, int batch, int inputSize, double[] input, float[] mask, double[] parameters,
                      double[] initialState, double[] outputGrad, double[] finalStateGrad, double[] gradientSeed,
                      long offsetSeed) {

    /** Random data for {@code scenario}: parameters from the provider's default initializers. */
    public static Fixture random(Cell cell, Scenario scenario) {
        return random(cell, scenario, ParameterInit.defaults());
    }

    /** Random data for {@code scenario}, parameters from {@code init}. */
    public static Fixture random(Cell cell, Scenario scenario, ParameterInit init) {
        Rng rng = new Rng(scenario.seed());
        int t = scenario.steps(), b = scenario.batch(), n = cell.config().inputSize();
        int s = cell.layout().stateSize(), out = cell.outputSize();
        double[] params = init.initialize(cell, rng.split());
        double[] input = uniform(rng, (long) t * b * n, 1.0);
        double[] init0 = uniform(rng, (long) b * s, 1.0);
        double[] dOut = uniform(rng, (long) t * b * out, 1.0);
        double[] dFinal = uniform(rng, (long) b * s, 1.0);
        double[] seed = uniform(rng, params.length, 1.0);
        float[] mask = switch (scenario.mask()) {
            case NONE -> null;
            case RANDOM -> {
                float[] m = new float[t * b];
                for (int i = 0; i < m.length; i++) {
                    m[i] = rng.nextDouble() < 0.75 ? 1f : 0f;
                }
                yield m;
            }
            case LENGTHS -> {
                float[] m = new float[t * b];
                for (int row = 0; row < b; row++) {
                    int len = rng.nextInt(t + 1);
                    for (int step = 0; step < len; step++) {
                        m[step * b + row] = 1f;
                    }
                }
                yield m;
            }
        };
        return new Fixture(t, b, n, input, mask, params, init0, dOut, dFinal, seed, rng.nextLong());
    }

    private static double[] uniform(Rng rng, long n, double bound) {
        double[] a = new double[Math.toIntExact(n)];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.uniform(-bound, bound);
        }
        return a;
    }

    /** Whether step {@code t} of row {@code b} is valid. */
    public boolean valid(int t, int b) {
        return mask == null || mask[t * batch + b] != 0f;
    }

    /** This fixture with every value rounded to float, so float32 and float64 runs see the same numbers. */
    public Fixture roundedToFloat() {
        return new Fixture(steps, batch, inputSize, round(input), mask, round(parameters), round(initialState),
                round(outputGrad), round(finalStateGrad), round(gradientSeed), offsetSeed);
    }

    /** This fixture with another input size (and an input of that size), for the wrong-size law. */
    public Fixture withInputSize(int n) {
        return new Fixture(steps, batch, n, new double[steps * batch * n], mask, parameters, initialState,
                outputGrad, finalStateGrad, gradientSeed, offsetSeed);
    }

    /** A copy of this fixture with the given input, parameters and initial state (for finite differences). */
    Fixture with(double[] newInput, double[] newParameters, double[] newInitialState) {
        return new Fixture(steps, batch, inputSize, newInput, mask, newParameters, newInitialState,
                outputGrad, finalStateGrad, gradientSeed, offsetSeed);
    }

    private static double[] round(double[] a) {
        if (a == null) {
            return null;
        }
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (float) a[i];
        }
        return r;
    }
}
