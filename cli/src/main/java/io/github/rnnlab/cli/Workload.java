package io.github.rnnlab.cli;

import io.github.rnnlab.checkpoint.TrainingState;

/**
 * What {@code rnnlab train} trains, as the {@link TrainingLoop} sees it: one batch at a time, a validation loss,
 * a sample now and then, and the {@link TrainingState} a checkpoint saves.
 *
 * <p>{@link CharWorkload} is the character-level language model ({@code --data FILE} or the embedded corpus);
 * {@link TaskWorkload} a synthetic long-range task ({@code --task}), over the same loop, with its progress
 * display, time limit, Ctrl-C handling, loss curve and checkpoints.
 */
interface Workload {
    /** The loss and size of one trained batch. */
    record BatchResult(double loss, long items) {
    }

    /** One validation: the mean loss, and the task's metric (NaN for a character model). */
    record Validation(double loss, double metric) {
    }

    /** The run's state: model, optimizer, data position; what a checkpoint holds. */
    TrainingState state();

    /** What the items of a batch are, plural ("chars"), for throughputs. */
    String unit();

    /** Trains one batch (one or more updates); its mean loss and how many items (targets) it held. */
    BatchResult train();

    /** Whether there is a validation set. */
    boolean validates();

    /**
     * The mean validation loss (nats per item, or the task's loss) and metric: on the part the periodic
     * evaluations read when {@code all} is false, on the whole validation set when true. NaN without a
     * validation set.
     */
    Validation validate(boolean all);

    /** The validation loss of the baseline model (unigram for text); NaN if there is none. */
    double baseline();

    /** The progress line of a periodic validation at {@code step}. */
    String validationLine(long step, Validation v);

    /** The name of the metric column of {@code loss.csv} ("MSE"), or null for none. */
    String metric();

    /** The y-axis label of {@code loss.png} ("loss (nats per character)"). */
    String lossLabel();

    /** The legend of the baseline in {@code loss.png}. */
    String baselineName();

    /** A sample of what the model generates now, or null if the workload has none. */
    String sample(long step);
}
