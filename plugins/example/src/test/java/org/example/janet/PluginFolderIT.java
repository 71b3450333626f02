package org.example.janet;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.cell.Chunk;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.init.ParameterInit;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin as a user gets it: this module's built jar, copied into a folder and loaded through
 * {@link CellRegistry}'s plugin-folder path with a fresh class loader. Failsafe runs this test with
 * the module's own classes off the class path (see the pom), so the jar is the only way in.
 */
class PluginFolderIT {
    @TempDir
    Path plugins;

    @Test
    void theBuiltJarWorksFromAPluginFolder() throws Exception {
        Path jar = Path.of(System.getProperty("example.jar"));
        assertTrue(Files.isRegularFile(jar), "the module's jar is built before the integration tests: " + jar);
        Path copy = Files.copy(jar, plugins.resolve(jar.getFileName()));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.example.janet.JanetProvider"),
                "the plugin must not be on the test class path");

        try (CellRegistry registry = CellRegistry.load(getClass().getClassLoader(), List.of(plugins))) {
            assertEquals(List.of(), registry.problems());
            CellRegistry.Entry entry = registry.find("janet").orElseThrow();
            assertEquals(CellRegistry.Origin.PLUGIN_FOLDER, entry.origin());
            assertEquals(copy, entry.location());
            assertNotSame(getClass().getClassLoader(), entry.provider().getClass().getClassLoader());

            // a forward pass in float32: 5 steps, batch 2, input 3, hidden 4
            Cell cell = registry.create("janet", new CellConfig(3, 4));
            int t = 5, b = 2, n = 3, h = 4;
            float[] params = new float[cell.layout().parameterCount()];
            ParameterInit.defaults().fill(F32Ops.standard(), cell, params, 0, new Rng(1));
            float[] x = new float[t * b * n];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.sin(i);
            }
            float[] out = new float[t * b * h], hn = new float[b * h];
            cell.forward(F32Ops.standard(), new Chunk<>(t, b, n, Slice.of(x), null, Slice.of(params),
                    Slice.of(new float[b * h]), Slice.of(out), Slice.of(hn), null,
                    Slice.of(new float[(int) cell.workspaceSize(t, b)])));
            for (int i = 0; i < b * h; i++) {
                assertEquals(out[(t - 1) * b * h + i], hn[i], "the final state is the last output");
                assertTrue(Float.isFinite(hn[i]));
            }
            assertNotEquals(0f, hn[0]);

            // and the whole contract holds through the plugin class loader (what `rnnlab check` runs)
            for (CheckResult r : CellChecks.all(entry.provider(),
                    new Scenario(new CellConfig(3, 5), 2, 4, Scenario.Padding.RANDOM, 11))) {
                assertTrue(r.passed(), r.toString());
            }
        }
    }
}
