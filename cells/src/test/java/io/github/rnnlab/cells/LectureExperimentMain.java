package io.github.rnnlab.cells;

import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.diagnose.LectureExperiment;
import io.github.rnnlab.kernel.WorkerTeam;
import io.github.rnnlab.numeric.F32Ops;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Runs {@link LectureExperiment} from the command line until the CLI wraps it (see the README,
 * "Vanishing and exploding gradients, measured"):
 * <pre>
 * mvn -q -B -pl core,cells -am test-compile
 * java --add-modules jdk.incubator.vector \
 *      -cp core/target/classes:cells/target/classes:cells/target/test-classes \
 *      io.github.rnnlab.cells.LectureExperimentMain OUT_DIR [--tiny] [--threads N] [--hidden H] [--train-steps N]
 * </pre>
 * Progress goes to standard error, the summary to standard output; the CSV and PNG files to OUT_DIR.
 */
public final class LectureExperimentMain {
    private LectureExperimentMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LectureExperimentMain OUT_DIR [--tiny] [--threads N] [--hidden H] [--train-steps N]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        LectureExperiment.Config config = LectureExperiment.Config.standard();
        int threads = 1;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--tiny" -> config = LectureExperiment.Config.tiny();
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--hidden" -> config = config.withHidden(Integer.parseInt(args[++i]));
                case "--train-steps" -> config = config.withTrainSteps(Integer.parseInt(args[++i]));
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        PrintStream err = System.err;
        long start = System.nanoTime();
        try (CellRegistry cells = CellRegistry.load(LectureExperimentMain.class.getClassLoader());
             WorkerTeam team = new WorkerTeam(threads)) {
            F32Ops ops = threads > 1 ? F32Ops.with(team) : F32Ops.standard();
            LectureExperiment.Result r = LectureExperiment.run(cells::provider, ops, config, out, (part, p) -> {
                double t = (System.nanoTime() - start) / 1e9;
                if (p == null) {
                    err.printf(Locale.ROOT, "[%6.1fs] diagnosed %s%n", t, part);
                } else {
                    err.printf(Locale.ROOT, "[%6.1fs] %-22s step %5d  train %.4g  eval %.4g  |g| %.3g%n", t, part, p.step(),
                            p.trainLoss(), p.evalLoss(), p.gradientNorm());
                }
            });
            System.out.print(r.summary());
            System.out.printf(Locale.ROOT, "%nfiles (%d) under %s; %.0f s in all, %d thread(s)%n", r.files().size(), out,
                    (System.nanoTime() - start) / 1e9, threads);
        }
    }
}
