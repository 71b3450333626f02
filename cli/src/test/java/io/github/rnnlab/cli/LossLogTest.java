package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossLogTest {
    @TempDir
    Path dir;

    private static LossLog sample() {
        LossLog log = new LossLog();
        log.add(new LossLog.Row(10, 3.5, Double.NaN, 0.006, 12345.4, 1.25));
        log.add(new LossLog.Row(20, 2.5, Double.NaN, 0.005, 23456, 2.5));
        log.validation(20, 2.75, 0.005, 2.5);
        log.add(new LossLog.Row(30, 2.0, Double.NaN, 0.004, Double.NaN, 3.75));
        log.validation(35, 2.25, 0.004, 4.0);
        return log;
    }

    @Test
    void writesOneRowPerStepWithEmptyCellsForWhatWasNotMeasured() {
        assertEquals(String.join("\n",
                LossLog.HEADER,
                "10,3.50000,,0.00600000,12345,1.3",
                "20,2.50000,2.75000,0.00500000,23456,2.5",
                "30,2.00000,,0.00400000,,3.8",
                "35,,2.25000,0.00400000,,4.0") + "\n", sample().csv());
        assertEquals(4.0, sample().lastElapsed());
    }

    @Test
    void aResumedRunReadsTheRowsUpToItsCheckpoint() throws IOException {
        Path csv = Files.writeString(dir.resolve("loss.csv"), sample().csv());
        List<LossLog.Row> rows = LossLog.readTextUpTo(csv, 20).rows();
        assertEquals(2, rows.size());
        assertEquals(2.75, rows.get(1).valLoss(), 1e-12);
        assertTrue(Double.isNaN(rows.get(0).valLoss()));
        assertEquals(4, LossLog.readTextUpTo(csv, 1000).rows().size());
        assertEquals(0, LossLog.readTextUpTo(dir.resolve("missing.csv"), 20).rows().size());
        Path other = Files.writeString(dir.resolve("other.csv"), "a,b\n1,2\n");
        assertEquals(0, LossLog.readTextUpTo(other, 20).rows().size(), "not a loss curve: ignored");
    }

    @Test
    void rowsNeverGoBack() {
        LossLog log = sample();
        assertThrows(IllegalArgumentException.class, () -> log.add(new LossLog.Row(5, 1, Double.NaN, 0, 0, 0)));
    }

    @Test
    void theChartHasTheTrainingValidationAndBaselineCurves() {
        var image = sample().chart("title", 3.3);
        assertEquals(1000, image.getWidth());
        assertEquals(600, image.getHeight());
    }
}
