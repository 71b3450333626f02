package io.github.rnnlab.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The synthetic tasks, by the names the command line uses ({@code --task adding|copy|reber|parity}). */
public enum TaskKind {
    /** {@link AddingTask}: sum of two marked values, MSE. */
    ADDING("adding"),
    /** {@link CopyTask}: reproduce k symbols after a delay, per-step classification. */
    COPY("copy"),
    /** {@link ReberTask}: next symbol of the embedded Reber grammar. */
    REBER("reber"),
    /** {@link ParityTask}: parity of a bit sequence, many-to-one classification. */
    PARITY("parity");

    private final String cliName;

    TaskKind(String cliName) {
        this.cliName = cliName;
    }

    /** The command-line name. */
    public String cliName() {
        return cliName;
    }

    /**
     * The task named {@code name} (case-insensitive).
     *
     * @throws UnknownTaskException listing the known names
     */
    public static TaskKind parse(String name) {
        for (TaskKind k : values()) {
            if (k.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new UnknownTaskException("unknown task \"" + name + "\": expected one of "
                + Arrays.stream(values()).map(TaskKind::cliName).collect(Collectors.joining(", ")));
    }

    /**
     * The task with its standard settings and one size knob, {@code steps}:
     * <ul>
     *   <li>adding: sequence length T = steps;</li>
     *   <li>copy: delay T = steps, k = 10 symbols from an alphabet of 8, sequence length steps + 20;</li>
     *   <li>reber: maximum string length = steps (batches have steps − 1 time steps, shorter strings padded);</li>
     *   <li>parity: sequence length T = steps.</li>
     * </ul>
     */
    public SequenceTask create(int steps, int batchSize) {
        return switch (this) {
            case ADDING -> new AddingTask(new AddingTask.Config(steps, batchSize));
            case COPY -> new CopyTask(new CopyTask.Config(steps, CopyTask.Config.DEFAULT_LENGTH,
                    CopyTask.Config.DEFAULT_ALPHABET, batchSize));
            case REBER -> new ReberTask(new ReberTask.Config(steps, batchSize));
            case PARITY -> new ParityTask(new ParityTask.Config(steps, batchSize));
        };
    }
}
