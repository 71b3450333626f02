package io.github.rnnlab.diagnose;

import io.github.rnnlab.io.AtomicFiles;

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
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A minimal {@link LineChart} drawn with Java2D into an off-screen image (no display needed): white
 * background, grid, labelled axes (linear or log₁₀ y), one coloured line per series, and a legend in
 * the corner of the plot that hides the fewest points. {@value #WIDTH}×{@value #HEIGHT} pixels.
 */
public final class Java2dLineChart implements LineChart {
    /** Image size in pixels. */
    public static final int WIDTH = 960, HEIGHT = 600;
    private static final int LEFT = 90, RIGHT = 30, TOP = 50, BOTTOM = 70;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};

    @Override
    public void write(Path file, String title, String xLabel, String yLabel, boolean logY, List<Series> series) throws IOException {
        BufferedImage image = draw(title, xLabel, yLabel, logY, series);
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("this JDK has no PNG writer");
            }
        });
    }

    /** The chart as an image. */
    public static BufferedImage draw(String title, String xLabel, String yLabel, boolean logY, List<Series> series) {
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            double[] x = s.x(), y = s.y();
            for (int i = 0; i < x.length; i++) {
                if (drawable(x[i], y[i], logY)) {
                    xMin = Math.min(xMin, x[i]);
                    xMax = Math.max(xMax, x[i]);
                    yMin = Math.min(yMin, y[i]);
                    yMax = Math.max(yMax, y[i]);
                }
            }
        }
        if (xMin > xMax) { // nothing to draw
            xMin = 0;
            xMax = 1;
            yMin = logY ? 1 : 0;
            yMax = logY ? 10 : 1;
        }
        Axis xa = Axis.linear(xMin, xMax);
        Axis ya = logY ? Axis.log(yMin, yMax) : Axis.linear(Math.min(0, yMin), yMax);
        if (!logY && yMin > 0 && yMin > 0.5 * yMax) {
            ya = Axis.linear(yMin, yMax);
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            int pw = WIDTH - LEFT - RIGHT, ph = HEIGHT - TOP - BOTTOM;
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
            g.setColor(Color.BLACK);
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, (WIDTH - fm.stringWidth(title)) / 2, 30);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            fm = g.getFontMetrics();
            for (double t : ya.ticks()) { // horizontal grid and y labels
                int py = (int) Math.round(TOP + ph - ya.fraction(t) * ph);
                g.setColor(new Color(0xe4e4e4));
                g.drawLine(LEFT, py, LEFT + pw, py);
                g.setColor(Color.BLACK);
                String s = Axis.label(t, logY);
                g.drawString(s, LEFT - 8 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
            }
            for (double t : xa.ticks()) { // vertical grid and x labels
                int px = (int) Math.round(LEFT + xa.fraction(t) * pw);
                g.setColor(new Color(0xe4e4e4));
                g.drawLine(px, TOP, px, TOP + ph);
                g.setColor(Color.BLACK);
                String s = Axis.label(t, false);
                g.drawString(s, px - fm.stringWidth(s) / 2, TOP + ph + 18);
            }
            g.drawString(xLabel, LEFT + pw / 2 - fm.stringWidth(xLabel) / 2, TOP + ph + 45);
            AffineTransform old = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, -(TOP + ph / 2 + fm.stringWidth(yLabel) / 2), 22);
            g.setTransform(old);
            g.setClip(LEFT, TOP, pw + 1, ph + 1);
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            for (int k = 0; k < series.size(); k++) {
                Series s = series.get(k);
                double[] x = s.x(), y = s.y();
                g.setColor(PALETTE[k % PALETTE.length]);
                Path2D.Double path = new Path2D.Double();
                boolean pen = false;
                int drawn = 0;
                for (int i = 0; i < x.length; i++) {
                    if (!drawable(x[i], y[i], logY)) {
                        pen = false;
                        continue;
                    }
                    double px = LEFT + xa.fraction(x[i]) * pw, py = TOP + ph - ya.fraction(y[i]) * ph;
                    if (pen) {
                        path.lineTo(px, py);
                    } else {
                        path.moveTo(px, py);
                    }
                    pen = true;
                    drawn++;
                }
                g.draw(path);
                if (drawn == 1) { // a lone point would not show as a line
                    for (int i = 0; i < x.length; i++) {
                        if (drawable(x[i], y[i], logY)) {
                            g.fillOval((int) (LEFT + xa.fraction(x[i]) * pw) - 3, (int) (TOP + ph - ya.fraction(y[i]) * ph) - 3, 6, 6);
                        }
                    }
                }
            }
            g.setClip(null);
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, pw, ph);
            int widest = 0;
            for (Series s : series) {
                widest = Math.max(widest, fm.stringWidth(s.name()));
            }
            int lw = widest + 40, lh = series.size() * 18 + 6;
            int[][] corners = {{LEFT + pw - lw - 4, TOP + 6}, {LEFT + 10, TOP + 6}, {LEFT + pw - lw - 4, TOP + ph - lh - 4},
                    {LEFT + 10, TOP + ph - lh - 4}};
            int lx = corners[0][0] + 6, ly = corners[0][1] + 4;
            long fewest = Long.MAX_VALUE;
            for (int[] c : corners) {
                long covered = 0;
                for (Series s : series) {
                    double[] x = s.x(), y = s.y();
                    for (int i = 0; i < x.length; i++) {
                        if (drawable(x[i], y[i], logY)) {
                            double px = LEFT + xa.fraction(x[i]) * pw, py = TOP + ph - ya.fraction(y[i]) * ph;
                            if (px >= c[0] && px <= c[0] + lw && py >= c[1] && py <= c[1] + lh) {
                                covered++;
                            }
                        }
                    }
                }
                if (covered < fewest) {
                    fewest = covered;
                    lx = c[0] + 6;
                    ly = c[1] + 4;
                }
            }
            if (!series.isEmpty()) {
                g.setColor(new Color(255, 255, 255, 220));
                g.fillRect(lx - 6, ly - 4, widest + 40, series.size() * 18 + 6);
                g.setColor(Color.GRAY);
                g.drawRect(lx - 6, ly - 4, widest + 40, series.size() * 18 + 6);
            }
            for (int k = 0; k < series.size(); k++) {
                g.setColor(PALETTE[k % PALETTE.length]);
                g.fillRect(lx, ly + k * 18 + 3, 22, 4);
                g.setColor(Color.BLACK);
                g.drawString(series.get(k).name(), lx + 28, ly + k * 18 + fm.getAscent() - 2);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static boolean drawable(double x, double y, boolean logY) {
        return Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0);
    }

    /** An axis range with its tick values. */
    record Axis(double lo, double hi, boolean log, double[] ticks) {
        static Axis linear(double lo, double hi) {
            if (!(hi > lo)) {
                hi = lo + (lo == 0 ? 1 : Math.abs(lo));
            }
            double step = nice((hi - lo) / 6);
            double start = Math.floor(lo / step) * step, end = Math.ceil(hi / step) * step;
            int n = (int) Math.round((end - start) / step) + 1;
            double[] t = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = start + i * step;
            }
            return new Axis(start, end, false, t);
        }

        static Axis log(double lo, double hi) {
            double a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
            if (b <= a) {
                b = a + 1;
            }
            int decades = (int) (b - a);
            if (decades <= 2) { // a narrow range: 1, 2 and 5 in every decade
                java.util.List<Double> t = new java.util.ArrayList<>();
                for (int d = (int) a; d <= (int) b; d++) {
                    for (double m : new double[] {1, 2, 5}) {
                        double v = m * Math.pow(10, d);
                        if (v <= Math.pow(10, b) * (1 + 1e-12)) {
                            t.add(v);
                        }
                    }
                }
                return new Axis(Math.pow(10, a), Math.pow(10, b), true, t.stream().mapToDouble(Double::doubleValue).toArray());
            }
            int every = Math.max(1, (int) Math.ceil(decades / 12.0));
            int n = (decades + every - 1) / every + 1;
            double[] t = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = Math.pow(10, a + i * every);
            }
            return new Axis(t[0], t[n - 1], true, t);
        }

        double fraction(double v) {
            return log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
        }

        static double nice(double raw) {
            double p = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / p;
            return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
        }

        static String label(double v, boolean log) {
            if (log) {
                long e = Math.round(Math.floor(Math.log10(v) + 1e-9));
                double m = v / Math.pow(10, e);
                if (Math.abs(m - 1) < 1e-9) {
                    return e >= -2 && e <= 3 ? label(v, false) : "1e" + e;
                }
                return e >= -2 && e <= 3 ? label(v, false) : Math.round(m) + "e" + e;
            }
            if (Math.abs(v) < 1e-12) {
                return "0";
            }
            if (v == Math.rint(v) && Math.abs(v) < 1e7) {
                return Long.toString((long) v);
            }
            String s = String.format(Locale.ROOT, "%.3g", v);
            return s.contains("e") ? s : s.replaceAll("\\.?0+$", "");
        }
    }
}
