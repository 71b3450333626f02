package io.github.rnnlab.cli;

import io.github.rnnlab.checkpoint.Checkpoint;
import io.github.rnnlab.checkpoint.TrainingState;
import io.github.rnnlab.train.NonFiniteException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;

/**
 * The training loop of {@code rnnlab train}, whatever the {@link Workload}: batches until the last step, the time
 * limit or a stop request (Ctrl-C), with a progress display, a row of the loss curve every {@code logEvery} steps,
 * a validation loss every {@code evalEvery} steps, a sample every {@code sampleEvery} steps, and a checkpoint
 * (with {@code loss.csv} and {@code loss.png}) every {@code checkpointEvery} steps and at the end.
 *
 * <p>Output folder discipline: the folders are committed (kept) from the first checkpoint on; a failure before it
 * leaves nothing behind.
 */
final class TrainingLoop {
    /** Why the loop ended. */
    enum End {
        /** The last step was reached. */
        DONE,
        /** {@code --stop-at} was reached. */
        STOPPED_AT,
        /** The time limit was reached. */
        TIME_LIMIT,
        /** Ctrl-C or SIGTERM. */
        INTERRUPTED
    }

    /**
     * What the loop does when.
     *
     * @param total           the run's last step (the schedule's length)
     * @param stopAt          the step this session stops at (≤ total)
     * @param timeLimit       stop after this much training time in this session, or null
     * @param logEvery        a loss-curve row every this many steps
     * @param evalEvery       a validation every this many steps (0: only at the end)
     * @param sampleEvery     a sample every this many steps (0: only at the end)
     * @param checkpointEvery a checkpoint every this many steps (0: only at the end)
     * @param lineEvery       a progress line every this many steps (when not on a terminal)
     */
    record Schedule(long total, long stopAt, Duration timeLimit, long logEvery, long evalEvery, long sampleEvery,
                    long checkpointEvery, long lineEvery) {
    }

    /**
     * Where the results go.
     *
     * @param out            the output folder ({@code loss.csv}, {@code loss.png}, the checkpoint if inside it)
     * @param checkpointDir  the checkpoint's folder when it is outside {@code out}, else null
     * @param checkpointName the checkpoint's file name within its folder
     * @param title          the chart's title
     */
    record Outputs(OutputDir out, OutputDir checkpointDir, String checkpointName, String title) {
        Path checkpoint() {
            return (checkpointDir == null ? out : checkpointDir).path().resolve(checkpointName);
        }

        Path checkpointFile() {
            return (checkpointDir == null ? out : checkpointDir).file(checkpointName);
        }

        void commit() {
            out.commit();
            if (checkpointDir != null) {
                checkpointDir.commit();
            }
        }
    }

    /** How the session ended, with its final figures. */
    record Result(End end, long step, long items, double seconds, double trainLoss, double validationLoss,
                  double validationMetric, String sample) {
    }

    /**
     * For a run stopped by Ctrl-C, the one line on stderr (where it stopped, the checkpoint it saved and how to
     * go on) and {@link ExitCodes#INTERRUPTED}; for any other end, nothing and -1.
     */
    static int reportInterrupted(Terminal terminal, Result r, long total, String shownCheckpoint) {
        if (r.end() != End.INTERRUPTED) {
            return -1;
        }
        terminal.err().println("rnnlab: interrupted at step " + Format.grouped(r.step()) + " of " + Format.grouped(total)
                + "; saved " + shownCheckpoint + ". Continue with: rnnlab train --resume " + shownCheckpoint);
        terminal.err().flush();
        return ExitCodes.INTERRUPTED;
    }

    /** What ended a run, in words ("done", "stopped at --stop-at", ...). */
    static String ended(End end, java.time.Duration timeLimit) {
        return switch (end) {
            case DONE -> "done";
            case STOPPED_AT -> "stopped at --stop-at";
            case TIME_LIMIT -> "stopped at the time limit (" + Format.duration(timeLimit.toMillis() / 1000.0) + ")";
            case INTERRUPTED -> "interrupted";
        };
    }

    private final Workload work;
    private final Schedule schedule;
    private final Outputs outputs;
    private final LossLog log;
    private final Terminal terminal;
    private final ProgressMode progressMode;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    TrainingLoop(Workload work, Schedule schedule, Outputs outputs, LossLog previous, Terminal terminal, ProgressMode mode) {
        this.work = work;
        this.schedule = schedule;
        this.outputs = outputs;
        this.log = previous;
        this.terminal = terminal;
        this.progressMode = mode;
    }

    /** Asks the loop to stop after the current batch (what Ctrl-C does). */
    void requestStop() {
        stopRequested.set(true);
    }

