/**
 * Optimizers on a flat float32 parameter vector, with PyTorch's formulas and order of operations
 * ({@link io.github.rnnlab.train.optim.Sgd}, {@link io.github.rnnlab.train.optim.Adam} for Adam and
 * AdamW), their checkpointable state ({@link io.github.rnnlab.train.optim.OptimizerState}), and
 * learning-rate schedules ({@link io.github.rnnlab.train.optim.LearningRate}).
 */
package io.github.rnnlab.train.optim;
