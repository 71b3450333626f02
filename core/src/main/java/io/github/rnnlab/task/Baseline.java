package io.github.rnnlab.task;

/**
 * What a model that has learned nothing useful scores on a task: the bar a trained network has to
 * clear to show it solved the long-range part.
 *
 * @param loss    the baseline loss in the task's {@link LossKind}
 * @param metric  the baseline value of the task's {@link Metric}
 * @param formula how both were obtained, for reports (e.g. "Var(X₁+X₂) = 2·(1/12) = 1/6: predict 1")
 */
public record Baseline(double loss, double metric, String formula) {
}
