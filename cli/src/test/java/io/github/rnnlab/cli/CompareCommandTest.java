package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.task.TaskKind;
import io.github.rnnlab.train.TaskTraining;
import io.github.rnnlab.train.optim.LearningRate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnnlab compare} in-process at tiny sizes: the leaderboard, its files, the same budget for every cell, plugins. */
class CompareCommandTest {
    @TempDir
    Path dir;

    @Test
    void ranksTheCellsAndWritesTheLeaderboardAndTheCurves() throws IOException {
        Path out = dir.resolve("parity");
        CliRun r = CliRun.run("compare", "--task", "parity", "--cells", "rnn_tanh,gru", "--steps", "20", "--seq-len", "6",
                "--hidden", "8", "--lr", "0.01", "--threads", "1", "--out", out.toString(), "--progress", "none");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("rnnlab compare: 2 cells on the parity task, T = 6, batch 32; baseline accuracy 0.5000"), r.out());
        // weight_ih 8x1, weight_hh 8x8, two biases of 8; the head 2x8 and 2
        assertTrue(r.out().contains("[1/2] rnn_tanh: 106 parameters"), r.out());
        assertTrue(r.out().contains("[2/2] gru: "), r.out());
        assertTrue(r.out().contains("  step 2: evaluation loss "), "an evaluation every tenth of the steps: " + r.out());

        List<String> lines = r.out().lines().toList();
        int head = lines.indexOf(lines.stream().filter(l -> l.startsWith("rank  cell")).findFirst().orElseThrow());
        assertTrue(lines.get(head).contains("final loss  accuracy  vs baseline"), lines.get(head));
        String first = lines.get(head + 2), second = lines.get(head + 3);
        assertTrue(first.trim().startsWith("1  "), first);
        assertTrue(second.trim().startsWith("2  "), second);

        // compare.csv: the same ranking, the final metrics of TaskTraining runs with the same settings
        List<String> csv = Files.readAllLines(out.resolve("compare.csv"), StandardCharsets.UTF_8);
        assertEquals(3, csv.size());
        assertTrue(csv.get(0).startsWith("rank,run,parameters,final_loss,final_metric,metric,baseline_metric,gap_closed,solved,"), csv.get(0));
        String[] top = csv.get(1).split(",", -1);
        assertTrue(first.contains(top[1]), first + " vs " + csv.get(1));
        TaskTraining.Config config = new TaskTraining.Config(TaskTraining.Model.of(8), TaskTraining.OptimizerKind.ADAM,
                new LearningRate.Constant(0.01), 1.0, 20, 2, TaskTrain.DEFAULT_EVAL_BATCHES, 1, TaskTraining.Config.SOLVED_GAP);
        try (CellRegistry registry = CellRegistry.load(getClass().getClassLoader())) {
            for (String row : csv.subList(1, 3)) {
                String[] f = row.split(",", -1);
                TaskTraining.Result direct = TaskTraining.run(F32Ops.standard(), TaskKind.PARITY.create(6, 32), registry.provider(f[1]),
                        config, TaskTraining.Listener.NONE);
                assertEquals(direct.finalMetric(), Double.parseDouble(f[4]), f[1]);
                assertEquals(direct.parameters(), Integer.parseInt(f[2]), f[1]);
                assertEquals("20", f[9]);
                assertEquals("finished", f[13]);
            }
        }
        List<String> curves = Files.readAllLines(out.resolve("curves.csv"), StandardCharsets.UTF_8);
        assertEquals(1 + 2 * 11, curves.size(), "steps 0, 2, ..., 20 of each cell");
        assertEquals(1000, ImageIO.read(out.resolve("curves.png").toFile()).getWidth());
        assertTrue(r.out().contains("wrote " + Cells.shown(out.resolve("compare.csv"))), r.out());
    }

    /**
     * The smallest budget the option takes (a zero one is a usage error, see {@link BadInputTest}) on a fake clock that
     * moves a second at every reading: the first check after the first update finds the second used up, so each cell
     * stops after exactly one update, whatever the machine's speed.
     */
    @Test
    void aTimeBudgetStopsEachCellEarlyAndSaysSo() throws IOException {
        Path out = dir.resolve("timed");
        long[] now = {0};
        CliRun r = CliRun.runWithClock(() -> now[0] += 1_000_000_000L, "compare", "--task", "adding", "--cells", "lstm,rnn_relu",
                "--steps", "100000", "--seq-len", "5", "--hidden", "4", "--time-per-cell", "1s", "--threads", "1",
                "--out", out.toString(), "--progress", "none");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("100,000 updates or 1.0s of adam"), r.out());
        List<String> csv = Files.readAllLines(out.resolve("compare.csv"), StandardCharsets.UTF_8);
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.split(",", -1);
            assertEquals("1", f[9], row);
            assertEquals("stopped after 1 of 100000 updates", f[13], row);
            assertTrue(Double.isFinite(Double.parseDouble(f[4])), "evaluated where it stopped: " + row);
        }
        assertTrue(r.out().contains("1 (stopped)"), r.out());
    }

    @Test
    void aPluginCellTakesPartLikeABuiltIn() throws IOException {
        Path plugins = Fixtures.ssmPluginFolder(dir.resolve("plugins"));
        Path out = dir.resolve("ssm");
        CliRun r = CliRun.run("compare", "--task", "adding", "--cells", "lstm,ssm", "--plugins", plugins.toString(), "--steps", "6",
                "--seq-len", "8", "--hidden", "4", "--threads", "1", "--out", out.toString(), "--progress", "none");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("[2/2] ssm: "), r.out());
        assertTrue(Files.readString(out.resolve("compare.csv")).contains(",ssm,"), Files.readString(out.resolve("compare.csv")));
    }
}
