package io.github.rnnlab.diagnose;

import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.fixture.ElmanTestCell;
import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.report.PngChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiagnosticReportTest {
    static final int STEPS = 12;

    static Diagnosis diagnose(String name, CellProvider cell, int layers, long seed) {
        SequenceModel<double[]> m = SequenceModel.create(F64Ops.INSTANCE, cell, new SequenceModel.Config(new SequenceModel.Features(2),
                new RecurrentConfig(2, 4).withLayers(layers), 1, SequenceModel.Objective.MEAN_SQUARED_ERROR), new Rng(seed));
        double[] x = GradientFlowTest.random(STEPS * 3 * 2, new Rng(seed + 1));
        return Diagnosis.of(name, cell, m, Batch.ofFeatureValues(STEPS, 3, x, new double[STEPS * 3], null),
                GradientFlow.Config.defaults().withJacobians(1, 2));
    }

    static List<Diagnosis> runs() {
        return List.of(diagnose("elman", ElmanTestCell.PROVIDER, 1, 1), diagnose("leaky, 2 layers", LeakyTestCell.PROVIDER, 2, 2));
    }

    @Test
    void tableHasALinePerRunLayerAndStateWithTheVerdict() {
        List<Diagnosis> runs = runs();
        String table = DiagnosticReport.table(runs);
        String[] lines = table.split("\n");
        // header, rule, elman: h; leaky: 2 layers × (h, c, all)
        assertEquals(2 + 1 + 6, lines.length, table);
        assertTrue(lines[0].startsWith("run") && lines[0].contains("rate/step") && lines[0].contains("verdict"), lines[0]);
        assertTrue(lines[2].startsWith("elman") && lines[2].endsWith(runs.get(0).verdict().label()), lines[2]);
        assertTrue(lines[3].contains("leaky, 2 layers") && lines[3].contains(" h "), lines[3]);
        assertTrue(lines[5].contains(" all ") && lines[5].endsWith(runs.get(1).flow().bottom().verdict().label()), lines[5]);
        String rate = TextTable.num(runs.get(0).flow().bottom().fit("h").rate());
        assertTrue(lines[2].contains(rate), "the fitted rate " + rate + " appears: " + lines[2]);
        String spectra = DiagnosticReport.spectraTable(runs);
        assertEquals(2 + 1 + 2, spectra.split("\n").length, spectra);
    }

    @Test
    void csvFilesHoldEveryPoint() {
        List<Diagnosis> runs = runs();
        String[] curves = DiagnosticReport.curvesCsv(runs).split("\n");
        assertEquals("run,cell,layer,state,distance,grad_norm,step,jacobian_norm,jacobian_rms", curves[0]);
        // elman: (h, all) × T; leaky: 2 layers × (h, c, all) × T
        assertEquals(1 + 2 * STEPS + 6 * STEPS, curves.length);
        String[] first = curves[1].split(",", -1);
        assertEquals("elman", first[0]);
        assertEquals("1", first[4]);
        assertEquals(String.valueOf(STEPS), first[6]);   // distance 1 ↔ the last step's Jacobian
        assertEquals(runs.get(0).flow().bottom().gradientNorms("h")[0], Double.parseDouble(first[5]));
        assertEquals(runs.get(0).flow().bottom().jacobianNorms("h")[STEPS - 1], Double.parseDouble(first[7]));
        assertEquals(runs.get(0).flow().bottom().jacobianRms("h")[STEPS - 1], Double.parseDouble(first[8]));
        String[] second = curves[2].split(",", -1);
        assertEquals("", second[7], "the Jacobian of step T-1 was not sampled (stride 2)");
        assertEquals("", second[8]);
        String[] summary = DiagnosticReport.summaryCsv(runs).split("\n");
        assertEquals(1 + 2 + 6, summary.length);
        assertTrue(summary[0].startsWith("run,cell,layer,state,rate_per_step,"));
        assertEquals(runs.get(0).flow().bottom().fit("h").rate(), Double.parseDouble(summary[1].split(",")[4]));
        String[] spectra = DiagnosticReport.spectraCsv(runs).split("\n");
        assertEquals("run,cell,parameter,gate,rows,cols,spectral_radius,sigma_max,sigma_min", spectra[0]);
        assertEquals(1 + 1 + 2, spectra.length);
    }

    @Test
    void writesCsvAndPlotsThatShowTheLines(@TempDir Path dir) throws IOException {
        List<Path> files = DiagnosticReport.writeAll(dir.resolve("out"), runs());
        assertEquals(5, files.size());
        for (Path f : files) {
            assertTrue(Files.size(f) > 200, f + " has " + Files.size(f) + " bytes");
        }
        BufferedImage png = ImageIO.read(dir.resolve("out").resolve(DiagnosticReport.GRADIENT_PNG).toFile());
        assertEquals(PngChart.WIDTH, png.getWidth());
        assertEquals(PngChart.HEIGHT, png.getHeight());
        // the two runs' line colours are drawn inside the plot area
        assertTrue(pixelsNear(png, PngChart.colour(0)) > 100, "first series drawn");
        assertTrue(pixelsNear(png, PngChart.colour(1)) > 100, "second series drawn");
        assertTrue(colours(png) > 20, "anti-aliased lines, text and grid");
    }

    static int pixelsNear(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if (Math.abs(((p >> 16) & 255) - ((rgb >> 16) & 255)) < 8 && Math.abs(((p >> 8) & 255) - ((rgb >> 8) & 255)) < 8
                        && Math.abs((p & 255) - (rgb & 255)) < 8) {
                    n++;
                }
            }
        }
        return n;
    }

    static int colours(BufferedImage img) {
        Set<Integer> s = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                s.add(img.getRGB(x, y));
            }
        }
        return s.size();
    }
}
