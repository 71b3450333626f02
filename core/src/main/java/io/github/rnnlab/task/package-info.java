/**
 * Synthetic long-range tasks that probe a recurrent network's memory, each seeded and deterministic,
 * with a documented loss, metric and baseline: the adding problem ({@link io.github.rnnlab.task.AddingTask}),
 * copy memory ({@link io.github.rnnlab.task.CopyTask}), the embedded Reber grammar
 * ({@link io.github.rnnlab.task.ReberTask}) and sequential parity ({@link io.github.rnnlab.task.ParityTask}).
 * {@link io.github.rnnlab.task.TaskKind} maps the command-line names to tasks;
 * {@link io.github.rnnlab.train.TaskTraining} trains a network on them.
 */
package io.github.rnnlab.task;
