package io.github.rnnlab.cell;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds cell plugins for the registry's tests the way a third party would: sources compiled
 * against rnnlab-core with the JDK's compiler, a services file, and (optionally) a jar. The classes
 * are never on the test class path, so only a plugin class loader can load them.
 */
final class PluginJars {
    private PluginJars() {
    }

    /** Compiles {@code sources} (class name → source) into {@code dir} and writes the services file listing {@code services}. */
    static Path build(Path dir, Map<String, String> sources, List<String> services) {
        try {
            Path src = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-src"));
            List<String> files = new ArrayList<>();
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
                files.add(f.toString());
            }
            Files.createDirectories(dir);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            List<String> args = new ArrayList<>(List.of("-d", dir.toString(), "-cp", coreClasses().toString(),
                    "--release", "17", "-proc:none"));
            args.addAll(files);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = javac.run(null, null, err, args.toArray(String[]::new));
            if (rc != 0) {
                throw new IllegalStateException("test plugin does not compile:\n" + err.toString(StandardCharsets.UTF_8));
            }
            Path listing = dir.resolve("META-INF/services/io.github.rnnlab.cell.CellProvider");
            Files.createDirectories(listing.getParent());
            Files.writeString(listing, String.join("\n", services) + "\n");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Packs the tree {@code dir} into {@code jar}. */
    static Path jar(Path dir, Path jar) {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(dir.relativize(p).toString().replace('\\', '/')));
                j.write(Files.readAllBytes(p));
                j.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path coreClasses() {
        try {
            return Path.of(CellProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The source of a provider of a two-gate cell with {@code id}, in {@code pkg.className}. */
    static String provider(String pkg, String className, String id, String constructorBody) {
        return """
                package %1$s;

                import io.github.rnnlab.cell.*;
                import io.github.rnnlab.numeric.Ops;
                import java.util.List;

                public class %2$s implements CellProvider {
                    public %2$s() { %4$s }
                    public String id() { return "%3$s"; }
                    public String version() { return "2.0.0"; }
                    public String description() { return "plugin cell %3$s"; }
                    public int gateCount() { return 1; }
                    public List<ParameterSpec> parameters() { return GatedCell.standardParameters(1); }
                    public List<StateSpec> states() { return List.of(new StateSpec("h", Dim.HIDDEN)); }
                    public Cell create(CellConfig config) { return new Tanh(this, config); }

                    static final class Tanh extends GatedCell {
                        Tanh(CellProvider p, CellConfig c) { super(p, c, Projections.SUMMED); }
                        protected int rowTapeSize() { return 0; }
                        protected <A> void forwardRow(Ops<A> ops, A xp, int xpOff, A hp, int hpOff, A state,
                                                      int prevOff, int nextOff, A tape, int tapeOff) {
                            ops.tanh(hidden, xp, xpOff, state, nextOff);
                        }
                        protected <A> void backwardRow(Ops<A> ops, A state, int prevOff, int nextOff, A tape, int tapeOff,
                                                       A dNext, int dNextOff, A dxp, int dxpOff, A dhp, int dhpOff,
                                                       A dPrev, int dPrevOff) {
                            ops.tanhBackward(hidden, state, nextOff, dNext, dNextOff, dxp, dxpOff);
                            ops.fill(hidden, 0.0, dPrev, dPrevOff);
                        }
                    }
                }
                """.formatted(pkg, className, id, constructorBody);
    }
}
