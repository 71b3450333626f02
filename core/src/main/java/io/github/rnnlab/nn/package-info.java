/**
 * The sequence engine: recurrent stacks over any {@link io.github.rnnlab.cell.Cell}, heads, losses and
 * the models of the four sequence patterns, written once against {@link io.github.rnnlab.numeric.Ops}
 * so that the same code trains in float32 and is gradient-checked in float64.
 *
 * <ul>
 *   <li>{@link io.github.rnnlab.nn.Parameters}: one flat value vector and one flat gradient vector per
 *       model, in named, shaped blocks with PyTorch {@code state_dict} names;</li>
 *   <li>{@link io.github.rnnlab.nn.Recurrent}: layers, directions ({@link io.github.rnnlab.nn.Directions}),
 *       dropout between layers, padding ({@link io.github.rnnlab.nn.Mask}), initial and final states;</li>
 *   <li>{@link io.github.rnnlab.nn.Linear}, {@link io.github.rnnlab.nn.Embedding},
 *       {@link io.github.rnnlab.nn.SoftmaxCrossEntropy}, {@link io.github.rnnlab.nn.MeanSquaredError};</li>
 *   <li>models: {@link io.github.rnnlab.nn.SequenceModel} (many-to-many aligned; one-to-many by
 *       generation), {@link io.github.rnnlab.nn.SequenceClassifier} (many-to-one),
 *       {@link io.github.rnnlab.nn.Seq2Seq} (encoder–decoder with teacher forcing).</li>
 * </ul>
 * Sequences are time-major: position (t, b) of a (T, B, n) tensor starts at {@code (t·B + b)·n}.
 * Modules own their work buffers and reuse them from call to call.
 */
package io.github.rnnlab.nn;
