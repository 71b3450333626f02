package io.github.rnnlab.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import io.github.rnnlab.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Small PNG charts drawn with Java2D into an off-screen image (no display needed): grouped bar
 * charts (benchmark comparisons) and line charts (loss curves, learning curves, gradient norms
 * against the distance from T; optionally with a logarithmic y axis). The project's one chart writer:
 * the training loss curve, the task comparisons and the gradient diagnostics all draw here. Charts are
 * written atomically ({@link AtomicFiles}: temporary file, fsync, rename).
 *
 * <p>Line charts: a NaN or infinite value (on a log axis also a value ≤ 0) breaks a line; a series
 * with a single drawable point shows as a dot. A log axis spanning up to two decades is ticked at 1,
 * 2 and 5 of each decade, a wider one at most about twelve decades apart ({@code 1e-20}). The legend
 * sits under the plot, entries side by side and wrapped, so it never hides a line.
 *
 * <pre>{@code
 * PngChart.writeBars(Path.of("speed.png"), "GEMM speed", "GFLOP/s", List.of("n=256", "n=512"),
 *         List.of(new PngChart.Bars("JDK 17", new double[]{150, 160}),
 *                 new PngChart.Bars("JDK 25", new double[]{165, 172})));
 * PngChart.writeLines(Path.of("loss.png"), "training loss", "step", "loss", true,
 *         List.of(new PngChart.Line("train", steps, losses)));
 * }</pre>
 */
public final class PngChart {
    private PngChart() {
    }

    /** One series of a bar chart: a value per category (NaN: no bar). */
    public record Bars(String name, double[] values) {
        public Bars {
            Objects.requireNonNull(name, "name");
            values = values.clone();
        }
    }

    /** One series of a line chart: points (x[i], y[i]) in order; NaN values break the line. */
    public record Line(String name, double[] x, double[] y) {
        public Line {
            Objects.requireNonNull(name, "name");
            if (x.length != y.length) {
                throw new IllegalArgumentException("line '" + name + "': expected as many y values as x values ("
                        + x.length + "), got " + y.length);
            }
            x = x.clone();
            y = y.clone();
        }
    }

    /** Width and height in pixels of every chart. */
    public static final int WIDTH = 1000, HEIGHT = 600;

    /** The colours of the series, in order (then repeated). */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    private static final int LEFT = 80, RIGHT = 20, TOP = 50, LEGEND_ROW = 18;

    /** Draws and writes a grouped bar chart; see {@link #bars}. */
    public static void writeBars(Path file, String title, String yLabel, List<String> categories, List<Bars> series)
            throws IOException {
        write(bars(title, yLabel, categories, series), file);
    }

    /** Draws and writes a line chart; see {@link #lines}. */
    public static void writeLines(Path file, String title, String xLabel, String yLabel, boolean logY, List<Line> series)
            throws IOException {
        write(lines(title, xLabel, yLabel, logY, series), file);
    }

