package io.github.rnnlab.cli;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.task.SequenceTask;
import io.github.rnnlab.task.TaskKind;
import io.github.rnnlab.task.UnknownTaskException;
import java.util.Arrays;
import java.util.List;

/**
 * The synthetic tasks on the command line ({@code train --task}, {@code compare --task}, {@code diagnose --task}):
 * their names, and the settings a run of each gets by default: runs of seconds to a quarter of a minute on one
 * thread. Measured with the default cell (an LSTM) and seed: adding and Reber are solved within the default budget;
 * copy (T = 20) and parity (T = 12) are not (recall accuracy 0.17 and accuracy 0.54 against baselines 0.125 and
 * 0.5) — they are the hard tasks of the set, for comparing cells and inits rather than a demonstration of success
 * (see the README's {@code train --task} section).
 *
 * @param seqLen T, the task's size knob ({@link TaskKind#create})
 * @param hidden hidden units per layer
 * @param lr     Adam's (constant) learning rate
 * @param steps  updates
 */
record TaskDefaults(int seqLen, int hidden, double lr, long steps) {
    /** Sequences per batch, every task. */
    static final int BATCH = 32;

    static final int ADDING_T = 50, ADDING_H = 64;
    static final double ADDING_LR = 0.005;
    static final long ADDING_STEPS = 1500;

    static final int COPY_T = 20, COPY_H = 64;
    static final double COPY_LR = 0.005;
    static final long COPY_STEPS = 2000;

    static final int REBER_T = 32, REBER_H = 32;
    static final double REBER_LR = 0.01;
    static final long REBER_STEPS = 600;

    static final int PARITY_T = 12, PARITY_H = 64;
    static final double PARITY_LR = 0.005;
    static final long PARITY_STEPS = 1500;

    /** The defaults of {@code kind}. */
    static TaskDefaults of(TaskKind kind) {
        return switch (kind) {
            case ADDING -> new TaskDefaults(ADDING_T, ADDING_H, ADDING_LR, ADDING_STEPS);
            case COPY -> new TaskDefaults(COPY_T, COPY_H, COPY_LR, COPY_STEPS);
            case REBER -> new TaskDefaults(REBER_T, REBER_H, REBER_LR, REBER_STEPS);
            case PARITY -> new TaskDefaults(PARITY_T, PARITY_H, PARITY_LR, PARITY_STEPS);
        };
    }

    /**
     * The task named {@code name}.
     *
     * @throws UsageException naming the task names, with the closest ones
     */
    static TaskKind parse(String name, String option) {
        try {
            return TaskKind.parse(name.trim());
        } catch (UnknownTaskException e) {
            List<String> names = Arrays.stream(TaskKind.values()).map(TaskKind::cliName).toList();
            List<String> close = Suggestions.closest(name.trim(), names);
            throw new UsageException(option + ": unknown task '" + name + "'",
                    (close.isEmpty() ? "" : "Did you mean '" + String.join("' or '", close) + "'? ")
                            + "Tasks: " + String.join(", ", names));
        }
    }

    /**
     * The task {@code kind} of size {@code steps} with {@code batch} rows.
     *
     * @throws UsageException if the task rejects the size (naming {@code --seq-len})
     */
    static SequenceTask create(TaskKind kind, int steps, int batch) {
        try {
            return kind.create(steps, batch);
        } catch (ShapeException e) {
            throw new UsageException("--seq-len " + steps + " or --batch " + batch + " does not fit the " + kind.cliName()
                    + " task: " + e.getMessage());
        }
    }
}