    Result run() {
        TrainingState state = work.state();
        PrintWriter out = terminal.out();
        long first = state.step();
        long end = Math.min(schedule.stopAt(), schedule.total());
        long clock0 = terminal.clock().getAsLong();
        double elapsedBefore = log.lastElapsed();
        long items = 0;
        long rowItems = 0;
        long rowClock = clock0;
        double rowSum = 0;
        int rowCount = 0;
        ArrayDeque<Double> recent = new ArrayDeque<>();
        double recentSum = 0;
        End why = End.DONE;
        Workload.Validation lastVal;
        try (Interrupts ignored = Interrupts.onStopRequest(this::requestStop);
             Progress progress = Progress.start(terminal, progressMode,
                     new Progress.Plan(schedule.total(), Math.min(first, schedule.total()), work.unit(), schedule.lineEvery()))) {
            while (state.step() < end) {
                if (stopRequested.get()) {
                    why = End.INTERRUPTED;
                    break;
                }
                if (schedule.timeLimit() != null && terminal.clock().getAsLong() - clock0 >= schedule.timeLimit().toNanos()) {
                    why = End.TIME_LIMIT;
                    break;
                }
                long before = state.step();
                Workload.BatchResult batch;
                try {
                    batch = work.train();
                } catch (NonFiniteException e) {
                    throw new CliException("training diverged at step " + Format.grouped(before) + ": " + e.getMessage(),
                            "Lower --lr, or clip the gradients harder (--clip)", e);
                }
                long step = state.step();
                items += batch.items();
                rowItems += batch.items();
                rowSum += batch.loss();
                rowCount++;
                recent.addLast(batch.loss());
                recentSum += batch.loss();
                if (recent.size() > 20) {
                    recentSum -= recent.removeFirst();
                }
                progress.update(Math.min(step, schedule.total()), recentSum / recent.size(), items);
                long now = terminal.clock().getAsLong();
                if (crossed(before, step, schedule.logEvery()) || step >= end) {
                    double seconds = (now - rowClock) / 1e9;
                    log.add(new LossLog.Row(step, rowSum / rowCount, Double.NaN, learningRate(state),
                            seconds > 0 ? rowItems / seconds : Double.NaN, elapsedBefore + (now - clock0) / 1e9));
                    rowSum = 0;
                    rowCount = 0;
                    rowItems = 0;
                    rowClock = now;
                }
                if (work.validates() && crossed(before, step, schedule.evalEvery())) {
                    lastVal = work.validate(false);
                    log.validation(step, lastVal.loss(), lastVal.metric(), learningRate(state), elapsedBefore + (now - clock0) / 1e9);
                    progress.message(work.validationLine(step, lastVal));
                }
                if (crossed(before, step, schedule.sampleEvery()) && step < end) {
                    String sample = work.sample(step);
                    if (sample != null) {
                        progress.message(sampleBlock("sample at step " + step, sample));
                    }
                }
                if (crossed(before, step, schedule.checkpointEvery()) && step < end) {
                    save(state);
                }
            }
        }
        long step = state.step();
        if (why == End.DONE && step < schedule.total()) {
            why = End.STOPPED_AT;
        }
        double seconds = (terminal.clock().getAsLong() - clock0) / 1e9;
        if (rowCount > 0) {
            log.add(new LossLog.Row(step, rowSum / rowCount, Double.NaN, learningRate(state),
                    seconds > 0 ? rowItems / ((terminal.clock().getAsLong() - rowClock) / 1e9) : Double.NaN,
                    elapsedBefore + seconds));
        }
        double trainLoss = recent.isEmpty() ? Double.NaN : recentSum / recent.size();
        if (why == End.INTERRUPTED) {
            save(state);
            return new Result(why, step, items, seconds, trainLoss, Double.NaN, Double.NaN, null);
        }
        Workload.Validation validation = new Workload.Validation(Double.NaN, Double.NaN);
        if (work.validates()) {
            if (step > first && !(schedule.evalEvery() > 0 && step % schedule.evalEvery() == 0)) {
                Workload.Validation v = work.validate(false);
                log.validation(step, v.loss(), v.metric(), learningRate(state), elapsedBefore + seconds);
            }
            validation = work.validate(true);
        }
        String sample = work.sample(step);
        save(state);
        return new Result(why, step, items, seconds, trainLoss, validation.loss(), validation.metric(), sample);
    }

    /** The checkpoint, the CSV and the chart, each written atomically; then the output is kept. */
    private void save(TrainingState state) {
        Path file = outputs.checkpointFile();
        try {
            Checkpoint.save(file, state);
        } catch (IOException e) {
            throw new CliException("cannot write the checkpoint " + file + ": " + ErrorReport.reason(e),
                    "Choose another --checkpoint or --out", e);
        }
        outputs.out().writeString("loss.csv", log.csv());
        BufferedImage chart = log.chart(outputs.title(), work.lossLabel(), work.baseline(), work.baselineName());
        outputs.out().write("loss.png", o -> ImageIO.write(chart, "png", o));
        outputs.commit();
    }

    private static double learningRate(TrainingState state) {
        long s = state.step();
        return state.config().trainer().learningRate().at(Math.max(0, s - 1));
    }

    /** A title line and the text, each of its lines indented by two spaces. */
    static String sampleBlock(String title, String text) {
        StringBuilder sb = new StringBuilder(title).append(':');
        for (String line : text.split("\\R", -1)) {
            sb.append(System.lineSeparator()).append("  ").append(line);
        }
        return sb.toString();
    }

    /** Whether a multiple of {@code every} lies in (before, after]. */
    static boolean crossed(long before, long after, long every) {
        return every > 0 && after / every > before / every;
    }
}
