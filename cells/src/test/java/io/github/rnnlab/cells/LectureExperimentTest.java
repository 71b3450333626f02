package io.github.rnnlab.cells;

import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.diagnose.DiagnosticReport;
import io.github.rnnlab.diagnose.LectureExperiment;
import io.github.rnnlab.diagnose.TaskComparison;
import io.github.rnnlab.diagnose.Verdict;
import io.github.rnnlab.numeric.F32Ops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documented experiment end to end at its tiny size (T = 20, H = 8): every part runs and writes its files. */
class LectureExperimentTest {

    @Test
    void theTinyExperimentRunsEveryPartAndWritesItsFiles(@TempDir Path dir) throws IOException {
        LectureExperiment.Result r;
        try (CellRegistry cells = CellRegistry.load(getClass().getClassLoader())) {
            r = LectureExperiment.run(cells::provider, F32Ops.standard(), LectureExperiment.Config.tiny(), dir, LectureExperiment.Listener.NONE);
        }
        assertEquals(6, r.diagnoses().size());
        assertEquals(4, r.training().size());
        assertEquals(2, r.clipping().size());
        assertEquals(Verdict.VANISHING, r.diagnosis(LectureExperiment.DEFAULT_TANH).verdict());
        assertEquals(Verdict.EXPLODING, r.diagnosis(LectureExperiment.EXPLODING_RELU).verdict());
        assertTrue(r.diagnosis(LectureExperiment.ORTHOGONAL_TANH).flow().bottom().fit("h").rate()
                > r.diagnosis(LectureExperiment.DEFAULT_TANH).flow().bottom().fit("h").rate());
        assertTrue(r.run(LectureExperiment.UNCLIPPED).result().diverged());
        assertFalse(r.run(LectureExperiment.CLIPPED).result().diverged());
        for (String sub : new String[] {"diagnose", "trained"}) {
            for (String f : new String[] {DiagnosticReport.CURVES_CSV, DiagnosticReport.SUMMARY_CSV, DiagnosticReport.SPECTRA_CSV}) {
                assertTrue(Files.size(dir.resolve(sub).resolve(f)) > 100, sub + "/" + f);
            }
            for (String f : new String[] {DiagnosticReport.GRADIENT_PNG, DiagnosticReport.JACOBIAN_PNG}) {
                BufferedImage img = ImageIO.read(dir.resolve(sub).resolve(f).toFile());
                assertTrue(img.getWidth() >= 640 && img.getHeight() >= 400, sub + "/" + f);
            }
        }
        for (String sub : new String[] {"adding", "clipping"}) {
            assertTrue(Files.size(dir.resolve(sub).resolve(TaskComparison.LEADERBOARD_CSV)) > 100);
            assertTrue(Files.size(dir.resolve(sub).resolve(TaskComparison.CURVES_PNG)) > 5_000);
        }
        assertEquals(5 + 3 + 5 + 3, r.files().size(), r.files().toString());
        String summary = r.summary();
        for (String name : new String[] {LectureExperiment.DEFAULT_TANH, LectureExperiment.LSTM_CHRONO, LectureExperiment.CLIPPED,
                "diverged after", "(trained)"}) {
            assertTrue(summary.contains(name), "summary mentions " + name + ":\n" + summary);
        }
    }
}