    /**
     * A grouped bar chart: one group per category, one bar per series, y from 0.
     *
     * @throws IllegalArgumentException if a series has not one value per category
     */
    public static BufferedImage bars(String title, String yLabel, List<String> categories, List<Bars> series) {
        for (Bars s : series) {
            if (s.values().length != categories.size()) {
                throw new IllegalArgumentException("bars '" + s.name() + "': expected " + categories.size()
                        + " values (one per category), got " + s.values().length);
            }
        }
        double max = 0;
        for (Bars s : series) {
            for (double v : s.values()) {
                if (Double.isFinite(v)) max = Math.max(max, v);
            }
        }
        Axis y = Axis.linear(0, max > 0 ? max : 1);
        // labels wider than their group (about 7 px a character at 12 pt) are drawn slanted
        int longest = categories.stream().mapToInt(String::length).max().orElse(0);
        boolean rotate = longest * 7 > (WIDTH - LEFT - RIGHT) / Math.max(1, categories.size()) - 8;
        int bottom = rotate ? 40 + (int) (Math.min(longest, 40) * 7 * 0.71) : 70;
        Canvas c = new Canvas(title);
        int plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - bottom;
        c.yAxis(y, yLabel, plotH);
        int groups = Math.max(1, categories.size());
        double groupW = plotW / (double) groups;
        double barW = groupW * 0.8 / Math.max(1, series.size());
        for (int g = 0; g < categories.size(); g++) {
            double x0 = LEFT + g * groupW + groupW * 0.1;
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).values()[g];
                if (!Double.isFinite(v)) continue;
                int top = c.yPixel(y, v, plotH);
                c.g.setColor(PALETTE[s % PALETTE.length]);
                c.g.fillRect((int) Math.round(x0 + s * barW), top, Math.max(1, (int) Math.round(barW) - 1), TOP + plotH - top);
            }
            c.categoryLabel(categories.get(g), LEFT + (g + 0.5) * groupW, TOP + plotH, rotate);
        }
        c.frame(plotW, plotH);
        c.legend(series.stream().map(Bars::name).toList());
        return c.done();
    }

    /**
     * A line chart over the data's x range; with {@code logY}, y is drawn on a log₁₀ scale (values ≤ 0
     * are skipped). The legend goes under the plot (see the class comment).
     */
    public static BufferedImage lines(String title, String xLabel, String yLabel, boolean logY, List<Line> series) {
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (Line l : series) {
            for (int i = 0; i < l.x().length; i++) {
                double x = l.x()[i], v = l.y()[i];
                if (!drawable(x, v, logY)) continue;
                xMin = Math.min(xMin, x);
                xMax = Math.max(xMax, x);
                yMin = Math.min(yMin, v);
                yMax = Math.max(yMax, v);
            }
        }
        if (xMin > xMax) { // no drawable point
            xMin = 0;
            xMax = 1;
            yMin = logY ? 1 : 0;
            yMax = logY ? 10 : 1;
        }
        Axis x = Axis.linear(xMin, xMax);
        Axis y = logY ? Axis.log(yMin, yMax) : Axis.linear(Math.min(0, yMin), yMax);
        if (!logY && yMin > 0 && yMin > 0.5 * yMax) y = Axis.linear(yMin, yMax); // zoom on a narrow band
        Canvas c = new Canvas(title);
        List<String> names = series.stream().map(Line::name).toList();
        List<int[]> legend = c.legendBelow(names); // {x offset, row} of each entry
        int rows = legend.isEmpty() ? 0 : legend.get(legend.size() - 1)[1] + 1;
        int bottom = 70 + rows * LEGEND_ROW;
        int plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - bottom;
        c.yAxis(y, yLabel, plotH);
        c.xAxis(x, xLabel, plotW, plotH);
        c.g.setClip(LEFT, TOP, plotW + 1, plotH + 1);
        c.g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int s = 0; s < series.size(); s++) {
            Line l = series.get(s);
            c.g.setColor(PALETTE[s % PALETTE.length]);
            Path2D.Double path = new Path2D.Double();
            boolean pen = false;
            int drawn = 0;
            double lastX = 0, lastY = 0;
            for (int i = 0; i < l.x().length; i++) {
                double xv = l.x()[i], yv = l.y()[i];
                if (!drawable(xv, yv, logY)) {
                    pen = false;
                    continue;
                }
                double px = LEFT + x.fraction(xv) * plotW, py = TOP + plotH - y.fraction(yv) * plotH;
                if (pen) path.lineTo(px, py);
                else path.moveTo(px, py);
                pen = true;
                drawn++;
                lastX = px;
                lastY = py;
            }
            c.g.draw(path);
            if (drawn == 1) { // a lone point would not show as a line
                c.g.fill(new java.awt.geom.Ellipse2D.Double(lastX - 3, lastY - 3, 6, 6));
            }
        }
        c.g.setClip(null);
        c.g.setStroke(new BasicStroke(1f));
        c.frame(plotW, plotH);
        c.drawLegendBelow(names, legend, TOP + plotH + 52);
        return c.done();
    }

    /** The colour of series {@code index} (0-based) in both kinds of chart, as 0xRRGGBB. */
    public static int colour(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)].getRGB() & 0xffffff;
    }

    private static boolean drawable(double x, double y, boolean logY) {
        return Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0);
    }

    /**
     * Writes {@code image} as PNG to {@code file} atomically ({@link AtomicFiles#write}: a temporary file
     * beside it, fsync, rename), creating the missing parent folders.
     */
    public static void write(BufferedImage image, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer in this JDK");
            }
        });
    }

    /** A value axis: linear or log₁₀, with tick values. */
    record Axis(double lo, double hi, boolean log, double[] ticks) {
        static Axis linear(double lo, double hi) {
            if (hi <= lo) hi = lo + 1;
            double step = niceStep((hi - lo) / 5);
            double start = Math.floor(lo / step) * step, end = Math.ceil(hi / step) * step;
            int n = (int) Math.round((end - start) / step) + 1;
            double[] t = new double[n];
            for (int i = 0; i < n; i++) t[i] = start + i * step;
            return new Axis(start, end, false, t);
        }

        /**
         * A log₁₀ axis from the decade below {@code lo} to the decade above {@code hi}: ticks at 1, 2 and 5
         * of every decade when it spans at most two, else at whole decades, every k-th one so that there are
         * at most about twelve.
         */
        static Axis log(double lo, double hi) {
            double a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
            if (b <= a) b = a + 1;
            int decades = (int) (b - a);
            if (decades <= 2) {
                List<Double> t = new ArrayList<>();
                for (int d = (int) a; d <= (int) b; d++) {
                    for (double m : new double[] {1, 2, 5}) {
                        double v = m * Math.pow(10, d);
                        if (v <= Math.pow(10, b) * (1 + 1e-12)) t.add(v);
                    }
                }
                return new Axis(Math.pow(10, a), Math.pow(10, b), true, t.stream().mapToDouble(Double::doubleValue).toArray());
            }
            int every = Math.max(1, (int) Math.ceil(decades / 12.0));
            int n = (decades + every - 1) / every + 1;
            double[] t = new double[n];
            for (int i = 0; i < n; i++) t[i] = Math.pow(10, a + (double) i * every);
            return new Axis(t[0], t[n - 1], true, t);
        }

        double fraction(double v) {
            return log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
        }

        static double niceStep(double raw) {
            double p = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / p;
            return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
        }

        /** The label of tick {@code v}: plain numbers, and {@code 1e-20} or {@code 2e7} far from 1 on a log axis. */
        String tick(double v) {
            if (log) {
                long e = Math.round(Math.floor(Math.log10(v) + 1e-9));
                if (e < -3 || e > 5) {
                    long m = Math.round(v / Math.pow(10, e));
                    return (m == 1 ? "1" : Long.toString(m)) + "e" + e;
                }
            }
            return label(v);
        }

        static String label(double v) {
            if (Math.abs(v) < 1e-12) return "0";
            if (v == Math.rint(v) && Math.abs(v) < 1e7) return Long.toString((long) v);
            String s = String.format(Locale.ROOT, "%.3g", v);
            return s.contains("e") ? s : s.replaceAll("\\.?0+$", "");
        }
    }

    /** The image being drawn, with the plot area's margins. */
    private static final class Canvas {
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();

        Canvas(String title) {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, (WIDTH - fm.stringWidth(title)) / 2, 30);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        }

        int yPixel(Axis y, double v, int plotH) {
            return (int) Math.round(TOP + plotH - y.fraction(v) * plotH);
        }

        void yAxis(Axis y, String label, int plotH) {
            FontMetrics fm = g.getFontMetrics();
            for (double t : y.ticks()) {
                int py = yPixel(y, t, plotH);
                g.setColor(new Color(0xe6e6e6));
                g.drawLine(LEFT, py, WIDTH - RIGHT, py);
                g.setColor(Color.BLACK);
                String s = y.tick(t);
                g.drawString(s, LEFT - 6 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
            }
            AffineTransform old = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(label, -(TOP + plotH / 2 + fm.stringWidth(label) / 2), 18);
            g.setTransform(old);
        }

        void xAxis(Axis x, String label, int plotW, int plotH) {
            FontMetrics fm = g.getFontMetrics();
            for (double t : x.ticks()) {
                int px = (int) Math.round(LEFT + x.fraction(t) * plotW);
                g.setColor(new Color(0xe6e6e6));
                g.drawLine(px, TOP, px, TOP + plotH);
                g.setColor(Color.BLACK);
                String s = x.tick(t);
                g.drawString(s, px - fm.stringWidth(s) / 2, TOP + plotH + 16);
            }
            g.drawString(label, LEFT + plotW / 2 - fm.stringWidth(label) / 2, TOP + plotH + 40);
        }

        void categoryLabel(String text, double centre, int baseline, boolean rotate) {
            g.setColor(Color.BLACK);
            FontMetrics fm = g.getFontMetrics();
            if (!rotate) {
                g.drawString(text, (int) (centre - fm.stringWidth(text) / 2.0), baseline + 16);
                return;
            }
            String s = text.length() > 40 ? text.substring(0, 39) + "…" : text;
            while (s.length() > 4 && fm.stringWidth(s) * 0.71 > centre - 4) { // stay inside the image
                s = s.substring(0, s.length() - 2) + "…";
            }
            AffineTransform old = g.getTransform();
            g.translate(centre + 4, baseline + 8);
            g.rotate(-Math.PI / 4);
            g.drawString(s, -fm.stringWidth(s), 0);
            g.setTransform(old);
        }

        void frame(int plotW, int plotH) {
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, plotW, plotH);
        }

        void legend(List<String> names) {
            FontMetrics fm = g.getFontMetrics();
            int x = LEFT + 10, y = TOP + 8;
            for (int i = 0; i < names.size(); i++) {
                g.setColor(PALETTE[i % PALETTE.length]);
                g.fillRect(x, y + i * 18, 12, 12);
                g.setColor(Color.BLACK);
                g.drawString(names.get(i), x + 18, y + i * 18 + fm.getAscent() - 1);
            }
        }

        /**
         * Lays out a legend under the plot: entries (swatch and name) side by side, wrapped at the image's
         * width; each entry's {x offset from LEFT, row}.
         */
        List<int[]> legendBelow(List<String> names) {
            FontMetrics fm = g.getFontMetrics();
            List<int[]> at = new ArrayList<>();
            int x = 0, row = 0, room = WIDTH - LEFT - RIGHT;
            for (String name : names) {
                int w = 28 + fm.stringWidth(name) + 24;
                if (x > 0 && x + w - 24 > room) {
                    x = 0;
                    row++;
                }
                at.add(new int[] {x, row});
                x += w;
            }
            return at;
        }

        void drawLegendBelow(List<String> names, List<int[]> at, int top) {
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < names.size(); i++) {
                int x = LEFT + at.get(i)[0], y = top + at.get(i)[1] * LEGEND_ROW;
                g.setColor(PALETTE[i % PALETTE.length]);
                g.fillRect(x, y + 4, 22, 4);
                g.setColor(Color.BLACK);
                g.drawString(names.get(i), x + 28, y + fm.getAscent() - 1);
            }
        }

        BufferedImage done() {
            g.dispose();
            return image;
        }
    }
}
