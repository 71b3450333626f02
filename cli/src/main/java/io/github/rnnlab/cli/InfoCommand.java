package io.github.rnnlab.cli;

import io.github.rnnlab.kernel.Simd;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

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
        table.row("processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
        table.row("max heap", Format.bytes(Runtime.getRuntime().maxMemory()));
        table.row("jvm options", String.join(" ", jvmOptions()));
        table.row("cells", cellsFound().orElse("not available yet: the cell registry is not part of this build"));
        table.print(terminal().out());
        return ExitCodes.OK;
    }

    /** Whether this JVM resolved {@code jdk.incubator.vector} (the launcher passes {@code --add-modules}). */
    static boolean vectorModuleEnabled() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * PHASE 2 — the one place where the cell registry plugs into {@code info}: return the registered cells
     * (count, ids, and how many came from plugin jars). Until the registry is merged there is nothing honest to
     * list, so this is empty and {@code info} says so.
     */
    static Optional<String> cellsFound() {
        return Optional.empty();
    }

    private static List<String> jvmOptions() {
        try {
            return ManagementFactory.getRuntimeMXBean().getInputArguments();
        } catch (RuntimeException | LinkageError e) {
            return List.of("(not available)");
        }
    }
}
