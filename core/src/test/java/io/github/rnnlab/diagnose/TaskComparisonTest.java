package io.github.rnnlab.diagnose;

import io.github.rnnlab.fixture.ElmanTestCell;
import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.task.AddingTask;
import io.github.rnnlab.task.SequenceTask;
import io.github.rnnlab.train.TaskTraining;
import io.github.rnnlab.train.optim.LearningRate;
import io.github.rnnlab.report.PngChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskComparisonTest {

    /** Three runs on a short adding problem: one learns, one barely trains, one diverges. */
    static List<TaskComparison.Entry> runs() {
        SequenceTask task = new AddingTask(new AddingTask.Config(4, 16));
        TaskTraining.Config base = TaskTraining.Config.of(TaskTraining.Model.of(12), 0.01, 120, 3).withEvaluation(40, 2).withClipNorm(1);
        F32Ops ops = F32Ops.standard();
        TaskTraining.Result learned = TaskTraining.run(ops, task, ElmanTestCell.PROVIDER, base, TaskTraining.Listener.NONE);
        TaskTraining.Result slow = TaskTraining.run(ops, task, LeakyTestCell.PROVIDER, base.withSteps(3).withEvaluation(1, 2),
                TaskTraining.Listener.NONE);
        TaskTraining.Result diverged = TaskTraining.run(ops, task, ElmanTestCell.PROVIDER,
                base.withOptimizer(TaskTraining.OptimizerKind.SGD, new LearningRate.Constant(1e30)).withClipNorm(0), TaskTraining.Listener.NONE);
        return List.of(new TaskComparison.Entry("diverging", diverged), new TaskComparison.Entry("three steps", slow),
                new TaskComparison.Entry("learned", learned));
    }

    @Test
    void leaderboardRanksByTheFinalMetricAndPutsDivergedRunsLast() {
        List<TaskComparison.Entry> runs = runs();
        List<TaskComparison.Entry> ranked = TaskComparison.ranked(runs);
        assertEquals(List.of("learned", "three steps", "diverging"), ranked.stream().map(TaskComparison.Entry::name).toList());
        assertTrue(ranked.get(0).result().finalMetric() < ranked.get(1).result().finalMetric());
        String[] lines = TaskComparison.table(runs).split("\n");
        assertEquals(2 + 3, lines.length);
        assertTrue(lines[0].startsWith("rank  run") && lines[0].contains("seq/s") && lines[0].endsWith("status"), lines[0]);
        assertTrue(lines[2].trim().startsWith("1  learned") && lines[2].endsWith("finished"), lines[2]);
        TaskTraining.Result d = runs.get(0).result();
        assertTrue(lines[4].endsWith("diverged after " + TaskComparison.updates(d.stepsTaken())), lines[4]);
        String[] csv = TaskComparison.leaderboardCsv(runs).split("\n");
        assertEquals("rank,run,parameters,final_loss,final_metric,metric,baseline_metric,gap_closed,solved,steps,train_seconds,"
                + "sequences_per_second,time_steps_per_second,status", csv[0]);
        String[] first = csv[1].split(",");
        assertEquals("learned", first[1]);
        assertEquals(runs.get(2).result().finalMetric(), Double.parseDouble(first[4]));
        assertEquals(String.valueOf(runs.get(2).result().parameters()), first[2]);
        assertEquals("", csv[3].split(",", -1)[4], "a diverged run has no final metric");
        String[] curves = TaskComparison.curvesCsv(runs).split("\n");
        int points = runs.stream().mapToInt(e -> e.result().curve().size()).sum();
        assertEquals(1 + points, curves.length);
        assertEquals("run,cell,step,train_loss,eval_loss,eval_metric,grad_norm,elapsed_seconds", curves[0]);
    }

    @Test
    void writesTheLeaderboardCurvesAndAPlotWithABaseline(@TempDir Path dir) throws IOException {
        List<TaskComparison.Entry> runs = runs();
        List<PngChart.Line> series = TaskComparison.curveSeries(runs);
        assertEquals(4, series.size());
        assertTrue(series.get(0).name().startsWith("diverging (diverged after"));
        assertEquals(1.0 / 6, series.get(3).y()[0], 1e-15);
        List<Path> files = TaskComparison.writeAll(dir, runs);
        assertEquals(3, files.size());
        BufferedImage png = ImageIO.read(dir.resolve(TaskComparison.CURVES_PNG).toFile());
        assertEquals(PngChart.WIDTH, png.getWidth());
        assertTrue(DiagnosticReportTest.pixelsNear(png, PngChart.colour(2)) > 100, "the third series (learned) is drawn");
        assertTrue(Files.readString(dir.resolve(TaskComparison.LEADERBOARD_CSV)).contains("learned"));
    }
}
