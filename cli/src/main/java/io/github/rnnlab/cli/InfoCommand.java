package io.github.rnnlab.cli;

import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.kernel.Simd;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code rnnlab info}: what this rnnlab runs on — the Java, the Vector API species and lane count, whether the
 * SIMD kernels are on, processors, heap, and the cells found.
 */
@Command(name = "info",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {
            "Shows the Java, the Vector API and the cells this rnnlab runs with.",
            "",
            "The Java runtime and vendor, the Vector API species and lane count, whether the SIMD kernels are "
                    + "on, the processors and heap available, the JVM options, and the cells found.",
            "",
            "The SIMD switch is a Java system property read at start-up; to run every kernel's scalar twin:",
            "  RNNLAB_JAVA_OPTS=-Drnnlab.simd=false ./rnnlab info"})
final class InfoCommand extends CliCommand {
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    @Mixin
    PluginOptions plugins;

    @Override
    protected int run() {
        Table table = Table.withoutHeader(Table.Column.left(""), Table.Column.left(""));
        table.row("rnnlab", Version.rnnlab());
        table.row("java", Version.java() + " at " + System.getProperty("java.home"));
        table.row("vm", System.getProperty("java.vm.name", "?") + " " + System.getProperty("java.vm.version", ""));
        table.row("os", System.getProperty("os.name", "?") + " " + System.getProperty("os.version", "")
                + " (" + System.getProperty("os.arch", "?") + ")");
        if (vectorModuleEnabled()) {
            // Simd is touched only here: without the module its class initialisation would fail.
            table.row("vector species", Simd.FLOATS.toString());
            table.row("float lanes", Simd.LANES + " (" + Simd.FLOATS.vectorBitSize() + "-bit vectors)");
            table.row("simd", Simd.ENABLED
                    ? "on (off with RNNLAB_JAVA_OPTS=-Drnnlab.simd=false)"
                    : "off: -Drnnlab.simd=false, every kernel runs its scalar twin");
        } else {
            table.row("vector species", "none: the " + VECTOR_MODULE + " module is not enabled "
                    + "(start with ./rnnlab, or java --add-modules " + VECTOR_MODULE + ")");
            table.row("simd", "off (no Vector API)");
        }
        int processors = Runtime.getRuntime().availableProcessors();
        table.row("processors", Integer.toString(processors));
        table.row("threads", processors + " (the default --threads of train: one worker per processor)");
        table.row("max heap", Format.bytes(Runtime.getRuntime().maxMemory()));
        table.row("jvm options", String.join(" ", jvmOptions()));
        List<Path> folders = plugins.folders();
        table.row("plugin folders", folders.isEmpty() ? "none (--plugins DIR, " + Cells.ENV + ")"
                : folders.stream().map(Cells::shown).collect(Collectors.joining(", ")));
        try (CellRegistry registry = plugins.registry(terminal())) {
            table.row("cells", cellsFound(registry));
            for (CellRegistry.Entry e : registry.cells()) {
                table.row("", e.id() + " " + e.provider().version() + ", " + Cells.source(e));
            }
            for (CellRegistry.LoadProblem p : registry.problems()) {
                table.row("", "not loaded: " + p);
            }
        }
        table.print(terminal().out());
        return ExitCodes.OK;
    }

    /** Whether this JVM resolved {@code jdk.incubator.vector} (the launcher passes {@code --add-modules}). */
    static boolean vectorModuleEnabled() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** {@code "6 found (5 built-in, 1 from plugins): gru, janet, lstm, ..."}. */
    static String cellsFound(CellRegistry registry) {
        List<CellRegistry.Entry> cells = registry.cells();
        long plugins = cells.stream().filter(Cells::fromPlugin).count();
        return cells.size() + " found (" + (cells.size() - plugins) + " built-in or on the class path, " + plugins
                + " from plugin folders" + (registry.problems().isEmpty() ? "" : ", " + registry.problems().size()
                + " failed to load") + "): " + String.join(", ", registry.ids());
    }

    private static List<String> jvmOptions() {
        try {
            return ManagementFactory.getRuntimeMXBean().getInputArguments();
        } catch (RuntimeException | LinkageError e) {
            return List.of("(not available)");
        }
    }
}
