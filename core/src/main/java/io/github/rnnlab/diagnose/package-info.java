/**
 * Gradient diagnostics: the lecture's account of vanishing and exploding gradients, measured on any
 * cell through the cell SPI.
 *
 * <ul>
 *   <li>{@link io.github.rnnlab.diagnose.RecurrentSpectra}: spectral radius and singular values of every
 *       recurrent weight block (per gate);</li>
 *   <li>{@link io.github.rnnlab.diagnose.GradientFlow}: ‖∂L_T/∂s_t‖ of every state against the distance
 *       from T, the exact step Jacobians ∂s_t/∂s_{t−1} ({@link io.github.rnnlab.diagnose.StepJacobian}),
 *       a geometric fit ({@link io.github.rnnlab.diagnose.GeometricFit}) and a
 *       {@link io.github.rnnlab.diagnose.Verdict};</li>
 *   <li>{@link io.github.rnnlab.diagnose.Diagnosis} and {@link io.github.rnnlab.diagnose.DiagnosticReport}:
 *       what {@code rnnlab diagnose} prints and writes (table, CSV, PNG);
 *       {@link io.github.rnnlab.diagnose.TaskComparison}: what {@code rnnlab compare --task} prints and
 *       writes for runs of {@link io.github.rnnlab.train.TaskTraining};</li>
 *   <li>{@link io.github.rnnlab.diagnose.LectureExperiment}: the documented experiment on the adding
 *       problem;</li>
 *   <li>the PNG line charts are drawn by the project's one chart writer,
 *       {@link io.github.rnnlab.report.PngChart}.</li>
 * </ul>
 *
 * <p>A diagnosis of a fresh model:
 * <pre>{@code
 * SequenceTask task = TaskKind.ADDING.create(100, 32);
 * CellProvider cell = registry.provider("rnn_tanh");
 * SequenceModel<float[]> model = TaskTraining.createModel(F32Ops.standard(), task, cell, TaskTraining.Model.of(64)
 *         .withInit(ParameterInit.defaults().with(Role.RECURRENT_WEIGHT, Initializers.orthogonal(1.0))), new Rng(1));
 * Diagnosis d = Diagnosis.of("rnn_tanh orthogonal", cell, model, TaskTraining.prepare(task.sample(new Rng(2))).batch(),
 *         GradientFlow.Config.defaults());
 * String table = DiagnosticReport.table(List.of(d));          // rate per step, Jacobian norms, verdict
 * DiagnosticReport.writeAll(dir, List.of(d));
 * }</pre>
 */
package io.github.rnnlab.diagnose;
