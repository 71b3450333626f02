package io.github.rnnlab.diagnose;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Draws line charts to PNG files: the one drawing service the diagnostics and task comparisons need,
 * kept behind an interface so that the project's chart writer can replace {@link Java2dLineChart}
 * without touching the callers.
 */
@FunctionalInterface
public interface LineChart {

    /**
     * One line: the points (x[i], y[i]) in order; a NaN or infinite value (or, on a log axis, a value
     * ≤ 0) breaks the line.
     */
    record Series(String name, double[] x, double[] y) {
        public Series {
            Objects.requireNonNull(name, "name");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': expected as many y values as x values ("
                        + x.length + "), got " + y.length);
            }
            x = x.clone();
            y = y.clone();
        }

        @Override
        public double[] x() {
            return x.clone();
        }

        @Override
        public double[] y() {
            return y.clone();
        }
    }

    /**
     * Draws the series into a PNG at {@code file}, written atomically (a temporary file beside it, then
     * a rename), with a title, axis labels and a legend naming each series.
     *
     * @param logY whether the y axis is logarithmic (base 10)
     */
    void write(Path file, String title, String xLabel, String yLabel, boolean logY, List<Series> series) throws IOException;

    /** The built-in Java2D implementation. */
    static LineChart java2d() {
        return new Java2dLineChart();
    }
}
