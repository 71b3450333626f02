/**
 * Training checkpoints: a run's configuration ({@link io.github.rnnlab.checkpoint.TrainingConfig}), its
 * live state ({@link io.github.rnnlab.checkpoint.TrainingState}: model, optimizer, trainer, data position,
 * carried state, generators, vocabulary), and one safetensors file holding both
 * ({@link io.github.rnnlab.checkpoint.Checkpoint}), written atomically and validated on loading, from which
 * training resumes bit for bit.
 *
 * <pre>{@code
 * TrainingState s = Files.exists(file)
 *         ? Checkpoint.load(file, registry, "lstm", ops)                        // --resume
 *         : TrainingState.start(config, registry.provider("lstm"), vocabulary, ops);
 * SequentialBatcher batches = new SequentialBatcher(ids, config.sequenceLength(), config.batch());
 * while (s.step() < total) {
 *     double loss = s.trainSequential(batches);
 *     if (s.step() % 500 == 0) {
 *         Checkpoint.save(file, s);                                            // --checkpoint
 *     }
 * }
 * }</pre>
 */
package io.github.rnnlab.checkpoint;
