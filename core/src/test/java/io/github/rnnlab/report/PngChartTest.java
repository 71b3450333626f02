package io.github.rnnlab.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PngChartTest {

    static int count(BufferedImage img, int rgb, int x0, int x1) {
        int n = 0;
        for (int x = x0; x < x1; x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                if ((img.getRGB(x, y) & 0xffffff) == rgb) n++;
            }
        }
        return n;
    }

    @Test
    void barHeightsAreProportionalToValues() {
        BufferedImage img = PngChart.bars("t", "y", List.of("a", "b"),
                List.of(new PngChart.Bars("s0", new double[]{10, 20}), new PngChart.Bars("s1", new double[]{40, Double.NaN})));
        int blue = PngChart.PALETTE[0].getRGB() & 0xffffff, orange = PngChart.PALETTE[1].getRGB() & 0xffffff;
        int mid = PngChart.WIDTH / 2;
        // the legend's swatches sit in the left group's area: measure bars in each half, minus the swatch (12×12)
        int blueLeft = count(img, blue, 0, mid) - 144, blueRight = count(img, blue, mid, PngChart.WIDTH);
        int orangeLeft = count(img, orange, 0, mid) - 144, orangeRight = count(img, orange, mid, PngChart.WIDTH);
        assertEquals(2.0, blueRight / (double) blueLeft, 0.05, "bar of 20 vs bar of 10");
        assertEquals(4.0, orangeLeft / (double) blueLeft, 0.1, "bar of 40 vs bar of 10");
        assertEquals(0, orangeRight, "NaN draws no bar");
    }

    @Test
    void linesAreDrawnAndWrittenAsPng(@TempDir Path dir) throws IOException {
        double[] x = {0, 1, 2, 3, 4};
        double[] loss = {4, 2, 1, 0.5, 0.25};
        Path file = dir.resolve("sub/loss.png");
        PngChart.writeLines(file, "loss", "step", "loss", true,
                List.of(new PngChart.Line("train", x, loss), new PngChart.Line("bad", x, new double[]{0, -1, Double.NaN, 0, 0})));
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(PngChart.WIDTH, img.getWidth());
        assertEquals(PngChart.HEIGHT, img.getHeight());
        int blue = PngChart.PALETTE[0].getRGB() & 0xffffff;
        assertTrue(count(img, blue, 300, PngChart.WIDTH) > 100, "the train line crosses the plot");
        int orange = PngChart.PALETTE[1].getRGB() & 0xffffff;
        assertTrue(count(img, orange, 300, PngChart.WIDTH) == 0, "non-positive values on a log axis are not drawn");
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left beside the chart");
        }
    }

    @Test
    void aWideLogAxisHasAFewDecadeTicksAndANarrowOneHasOneTwoFive() {
        PngChart.Axis wide = PngChart.Axis.log(5.2e-22, 0.57);
        assertTrue(wide.ticks().length <= 13, "ticks: " + wide.ticks().length);
        assertTrue(wide.lo() <= 5.2e-22 && wide.hi() >= 0.57);
        assertEquals("1e-23", wide.tick(1e-23));
        assertEquals("0.1", wide.tick(0.1));
        PngChart.Axis narrow = PngChart.Axis.log(0.3, 0.9);
        assertEquals(List.of(0.1, 0.2, 0.5, 1.0), java.util.Arrays.stream(narrow.ticks()).boxed().toList());
        assertEquals(PngChart.Axis.log(1, 1e40).ticks().length, 11, "40 decades, every 4th");
    }

    @Test
    void theLegendSitsUnderThePlotAndALonePointShowsAsADot() {
        double[] x = {0, 1, 2, 3};
        BufferedImage img = PngChart.lines("t", "x", "y", false, List.of(
                new PngChart.Line("curve", x, new double[] {3, 2, 1, 0}),
                new PngChart.Line("nothing to draw", x, new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN}),
                new PngChart.Line("one point", x, new double[] {Double.NaN, 2.5, Double.NaN, Double.NaN})));
        int lowest = Integer.MAX_VALUE;
        int orange = PngChart.colour(1);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int px = 0; px < img.getWidth(); px++) {
                if ((img.getRGB(px, y) & 0xffffff) == orange) lowest = Math.min(lowest, y);
            }
        }
        assertTrue(lowest > PngChart.HEIGHT - 110, "the second entry's swatch is under the plot, at y " + lowest);
        int green = PngChart.colour(2);
        int swatch = 22 * 4;
        assertTrue(count(img, green, 0, PngChart.WIDTH) >= swatch + 12, "a dot (and the legend swatch) for the lone point: "
                + count(img, green, 0, PngChart.WIDTH));
    }

    @Test
    void mismatchedSeriesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PngChart.bars("t", "y", List.of("a", "b"),
                List.of(new PngChart.Bars("s", new double[]{1}))));
        assertTrue(e.getMessage().contains("expected 2 values"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PngChart.Line("l", new double[2], new double[3]));
        assertFalse(PngChart.Axis.label(2.5).isEmpty());
        assertEquals("0.25", PngChart.Axis.label(0.25));
    }
}
