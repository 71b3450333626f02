/**
 * Training: back-propagation through time ({@link io.github.rnnlab.train.Bptt},
 * {@link io.github.rnnlab.train.TruncatedBptt}), gradient clipping
 * ({@link io.github.rnnlab.train.GradientClipping}), and the update loop
 * ({@link io.github.rnnlab.train.Trainer}); optimizers and learning-rate schedules are in
 * {@link io.github.rnnlab.train.optim}. {@link io.github.rnnlab.train.TaskTraining} trains a cell on one of
 * the synthetic long-range tasks of {@link io.github.rnnlab.task} and reports its learning curve against
 * the task's baseline.
 *
 * <p>A character-level language model on B streams of a text, with truncated BPTT and the state
 * carried from batch to batch:
 * <pre>{@code
 * SequenceModel<float[]> model = SequenceModel.create(F32Ops.standard(), cell, new SequenceModel.Config(
 *         new SequenceModel.Tokens(v, 32), new RecurrentConfig(32, 256).withLayers(2).withDropout(0.1), v,
 *         SequenceModel.Objective.CROSS_ENTROPY), new Rng(1));
 * Trainer trainer = new Trainer(model.parameters(), new Adam(Adam.Config.adamW()),
 *         Trainer.Config.of(new LearningRate.Warmup(100, 0.1, new LearningRate.Cosine(3e-3, 10_000, 1e-4)))
 *                 .withClipNorm(1.0), new Rng(2));
 * TruncatedBptt<float[]> bptt = new TruncatedBptt<>(model, Bptt.truncated(64));
 * float[] state = null;
 * for (int step = 0; step < 10_000; step++) {
 *     Batch<float[]> b = Batch.ofTokens(64, rows, inputs(step), targets(step), null);   // (T, B) ids; targets = next char
 *     double loss = trainer.train(bptt, b, state == null ? null : Slice.of(state));
 *     state = bptt.finalState().clone();                                               // carry along the streams
 * }
 * int[] sample = new Generator<>(model).generate(prompt, 500, Sampling.topK(5, 0.8), new Rng(3));
 * }</pre>
 * ({@code CharLevelExampleTest} runs this on a small text.) A non-finite loss or gradient norm throws
 * {@link io.github.rnnlab.train.NonFiniteException} before any parameter is updated. The same seeds,
 * data and thread count give bit-identical losses.
 */
package io.github.rnnlab.train;
