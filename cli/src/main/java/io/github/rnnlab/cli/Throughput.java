package io.github.rnnlab.cli;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Rates over a sliding window of recent progress samples: steps per second for the ETA, items (characters,
 * sequences) per second for the throughput. A window rather than the whole run, so that the slow first steps
 * (JIT compilation) stop weighing on the estimate once they are a few seconds old.
 *
 * <p>The window keeps every sample younger than {@code windowNanos} plus the newest one older than that, so
 * its span covers at least the window once the run is that long.
 */
final class Throughput {
    private record Sample(long nanos, long step, long items) {
    }

    private final long windowNanos;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    /** @param windowNanos how far back the rates look, in nanoseconds (> 0) */
    Throughput(long windowNanos) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("expected a positive window, got " + windowNanos + " ns");
        }
        this.windowNanos = windowNanos;
    }

    /** Records that at time {@code nanos}, {@code step} steps and {@code items} items in total were done. */
    void add(long nanos, long step, long items) {
        samples.addLast(new Sample(nanos, step, items));
        while (samples.size() >= 3) {
            Iterator<Sample> it = samples.iterator();
            it.next();
            Sample second = it.next();
            if (nanos - second.nanos() >= windowNanos) {
                samples.removeFirst();
            } else {
                break;
            }
        }
    }

    /** Items per second over the window; NaN until two samples at different times exist. */
    double itemsPerSecond() {
        return rate(true);
    }

    /** Steps per second over the window; NaN until two samples at different times exist. */
    double stepsPerSecond() {
        return rate(false);
    }

    /** Seconds until {@code total} steps are done at the current step rate; NaN if unknown. */
    double secondsLeft(long total) {
        double rate = stepsPerSecond();
        if (samples.isEmpty() || !(rate > 0)) {
            return Double.NaN;
        }
        return Math.max(0, total - samples.getLast().step()) / rate;
    }

    private double rate(boolean items) {
        if (samples.size() < 2) {
            return Double.NaN;
        }
        Sample first = samples.getFirst();
        Sample last = samples.getLast();
        long dt = last.nanos() - first.nanos();
        if (dt <= 0) {
            return Double.NaN;
        }
        long done = items ? last.items() - first.items() : last.step() - first.step();
        return done * 1e9 / dt;
    }
}
