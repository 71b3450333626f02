package io.github.rnnlab.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Shows how far a long-running command is: step of total, loss, throughput and ETA, either as a bar redrawn
 * in place (interactive terminal) or as one plain line every {@link Plan#lineEvery()} steps (pipes, files,
 * CI logs), or not at all.
 *
 * <pre>{@code
 * try (Progress progress = Progress.start(terminal, mode, new Progress.Plan(steps, 0, "chars", 100))) {
 *     for (long step = 1; step <= steps; step++) {
 *         double loss = trainOneBatch();
 *         progress.update(step, runningLoss, charsSoFar);
 *         if (step % 500 == 0) {
 *             progress.message("sample: " + sample);   // printed above the bar, the bar redrawn below
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Bar (redrawn at most every {@value #REDRAW_MILLIS} ms, never wider than the terminal less one column):
 * <pre>
 * [=========>            ] 1200/5000  loss 1.873  12.3k chars/s  ETA 2m05s
 * </pre>
 * Lines:
 * <pre>
 * step 1200/5000  loss 1.873  12.3k chars/s  elapsed 1m02s  ETA 2m05s
 * </pre>
 * Rates and the ETA are measured over the last {@value #WINDOW_SECONDS} seconds ({@link Throughput}). Not
 * thread-safe: one training loop drives it.
 */
public abstract class Progress implements AutoCloseable {
    /** Minimum time between two redraws of the bar. */
    public static final long REDRAW_MILLIS = 100;
    /** How far back throughput and ETA look. */
    public static final long WINDOW_SECONDS = 10;

    /**
     * What is being counted.
     *
     * @param total     the number of steps of the whole run (> 0)
     * @param start     the step the run starts after (0, or the step of a resumed checkpoint)
     * @param unit      what the items are, plural, for the throughput ("chars" shows as "chars/s")
     * @param lineEvery in {@link ProgressMode#LINES} mode, print a line every this many steps (> 0); the last
     *                  step always prints
     */
    public record Plan(long total, long start, String unit, long lineEvery) {
        public Plan {
            Objects.requireNonNull(unit, "unit");
            if (total <= 0) {
                throw new IllegalArgumentException("expected a positive number of steps, got " + total);
            }
            if (start < 0 || start > total) {
                throw new IllegalArgumentException("expected a start step in [0, " + total + "], got " + start);
            }
            if (lineEvery <= 0) {
                throw new IllegalArgumentException("expected a positive line period, got " + lineEvery);
            }
        }
    }

    protected final Terminal terminal;
    protected final PrintWriter out;
    protected final Plan plan;
    private final Throughput throughput = new Throughput(TimeUnit.SECONDS.toNanos(WINDOW_SECONDS));
    private final long startNanos;
    private final int stepWidth;
    private long step;
    private double loss = Double.NaN;
    private boolean finished;

    protected Progress(Terminal terminal, Plan plan) {
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.out = terminal.out();
        this.plan = Objects.requireNonNull(plan, "plan");
        this.startNanos = terminal.clock().getAsLong();
        this.stepWidth = Long.toString(plan.total()).length();
        this.step = plan.start();
        throughput.add(startNanos, plan.start(), 0);
    }

    /**
     * Progress for {@code plan} in {@code mode} ({@link ProgressMode#AUTO} picks by
     * {@link Terminal#interactive()}).
     */
    public static Progress start(Terminal terminal, ProgressMode mode, Plan plan) {
        return switch (mode.resolve(terminal)) {
            case BAR -> new Bar(terminal, plan);
            case LINES -> new Lines(terminal, plan);
            case NONE -> new Silent(terminal, plan);
            case AUTO -> throw new AssertionError("resolve() never returns AUTO");
        };
    }

    /**
     * Reports that {@code step} steps are done.
     *
     * @param step  steps done so far, in ({@code plan.start()}, {@code plan.total()}]; not decreasing
     * @param loss  the loss to show (the caller chooses: batch loss, running mean); NaN shows as "nan"
     * @param items items processed since this progress started (characters, sequences), for the throughput
     * @throws IllegalArgumentException if {@code step} goes backwards or past the total
     */
    public final void update(long step, double loss, long items) {
        if (step < this.step || step > plan.total()) {
            throw new IllegalArgumentException("expected a step in [" + this.step + ", " + plan.total() + "], got " + step);
        }
        long now = terminal.clock().getAsLong();
        this.step = step;
        this.loss = loss;
        throughput.add(now, step, items);
        shown(now);
    }

    /** Prints one line (a sample, an evaluation) so that the progress display is not garbled by it. */
    public abstract void message(String line);

    /** Shows the final state (if not shown yet) and ends the display; idempotent. */
    public final void finish() {
        if (!finished) {
            finished = true;
            finished(terminal.clock().getAsLong());
            out.flush();
        }
    }

    /** Same as {@link #finish()}. */
    @Override
    public final void close() {
        finish();
    }

    /** Called after every update with the current time. */
    protected abstract void shown(long nanos);

    /** Called once by {@link #finish()}. */
    protected abstract void finished(long nanos);

    protected final long step() {
        return step;
    }

    /** {@code "1200/5000"}, the step padded to the width of the total. */
    protected final String counter() {
        return String.format(Locale.ROOT, "%" + stepWidth + "d/%d", step, plan.total());
    }

    /** {@code "loss 1.873  12.3k chars/s"}. */
    protected final String figures() {
        double rate = throughput.itemsPerSecond();
        return "loss " + Format.loss(loss) + "  " + (Double.isNaN(rate) ? "--" : Format.compact(rate)) + " "
                + plan.unit() + "/s";
    }

    /** {@code "ETA 2m05s"}; {@code "ETA --"} while unknown. */
    protected final String eta() {
        return "ETA " + Format.duration(throughput.secondsLeft(plan.total()));
    }

    /** {@code "elapsed 1m02s"}. */
    protected final String elapsed(long nanos) {
        return "elapsed " + Format.duration((nanos - startNanos) / 1e9);
    }

    /** One plain line every {@code lineEvery} steps and at the last step. */
    static final class Lines extends Progress {
        private long lastPrinted;

        Lines(Terminal terminal, Plan plan) {
            super(terminal, plan);
            lastPrinted = plan.start();
        }

        @Override
        public void message(String line) {
            out.println(line);
            out.flush();
        }

        @Override
        protected void shown(long nanos) {
            long s = step();
            if (s != lastPrinted && (s % plan.lineEvery() == 0 || s == plan.total())) {
                print(nanos);
            }
        }

        @Override
        protected void finished(long nanos) {
            if (step() != lastPrinted) {
                print(nanos);
            }
        }

        private void print(long nanos) {
            lastPrinted = step();
            out.println("step " + counter() + "  " + figures() + "  " + elapsed(nanos) + "  " + eta());
            out.flush();
        }
    }

    /** A bar redrawn in place with a carriage return. */
    static final class Bar extends Progress {
        private static final int MIN_BAR = 10;
        private static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(REDRAW_MILLIS);
        private long lastDraw;
        private boolean drawn;
        private int drawnLength;

        Bar(Terminal terminal, Plan plan) {
            super(terminal, plan);
        }

        @Override
        public void message(String line) {
            clear();
            out.println(line);
            if (drawn) {
                draw();
            }
            out.flush();
        }

        @Override
        protected void shown(long nanos) {
            if (!drawn || nanos - lastDraw >= REDRAW_NANOS || step() == plan.total()) {
                lastDraw = nanos;
                draw();
                out.flush();
            }
        }

        @Override
        protected void finished(long nanos) {
            draw();
            out.println();
            drawn = false;
            drawnLength = 0;
        }

        /** The bar line for the current state, at most {@code columns - 1} characters. */
        String render() {
            int max = terminal.columns() - 1; // writing the last column makes some terminals wrap
            String right = " " + counter() + "  " + figures() + "  " + eta();
            int barWidth = max - right.length() - 2;
            if (barWidth < MIN_BAR) {
                String line = right.substring(1);
                return line.length() <= max ? line : line.substring(0, max);
            }
            double fraction = (double) step() / plan.total();
            int full = (int) Math.floor(fraction * barWidth);
            StringBuilder bar = new StringBuilder(max).append('[');
            bar.append("=".repeat(full));
            if (full < barWidth) {
                bar.append('>').append(" ".repeat(barWidth - full - 1));
            }
            return bar.append(']').append(right).toString();
        }

        private void draw() {
            String line = render();
            out.print('\r');
            out.print(line);
            if (drawnLength > line.length()) {
                out.print(" ".repeat(drawnLength - line.length()));
            }
            drawnLength = line.length();
            drawn = true;
        }

        private void clear() {
            if (drawnLength > 0) {
                out.print('\r');
                out.print(" ".repeat(drawnLength));
                out.print('\r');
                drawnLength = 0;
            }
        }
    }

    /** No progress; messages still print. */
    static final class Silent extends Progress {
        Silent(Terminal terminal, Plan plan) {
            super(terminal, plan);
        }

        @Override
        public void message(String line) {
            out.println(line);
            out.flush();
        }

        @Override
        protected void shown(long nanos) {
        }

        @Override
        protected void finished(long nanos) {
        }
    }
}
