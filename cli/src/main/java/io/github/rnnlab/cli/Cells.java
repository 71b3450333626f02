package io.github.rnnlab.cli;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellLayout;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.cell.StateSpec;
import io.github.rnnlab.cells.LstmProvider;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The cells a command can use: the {@link CellRegistry} over the class path (the built-ins) and the plugin
 * folders, found in this order and each folder once:
 * <ol>
 *   <li>every {@code --plugins DIR} (repeated, or one list separated by {@value File#pathSeparator});</li>
 *   <li>the folders of {@code RNNLAB_PLUGINS} (same separator);</li>
 *   <li>the default folder {@code plugins/} beside the command's jar ({@code cli/target/plugins/}, which the
 *       build fills with this repository's plugins), when the command runs from a jar and the folder
 *       exists.</li>
 * </ol>
 * A provider that fails to load becomes one warning line; the other cells stay usable.
 */
final class Cells {
    /** The environment variable holding extra plugin folders. */
    static final String ENV = "RNNLAB_PLUGINS";
    /** The name of the default plugin folder beside the jar. */
    static final String DEFAULT_FOLDER = "plugins";

    private Cells() {
    }

    /** The folders searched, as {@link #load} will search them. */
    static List<Path> folders(List<String> options, String env, Optional<Path> defaultFolder) {
        Map<Path, Path> unique = new LinkedHashMap<>();
        List<Path> given = new ArrayList<>();
        for (String o : options) {
            given.addAll(CellRegistry.folders(o));
        }
        given.addAll(CellRegistry.folders(env));
        defaultFolder.filter(Files::isDirectory).ifPresent(given::add);
        for (Path p : given) {
            unique.putIfAbsent(identity(p), p);
        }
        return List.copyOf(unique.values());
    }

    /** The folder {@code plugins/} beside the jar this class was loaded from; empty when not run from a jar. */
    static Optional<Path> defaultFolder() {
        return codeSource(Cells.class)
                .filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar"))
                .map(p -> p.toAbsolutePath().getParent().resolve(DEFAULT_FOLDER));
    }

    /**
     * The registry of the built-ins and the plugins in {@code folders}; each provider that failed to load is
     * reported on {@code warnings} as one line.
     *
     * @throws CellRegistry.PluginFolderException if a folder does not exist or cannot be read
     * @throws CellRegistry.DuplicateCellException if two providers claim the same id
     */
    static CellRegistry load(List<Path> folders, PrintWriter warnings) {
        CellRegistry registry = CellRegistry.load(Cells.class.getClassLoader(), folders);
        for (CellRegistry.LoadProblem p : registry.problems()) {
            warnings.println("rnnlab: warning: cell provider " + (p.className() == null ? "(unnamed)" : p.className())
                    + (p.location() == null ? "" : " in " + p.location()) + " not loaded: " + p.message());
        }
        warnings.flush();
        return registry;
    }

    /**
     * The ids a {@code --cells} list names: trimmed, empty entries dropped; at least one, none twice.
     *
     * @throws UsageException if none is left or one is named twice
     */
    static List<String> ids(List<String> given) {
        Set<String> ids = new LinkedHashSet<>();
        for (String id : given) {
            String t = id.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (!ids.add(t)) {
                throw new UsageException("--cells lists " + t + " twice", "Name each cell once");
            }
        }
        if (ids.isEmpty()) {
            throw new UsageException("--cells: expected a list of cell ids such as lstm,gru, got '" + String.join(",", given) + "'",
                    "See 'rnnlab cells' for the ids");
        }
        return List.copyOf(ids);
    }

    /**
     * The provider of {@code id}.
     *
     * @throws UsageException naming the id, the closest known ids, and every available id
     */
    static CellProvider provider(CellRegistry registry, String id, String option) {
        Optional<CellRegistry.Entry> entry = registry.find(id);
        if (entry.isPresent()) {
            return entry.get().provider();
        }
        List<String> close = Suggestions.closest(id, registry.ids());
        String hint = close.isEmpty() ? "" : "Did you mean " + close.stream().map(s -> "'" + s + "'")
                .collect(Collectors.joining(" or ")) + "? ";
        String failed = registry.problems().isEmpty() ? "" : " (" + registry.problems().size()
                + " provider(s) failed to load; see the warnings above)";
        throw new UsageException(option + ": unknown cell '" + id + "'" + failed,
                hint + "Available: " + String.join(", ", registry.ids()) + "; plugins go in --plugins DIR or " + ENV);
    }

    /**
     * Where a cell came from: {@code built-in}, the plugin jar's path, or {@code class path: <location>} for a
     * provider put on the class path by hand.
     */
    static String source(CellRegistry.Entry e) {
        if (e.origin() == CellRegistry.Origin.PLUGIN_FOLDER) {
            return e.location() == null ? "plugin" : shown(e.location());
        }
        Optional<Path> builtIns = codeSource(LstmProvider.class);
        if (e.location() == null || builtIns.map(b -> identity(b).equals(identity(e.location()))).orElse(false)) {
            return "built-in";
        }
        return "class path: " + shown(e.location());
    }

    /** {@code path} relative to the working folder when it lies inside it, else as it is. */
    static String shown(Path path) {
        try {
            Path cwd = Path.of("").toAbsolutePath();
            Path abs = path.toAbsolutePath().normalize();
            return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : path.toString();
        } catch (RuntimeException e) {
            return path.toString();
        }
    }

    /** Whether the cell came from a plugin folder. */
    static boolean fromPlugin(CellRegistry.Entry e) {
        return e.origin() == CellRegistry.Origin.PLUGIN_FOLDER;
    }

    /** The states with their sizes: {@code "h (H), c (H)"}. */
    static String states(CellProvider p) {
        List<String> out = new ArrayList<>();
        for (StateSpec s : p.states()) {
            out.add(s.name() + " (" + s.size() + ")");
        }
        return String.join(", ", out);
    }

    /** The parameter count of one layer for {@code input} and {@code hidden}, its options at their defaults. */
    static int parameterCount(CellProvider p, int input, int hidden) {
        return CellLayout.of(p, new CellConfig(input, hidden).withDefaults(p.options())).parameterCount();
    }

    private static Optional<Path> codeSource(Class<?> type) {
        try {
            CodeSource cs = type.getProtectionDomain().getCodeSource();
            if (cs != null && cs.getLocation() != null) {
                return Optional.of(Path.of(cs.getLocation().toURI()));
            }
        } catch (URISyntaxException | RuntimeException e) {
            // unknown
        }
        return Optional.empty();
    }

    /** The real path when the file exists, else the absolute normalised one: one key per folder. */
    private static Path identity(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException | RuntimeException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
