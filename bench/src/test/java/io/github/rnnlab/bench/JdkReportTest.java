package io.github.rnnlab.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JdkReportTest {

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(JdkReportTest.class.getResource("/jmh/" + name).toURI());
    }

    @Test
    void reportsScoresGflopsAndRelativeSpeed(@TempDir Path out) throws Exception {
        List<JdkReport.Run> runs = JdkReport.runs(List.of("17=" + fixture("jdk17.json"), "25=" + fixture("jdk25.json")));
        assertEquals(3, runs.get(0).results().size());
        assertEquals("", runs.get(0).species());
        assertTrue(runs.get(1).species().contains("S_512_BIT"));

        JdkReport.write(out, runs);
        String md = Files.readString(out.resolve("report.md"));
        // 2·512³ / 1600 µs = 167.77 GFLOP/s on 17; 209.72 on 25; 25 is 1600/1280 = 1.25× as fast
        assertTrue(md.contains("| GemmBench.gemm impl=simd shape=512x512x512 threads=1 trans=NN | 1600.0 ± 20.50 us/op | 167.8 | 1280.0 ± 10.00 us/op | 209.7 | 1.25× |"), md);
        // time per op: twice the time is half the speed; NaN error is left out
        assertTrue(md.contains("| TeamBench.forkJoin threads=2 | 900.0 ns/op |  | 1800.0 ± 50.00 ns/op |  | 0.50× |"), md);
        // a benchmark missing on one JDK
        assertTrue(md.contains("| OnlyHere.thing | 10.00 ± 1.00 ops/s |  | — |  | — |"), md);
        assertTrue(md.contains("`java=25+36 simd=on species=Species[float, 16, S_512_BIT] lanes=16`"), md);

        BufferedImage png = ImageIO.read(out.resolve("report.png").toFile());
        assertNotNull(png);
        assertEquals(io.github.rnnlab.report.PngChart.WIDTH, png.getWidth());
    }

    @Test
    void percentileOfSampleTimeResultsReplacesTheMean(@TempDir Path out) throws Exception {
        List<JdkReport.Run> runs = JdkReport.runs(List.of("a=" + fixture("sample.json"), "b=" + fixture("jdk17.json")), "50.0");
        assertEquals(1600.0, runs.get(0).results().get(0).score());
        assertTrue(Double.isNaN(runs.get(0).results().get(0).error()));
        assertEquals(1600.0, runs.get(1).results().get(0).score(), "no percentiles: the mean stays");
        JdkReport.write(out, runs, "50.0");
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("50.0th percentile"), md);
        // 2·512³ / 1600 µs
        assertTrue(md.contains("| GemmBench.gemm shape=512x512x512 | 1600.0 us/op | 167.8 |"), md);
        assertEquals(2000.0, JdkReport.read(fixture("sample.json")).get(0).score(), "without a percentile: the mean");
    }

    @Test
    void throughputIsHigherIsBetter() {
        JdkReport.Result a = new JdkReport.Result("x", 10, 0, "ops/s", Map.of());
        JdkReport.Result b = new JdkReport.Result("x", 30, 0, "ops/s", Map.of());
        assertEquals(3.0, JdkReport.speed(a, b), 1e-12);
        assertTrue(Double.isNaN(JdkReport.speed(a, new JdkReport.Result("x", 1, 0, "us/op", Map.of()))));
    }

    @Test
    void jsonReaderHandlesEscapesAndReportsErrors() {
        Object v = Json.parse("{\"a\": [1, -2.5e3, true, null, \"t\\u00e9\\\"x\"], \"b\": {}}");
        Map<?, ?> m = (Map<?, ?>) v;
        List<?> a = (List<?>) m.get("a");
        assertEquals(List.of(1.0, -2500.0, true), a.subList(0, 3));
        assertNull(a.get(3));
        assertEquals(Map.of(), m.get("b"));
        assertEquals("té\"x", ((List<?>) m.get("a")).get(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\" 1}"));
        assertTrue(e.getMessage().contains("offset 5") && e.getMessage().contains("expected ':'"), e.getMessage());
    }

    @Test
    void chartLabelsDropWordsEveryRowShares() {
        assertEquals(List.of("shape=1 threads=1", "shape=2 threads=2"),
                JdkReport.shortLabels(List.of("G.gemm impl=simd shape=1 threads=1", "G.gemm impl=simd shape=2 threads=2")));
        assertEquals(List.of("only one"), JdkReport.shortLabels(List.of("only one")));
    }

    @Test
    void rejectsASpecWithoutLabel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JdkReport.runs(List.of("results.json")));
        assertTrue(e.getMessage().contains("expected LABEL=results.json"), e.getMessage());
    }

    @Test
    void missingFileIsAnIOException() {
        assertThrows(IOException.class, () -> JdkReport.read(Path.of("does-not-exist.json")));
    }
}
