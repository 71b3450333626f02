package io.github.rnnlab.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Files the command-line tests run on: small texts, and plugin jars compiled from source as a user would build one. */
final class Fixtures {
    private Fixtures() {
    }

    /** A text with plenty of structure (a few sentences repeated with variations), about {@code chars} long. */
    static String text(int chars) {
        String[] lines = {
            "the cat sat on the mat.\n",
            "the dog sat on the log.\n",
            "a cat and a dog sat on a mat and a log.\n",
            "the mat was red; the log was brown.\n",
        };
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < chars; i++) {
            sb.append(lines[(i * 7 + i / 3) % lines.length]);
        }
        return sb.substring(0, chars);
    }

    /** Writes {@link #text} to {@code file}. */
    static Path textFile(Path file, int chars) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text(chars), StandardCharsets.UTF_8);
        return file;
    }

    /** The example plugin's jar (JANET), which the build resolves from the reactor; see the cli pom. */
    static Path exampleJar() {
        String path = System.getProperty("example.jar");
        if (path == null || path.isBlank()) {
            throw new IllegalStateException("system property example.jar is not set (see cli/pom.xml)");
        }
        Path jar = Path.of(path);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("example.jar " + jar + " is not a file; build with -am so plugins/example is packaged");
        }
        return jar;
    }

    /** A fresh plugin folder holding a copy of the SSM preview plugin's jar (property ssm.jar, see the cli pom). */
    static Path ssmPluginFolder(Path dir) throws IOException {
        String path = System.getProperty("ssm.jar");
        if (path == null || path.isBlank() || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("system property ssm.jar (" + path + ") is not the SSM plugin's jar; see cli/pom.xml");
        }
        Files.createDirectories(dir);
        Files.copy(Path.of(path), dir.resolve("rnnlab-ssm.jar"));
        return dir;
    }

    /** A fresh plugin folder holding a copy of the example plugin's jar. */
    static Path examplePluginFolder(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.copy(exampleJar(), dir.resolve("rnnlab-example-cell.jar"));
        return dir;
    }

    /**
     * A plugin folder with one jar holding the cell {@code broken}: an Elman tanh cell (PyTorch layout) whose
     * backward pass hands back only half of the gradient through the recurrent projection, so every gradient
     * that flows back through time is wrong, while its forward pass is right.
     */
    static Path brokenPluginFolder(Path dir) throws IOException {
        String provider = """
                package org.example.broken;

                import io.github.rnnlab.cell.Cell;
                import io.github.rnnlab.cell.CellConfig;
                import io.github.rnnlab.cell.CellProvider;
                import io.github.rnnlab.cell.Dim;
                import io.github.rnnlab.cell.GatedCell;
                import io.github.rnnlab.cell.ParameterSpec;
                import io.github.rnnlab.cell.StateSpec;
                import io.github.rnnlab.numeric.Ops;
                import java.util.List;

                public final class BrokenProvider implements CellProvider {
                    public String id() { return "broken"; }
                    public String version() { return "0.0.1"; }
                    public String description() { return "Elman tanh cell with a halved recurrent gradient (a test fixture)"; }
                    public int gateCount() { return 1; }
                    public boolean preview() { return true; }
                    public List<ParameterSpec> parameters() { return GatedCell.standardParameters(1); }
                    public List<StateSpec> states() { return List.of(new StateSpec("h", Dim.HIDDEN)); }
                    public Cell create(CellConfig config) { return new BrokenCell(this, config); }

                    static final class BrokenCell extends GatedCell {
                        BrokenCell(CellProvider p, CellConfig c) { super(p, c, Projections.SEPARATE); }
                        @Override protected int rowTapeSize() { return 0; }
                        @Override protected <A> void forwardRow(Ops<A> ops, A xp, int xpOff, A hp, int hpOff,
                                A state, int prevOff, int nextOff, A tape, int tapeOff) {
                            ops.add(hidden, xp, xpOff, hp, hpOff, xp, xpOff);
                            ops.tanh(hidden, xp, xpOff, state, nextOff);
                        }
                        @Override protected <A> void backwardRow(Ops<A> ops, A state, int prevOff, int nextOff, A tape,
                                int tapeOff, A dNext, int dNextOff, A dxp, int dxpOff, A dhp, int dhpOff, A dPrev, int dPrevOff) {
                            ops.tanhBackward(hidden, state, nextOff, dNext, dNextOff, dxp, dxpOff);
                            ops.copy(hidden, dxp, dxpOff, dhp, dhpOff);
                            ops.scale(hidden, 0.5, dhp, dhpOff); // the bug: half of dL/d(W_hh h + b_hh)
                            ops.fill(hidden, 0.0, dPrev, dPrevOff);
                        }
                    }
                }
                """;
        return compilePlugin(dir, "org.example.broken.BrokenProvider", provider);
    }

    /**
     * A plugin folder with a jar whose services file lists a provider class that is not in it: the registry
     * reports it as a load problem and keeps the other cells.
     */
    static Path missingClassPluginFolder(Path dir) throws IOException {
        Files.createDirectories(dir);
        writeJar(dir.resolve("missing.jar"), Files.createTempDirectory(dir.getParent(), "empty"),
                "org.example.missing.NoSuchProvider");
        return dir;
    }

    private static Path compilePlugin(Path dir, String providerClass, String source) throws IOException {
        Path work = Files.createTempDirectory(dir.toAbsolutePath().getParent(), "plugin-src");
        Path src = work.resolve(providerClass.replace('.', '/') + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source, StandardCharsets.UTF_8);
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home") + " (a JDK is needed)");
        }
        StringWriter log = new StringWriter();
        try (var files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(log, files, null,
                    List.of("--release", "17", "-classpath", System.getProperty("java.class.path"), "-d", classes.toString()),
                    null, files.getJavaFileObjects(src.toFile())).call();
            if (!ok) {
                throw new IllegalStateException("the test plugin does not compile:\n" + log);
            }
        }
        Files.createDirectories(dir);
        writeJar(dir.resolve(providerClass.substring(providerClass.lastIndexOf('.') + 1).toLowerCase() + ".jar"), classes,
                providerClass);
        return dir;
    }

    private static void writeJar(Path jar, Path classes, String providerClass) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("META-INF/services/io.github.rnnlab.cell.CellProvider"));
            out.write((providerClass + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            try (Stream<Path> walk = Files.walk(classes)) {
                for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(p));
                    out.closeEntry();
                }
            }
        }
    }
}
