package io.github.rnnlab.task;

/** Where a task reads the network's predictions from. */
public enum Readout {
    /** Many-to-one: one prediction per sequence, from the output at the last time step; predictions (B, outputs). */
    LAST_STEP,
    /** Many-to-many: a prediction at every (unmasked) time step; predictions (T, B, outputs). */
    EVERY_STEP
}
