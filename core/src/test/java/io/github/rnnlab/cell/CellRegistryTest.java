package io.github.rnnlab.cell;

import io.github.rnnlab.numeric.F64Ops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellRegistryTest {
    @TempDir
    Path tmp;

    private Path pluginJar(String name, String pkg, String cls, String id, String ctor) {
        Path classes = PluginJars.build(tmp.resolve(name), Map.of(pkg + "." + cls, PluginJars.provider(pkg, cls, id, ctor)),
                List.of(pkg + "." + cls));
        Path folder = tmp.resolve(name + "-folder");
        try {
            Files.createDirectories(folder);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return PluginJars.jar(classes, folder.resolve(name + ".jar")).getParent();
    }

    @Test
    void aCellFromAJarInAPluginFolderIsUsable() throws Exception {
        Path folder = pluginJar("alpha", "org.example.alpha", "AlphaProvider", "alpha", "");
        try (CellRegistry r = CellRegistry.load(getClass().getClassLoader(), List.of(folder))) {
            assertEquals(List.of("alpha"), r.ids());
            CellRegistry.Entry e = r.find("alpha").orElseThrow();
            assertEquals(CellRegistry.Origin.PLUGIN_FOLDER, e.origin());
            assertEquals(folder.resolve("alpha.jar"), e.location());
            assertEquals("2.0.0", e.provider().version());
            // its class came from the plugin loader, not from the test class path
            assertNotSame(getClass().getClassLoader(), e.provider().getClass().getClassLoader());
            assertThrows(ClassNotFoundException.class, () -> Class.forName("org.example.alpha.AlphaProvider"));
            // and it runs: h = tanh(w_ih x + b_ih + w_hh h0 + b_hh) with in = 1, H = 1
            Cell cell = r.create("alpha", new CellConfig(1, 1));
            double[] out = new double[1], hn = new double[1];
            cell.forward(F64Ops.INSTANCE, new Chunk<>(1, 1, 1, Slice.of(new double[]{2}), null,
                    Slice.of(new double[]{0.5, -0.25, 0.1, 0.2}), Slice.of(new double[]{0.4}), Slice.of(out), Slice.of(hn),
                    null, Slice.of(new double[(int) cell.workspaceSize(1, 1)])));
            assertEquals(Math.tanh(1.2), out[0], 1e-15);
        }
    }

    @Test
    void classPathProvidersComeFromTheGivenLoader() throws Exception {
        Path dir = PluginJars.build(tmp.resolve("cp"), Map.of("org.example.cp.CpProvider",
                PluginJars.provider("org.example.cp", "CpProvider", "cp_cell", "")), List.of("org.example.cp.CpProvider"));
        try (URLClassLoader l = new URLClassLoader(new URL[]{dir.toUri().toURL()}, getClass().getClassLoader());
             CellRegistry r = CellRegistry.load(l)) {
            CellRegistry.Entry e = r.find("cp_cell").orElseThrow();
            assertEquals(CellRegistry.Origin.CLASS_PATH, e.origin());
            assertEquals(dir, e.location());
        }
    }

    @Test
    void duplicateIdsNameBothClassesAndWhereTheyCameFrom() {
        Path a = pluginJar("one", "org.example.one", "OneProvider", "twin", "");
        Path b = pluginJar("two", "org.example.two", "TwoProvider", "twin", "");
        var e = assertThrows(CellRegistry.DuplicateCellException.class,
                () -> CellRegistry.load(getClass().getClassLoader(), List.of(a, b)));
        assertTrue(e.getMessage().startsWith("cell id \"twin\" is provided twice: by org.example.one.OneProvider ("
                + a.resolve("one.jar") + ") and by org.example.two.TwoProvider (" + b.resolve("two.jar") + ")"), e.getMessage());
    }

    @Test
    void brokenProvidersAreReportedAndTheOthersStayUsable() throws Exception {
        String pkg = "org.example.mixed";
        Map<String, String> sources = Map.of(
                pkg + ".GoodProvider", PluginJars.provider(pkg, "GoodProvider", "good", ""),
                pkg + ".ThrowingProvider", PluginJars.provider(pkg, "ThrowingProvider", "throwing",
                        "if (true) throw new IllegalStateException(\"no licence\");"),
                pkg + ".BadIdProvider", PluginJars.provider(pkg, "BadIdProvider", "Bad-Id", ""),
                pkg + ".NotAProvider", "package " + pkg + "; public class NotAProvider {}");
        Path classes = PluginJars.build(tmp.resolve("mixed"), sources, List.of(pkg + ".ThrowingProvider",
                pkg + ".MissingProvider", pkg + ".NotAProvider", pkg + ".BadIdProvider", pkg + ".GoodProvider"));
        Path folder = Files.createDirectories(tmp.resolve("mixed-folder"));
        PluginJars.jar(classes, folder.resolve("mixed.jar"));
        try (CellRegistry r = CellRegistry.load(getClass().getClassLoader(), List.of(folder))) {
            assertEquals(List.of("good"), r.ids());
            List<String> problems = r.problems().stream().map(CellRegistry.LoadProblem::toString).toList();
            assertEquals(4, problems.size(), problems.toString());
            assertTrue(problems.get(0).startsWith(pkg + ".ThrowingProvider in " + folder + ": "), problems.get(0));
            assertTrue(problems.get(0).contains("no licence"), problems.get(0));
            assertTrue(problems.get(1).startsWith(pkg + ".MissingProvider"), problems.get(1));
            assertTrue(problems.get(2).startsWith(pkg + ".NotAProvider"), problems.get(2));
            assertEquals(pkg + ".BadIdProvider in " + folder + ": id must match [a-z][a-z0-9_]*, got \"Bad-Id\"", problems.get(3));
            var e = assertThrows(CellRegistry.UnknownCellException.class, () -> r.provider("throwing"));
            assertTrue(e.getMessage().startsWith("unknown cell \"throwing\"; available: good (4 provider(s) failed to load: "
                    + pkg + ".ThrowingProvider"), e.getMessage());
            assertEquals(List.of("good"), e.available());
        }
    }

    @Test
    void unknownIdListsWhatIsAvailable() {
        try (CellRegistry r = CellRegistry.load(getClass().getClassLoader())) {
            var e = assertThrows(CellRegistry.UnknownCellException.class, () -> r.provider("lstm"));
            assertEquals("unknown cell \"lstm\"; available: none", e.getMessage());
        }
    }

    @Test
    void aMissingFolderIsAnError() {
        Path nowhere = tmp.resolve("nowhere");
        var e = assertThrows(CellRegistry.PluginFolderException.class,
                () -> CellRegistry.load(getClass().getClassLoader(), List.of(nowhere)));
        assertEquals("plugin folder " + nowhere + ": expected a directory, got nothing (it does not exist)", e.getMessage());
    }

    @Test
    void anEmptyFolderAddsNothing() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "not a jar");
        try (CellRegistry r = CellRegistry.load(getClass().getClassLoader(), List.of(empty))) {
            assertEquals(List.of(), r.ids());
            assertEquals(List.of(), r.problems());
        }
    }

    @Test
    void foldersSplitsAPathList() {
        String sep = java.io.File.pathSeparator;
        assertEquals(List.of(Path.of("a"), Path.of("b/c")), CellRegistry.folders("a" + sep + sep + " b/c " + sep));
        assertEquals(List.of(), CellRegistry.folders(null));
        assertEquals(List.of(), CellRegistry.folders(""));
    }
}
