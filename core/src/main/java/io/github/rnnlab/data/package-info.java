/**
 * Text data for character-level language modelling: {@link io.github.rnnlab.data.TextCorpus} (strict
 * UTF-8, code points; the embedded default is Karpathy's tiny-shakespeare),
 * {@link io.github.rnnlab.data.Vocabulary} (sorted distinct characters ↔ ids, serialisable for
 * checkpoints), {@link io.github.rnnlab.data.TextSplit} (contiguous train/validation split),
 * {@link io.github.rnnlab.data.RandomWindowBatcher} (independent random windows) and
 * {@link io.github.rnnlab.data.SequentialBatcher} (B parallel streams for truncated BPTT with carried
 * state), and {@link io.github.rnnlab.data.UnigramBaseline} (the context-free loss to beat).
 * Batches are (T, B) time-major, as the sequence engine takes them.
 */
package io.github.rnnlab.data;
