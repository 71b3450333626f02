package io.github.rnnlab.ssm;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.cell.Chunk;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.init.ParameterInit;
import io.github.rnnlab.kernel.WorkerTeam;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.Pass;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.tck.CellChecks;
import io.github.rnnlab.tck.CheckResult;
import io.github.rnnlab.tck.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin as a user gets it: this module's built jar, copied into a folder and loaded through
 * {@link CellRegistry}'s plugin-folder path with a fresh class loader. Failsafe runs this test with
 * the module's own classes off the class path (see the pom), so the jar is the only way in.
 */
class SsmPluginFolderIT {
    @TempDir
    Path plugins;

    @Test
    void theBuiltJarWorksFromAPluginFolder() throws Exception {
        Path jar = Path.of(System.getProperty("ssm.jar"));
        assertTrue(Files.isRegularFile(jar), "the module's jar is built before the integration tests: " + jar);
        Path copy = Files.copy(jar, plugins.resolve(jar.getFileName()));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.github.rnnlab.ssm.SsmProvider"),
                "the plugin must not be on the test class path");

        try (CellRegistry registry = CellRegistry.load(getClass().getClassLoader(), List.of(plugins));
             WorkerTeam team = new WorkerTeam(2)) {
            assertEquals(List.of(), registry.problems());
            CellRegistry.Entry entry = registry.find("ssm").orElseThrow();
            assertEquals(CellRegistry.Origin.PLUGIN_FOLDER, entry.origin());
            assertEquals(copy, entry.location());
            assertNotSame(getClass().getClassLoader(), entry.provider().getClass().getClassLoader());
            CellProvider provider = entry.provider();
            assertTrue(provider.preview());

            // one sequence of 100 steps in float32: step by step on one thread, parallel scan on a team of 2
            int t = 100, n = 3, h = 4;
            Cell sequential = registry.create("ssm", new CellConfig(n, h, Map.of("state_size", "4", "scan", "sequential")));
            Cell parallel = registry.create("ssm", new CellConfig(n, h, Map.of("state_size", "4")));
            float[] params = new float[sequential.layout().parameterCount()];
            ParameterInit.defaults().fill(F32Ops.standard(), sequential, params, 0, new Rng(1));
            float[] x = new float[t * n];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.sin(i);
            }
            float[] outSeq = run(sequential, F32Ops.standard(), t, x, params);
            float[] outPar = run(parallel, F32Ops.with(team), t, x, params);
            for (int i = 0; i < outSeq.length; i++) {
                assertEquals(outSeq[i], outPar[i], 1e-5f * (1 + Math.abs(outSeq[i])), "output " + i);
                assertTrue(Float.isFinite(outSeq[i]));
            }

            // a bidirectional stack of the plugin's cell in the engine
            SequenceModel<float[]> m = SequenceModel.create(F32Ops.with(team), provider, new SequenceModel.Config(
                    new SequenceModel.Features(n), new RecurrentConfig(n, h, 2, Directions.BIDIRECTIONAL_CONCAT, 0,
                    Map.of("state_size", "2")), 2, SequenceModel.Objective.MEAN_SQUARED_ERROR), new Rng(2));
            m.forward(Batch.ofFeatureValues(t, 1, x, new float[t * 2], null), null, Pass.inference());
            assertTrue(Float.isFinite(m.predictions()[t * 2 - 1]));

            // and the whole contract holds through the plugin class loader (what `rnnlab check` runs)
            for (Scenario.Padding p : Scenario.Padding.values()) {
                for (CheckResult r : CellChecks.all(provider, new Scenario(
                        new CellConfig(3, 5, Map.of("state_size", "2", "scan", "parallel")), 2, 4, p, 11))) {
                    assertTrue(r.passed(), r.toString());
                }
            }
            assertArrayEquals(outSeq, run(sequential, F32Ops.standard(), t, x, params), "deterministic");
        }
    }

    private static float[] run(Cell cell, F32Ops ops, int t, float[] x, float[] params) {
        int h = cell.outputSize(), s = cell.layout().stateSize(), n = cell.config().inputSize();
        float[] out = new float[t * h];
        cell.forward(ops, new Chunk<>(t, 1, n, Slice.of(x), null, Slice.of(params), Slice.of(new float[s]),
                Slice.of(out), Slice.of(new float[s]), null, Slice.of(new float[(int) cell.workspaceSize(t, 1)])));
        return out;
    }
}
