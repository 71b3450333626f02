package io.github.rnnlab.linalg;

/**
 * The result of {@link Svd#largestSingularValue}.
 *
 * @param value      the estimate of σ₁ (a lower bound of it)
 * @param iterations power-iteration steps taken
 * @param converged  whether successive estimates met the tolerance before the iteration limit
 */
public record SingularValueEstimate(double value, int iterations, boolean converged) {
}
