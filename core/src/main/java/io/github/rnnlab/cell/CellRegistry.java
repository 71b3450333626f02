package io.github.rnnlab.cell;

import io.github.rnnlab.RnnlabException;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The cells available to a program: every {@link CellProvider} that {@link ServiceLoader} finds on a
 * class path (the built-ins arrive this way) and in the jars of plugin folders.
 *
 * <ul>
 *   <li>Each plugin folder's {@code *.jar} files are opened with one {@link URLClassLoader} per folder
 *       whose parent is the loader of this SPI, so a plugin sees rnnlab-core and its own jars only.
 *       A provider is taken from a plugin folder only if its class was defined by that folder's
 *       loader.</li>
 *   <li>Two providers with the same id make {@link #load} fail with a {@link DuplicateCellException}
 *       naming both classes and where each came from.</li>
 *   <li>A provider that cannot be loaded (a listed class that is missing or not a provider, a
 *       constructor that throws, an {@code id()} that throws or is not a valid id) is recorded as a
 *       {@link LoadProblem} with its class name; every other cell stays usable.</li>
 *   <li>{@link #provider} of an unknown id throws {@link UnknownCellException} listing the ids
 *       available.</li>
 * </ul>
 * The registry is immutable. It reads no environment variable: the caller (the CLI) passes the
 * folders from {@code --plugins DIR} or {@code RNNLAB_PLUGINS}, see {@link #folders(String)}.
 * {@link #close()} closes the plugin class loaders; call it only when no cell from a plugin is in use.
 */
public final class CellRegistry implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CellRegistry.class.getName());
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");
    /** The class a ServiceConfigurationError names: "service: Provider a.B not found", "service: a.B not a subtype", … */
    private static final Pattern PROVIDER_NAME = Pattern.compile("^[\\w.$]+: (?:Provider )?([\\w$]+(?:\\.[\\w$]+)+)");

    /** Where a provider was found. */
    public enum Origin {
        /** On the class path of the loader given to {@link #load} (the built-ins, and plugins put there). */
        CLASS_PATH,
        /** In a jar of a plugin folder. */
        PLUGIN_FOLDER
    }

    /**
     * One provider and where it came from.
     *
     * @param provider the provider
     * @param origin   class path or plugin folder
     * @param location the jar or class directory holding the provider class, or null if unknown
     */
    public record Entry(CellProvider provider, Origin origin, Path location) {
        /** The provider's id. */
        public String id() {
            return provider.id();
        }

        /** "class name (location)" for messages. */
        String describe() {
            return provider.getClass().getName() + " (" + (location == null ? origin.name().toLowerCase().replace('_', ' ') : location) + ")";
        }
    }

    /**
     * A provider that could not be loaded.
     *
     * @param className the provider class named in {@code META-INF/services}, or null if the JDK's
     *                  message did not name it
     * @param location  the plugin jar or folder it was listed in, or null for the class path
     * @param message   what went wrong, one line
     * @param cause     the error or exception thrown
     */
    public record LoadProblem(String className, Path location, String message, Throwable cause) {
        @Override
        public String toString() {
            return (className == null ? "a provider" : className) + (location == null ? "" : " in " + location) + ": " + message;
        }
    }

    private final Map<String, Entry> entries;
    private final List<LoadProblem> problems;
    private final List<URLClassLoader> loaders;

    private CellRegistry(Map<String, Entry> entries, List<LoadProblem> problems, List<URLClassLoader> loaders) {
        this.entries = Collections.unmodifiableMap(entries);
        this.problems = List.copyOf(problems);
        this.loaders = List.copyOf(loaders);
    }

    /** The providers on the class path of {@code loader}; no plugin folders. */
    public static CellRegistry load(ClassLoader loader) {
        return load(loader, List.of());
    }

    /**
     * The providers on the class path of {@code classPath} and in the jars of {@code pluginFolders}
     * (in the order given; jars of a folder in name order).
     *
     * @throws PluginFolderException if a folder does not exist, is not a directory, or cannot be read
     * @throws DuplicateCellException if two providers have the same id
     */
    public static CellRegistry load(ClassLoader classPath, List<Path> pluginFolders) {
        Map<String, Entry> found = new TreeMap<>();
        List<LoadProblem> problems = new ArrayList<>();
        List<URLClassLoader> loaders = new ArrayList<>();
        try {
            discover(ServiceLoader.load(CellProvider.class, classPath), null, Origin.CLASS_PATH, null, found, problems);
            ClassLoader parent = CellProvider.class.getClassLoader();
            for (Path folder : pluginFolders) {
                List<Path> jars = jars(folder);
                if (jars.isEmpty()) {
                    continue;
                }
                URL[] urls = new URL[jars.size()];
                for (int i = 0; i < urls.length; i++) {
                    urls[i] = toUrl(jars.get(i));
                }
                URLClassLoader pl = new URLClassLoader("rnnlab-plugins:" + folder.getFileName(), urls, parent);
                loaders.add(pl);
                discover(ServiceLoader.load(CellProvider.class, pl), pl, Origin.PLUGIN_FOLDER, folder, found, problems);
            }
        } catch (RuntimeException | Error e) {
            closeAll(loaders);
            throw e;
        }
        for (LoadProblem p : problems) {
            LOG.log(System.Logger.Level.DEBUG, "cell provider not loaded: {0}", p);
        }
        return new CellRegistry(new LinkedHashMap<>(found), problems, loaders);
    }

    /**
     * Splits a list of folders as {@code RNNLAB_PLUGINS} holds it ({@link File#pathSeparator}-separated,
     * empty parts ignored).
     */
    public static List<Path> folders(String pathList) {
        List<Path> out = new ArrayList<>();
        if (pathList != null) {
            for (String part : pathList.split(Pattern.quote(File.pathSeparator))) {
                if (!part.isBlank()) {
                    out.add(Path.of(part.trim()));
                }
            }
        }
        return out;
    }

    private static void discover(ServiceLoader<CellProvider> sl, ClassLoader only, Origin origin, Path folder,
                                 Map<String, Entry> found, List<LoadProblem> problems) {
        Iterator<ServiceLoader.Provider<CellProvider>> it = sl.stream().iterator();
        // A broken entry throws from hasNext()/next(); the JDK's iterator then moves on to the next
        // entry. Bound the retries so that a loader that keeps failing cannot loop forever.
        int failures = 0;
        while (failures < 1000) {
            ServiceLoader.Provider<CellProvider> p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError e) {
                failures++;
                problems.add(new LoadProblem(className(e), folder, oneLine(e), e));
                continue;
            }
            Class<? extends CellProvider> type;
            try {
                type = p.type();
            } catch (ServiceConfigurationError e) {
                problems.add(new LoadProblem(className(e), folder, oneLine(e), e));
                continue;
            }
            if (only != null && type.getClassLoader() != only) {
                continue; // found through the parent: it belongs to the class path, not to this folder
            }
            CellProvider provider;
            String id;
            try {
                provider = p.get();
                id = provider.id();
                if (id == null || !ID.matcher(id).matches()) {
                    problems.add(new LoadProblem(type.getName(), folder,
                            "id must match [a-z][a-z0-9_]*, got " + (id == null ? "null" : "\"" + id + "\""), null));
                    continue;
                }
                String version = provider.version();
                if (version == null || version.isBlank()) {
                    problems.add(new LoadProblem(type.getName(), folder, "cell " + id + " has no version", null));
                    continue;
                }
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                Throwable shown = e instanceof ServiceConfigurationError && e.getCause() != null ? e.getCause() : e;
                problems.add(new LoadProblem(type.getName(), folder, oneLine(shown), e));
                continue;
            }
            Entry entry = new Entry(provider, origin, location(type, folder));
            Entry previous = found.putIfAbsent(id, entry);
            if (previous != null) {
                throw new DuplicateCellException(id, previous, entry);
            }
        }
    }

    private static List<Path> jars(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new PluginFolderException("plugin folder " + folder + ": expected a directory, got "
                    + (Files.exists(folder) ? "a file" : "nothing (it does not exist)"));
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new PluginFolderException("plugin folder " + folder + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static URL toUrl(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new PluginFolderException("plugin jar " + jar + " has no URL form: " + e.getMessage(), e);
        }
    }

    private static Path location(Class<?> type, Path fallback) {
        try {
            CodeSource cs = type.getProtectionDomain().getCodeSource();
            if (cs != null && cs.getLocation() != null) {
                return Path.of(cs.getLocation().toURI());
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through: location unknown
        }
        return fallback;
    }

    private static String className(ServiceConfigurationError e) {
        Matcher m = PROVIDER_NAME.matcher(String.valueOf(e.getMessage()));
        return m.find() ? m.group(1) : null;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        String s = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        if (e.getCause() != null && e.getCause() != e) {
            String cm = e.getCause().getMessage();
            s += " (caused by " + e.getCause().getClass().getSimpleName() + (cm == null ? "" : ": " + cm) + ")";
        }
        return s.replace('\n', ' ');
    }

    private static void closeAll(List<URLClassLoader> loaders) {
        for (URLClassLoader l : loaders) {
            try {
                l.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing plugin class loader failed", e);
            }
        }
    }

    // ---- queries ----------------------------------------------------------------------------------

    /** Every cell found, sorted by id. */
    public List<Entry> cells() {
        return List.copyOf(entries.values());
    }

    /** The ids found, sorted. */
    public List<String> ids() {
        return List.copyOf(entries.keySet());
    }

    /** The providers that could not be loaded, in the order met. */
    public List<LoadProblem> problems() {
        return problems;
    }

    /** The entry of cell {@code id}, if found. */
    public Optional<Entry> find(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    /**
     * The provider of cell {@code id}.
     *
     * @throws UnknownCellException listing the ids available (and the providers that failed to load)
     */
    public CellProvider provider(String id) {
        Entry e = entries.get(id);
        if (e == null) {
            throw new UnknownCellException(id, ids(), problems);
        }
        return e.provider();
    }

    /** Creates cell {@code id} for {@code config}: {@code provider(id).create(config)}. */
    public Cell create(String id, CellConfig config) {
        return provider(id).create(config);
    }

    @Override
    public void close() {
        closeAll(loaders);
    }

    // ---- errors -----------------------------------------------------------------------------------

    /** No cell has the requested id. */
    public static final class UnknownCellException extends RnnlabException {
        private final List<String> available;

        public UnknownCellException(String id, List<String> available, List<LoadProblem> problems) {
            super("unknown cell \"" + id + "\"; available: " + (available.isEmpty() ? "none" : String.join(", ", available))
                    + (problems.isEmpty() ? "" : " (" + problems.size() + " provider(s) failed to load: "
                    + problems.stream().map(LoadProblem::toString).reduce((a, b) -> a + "; " + b).orElse("") + ")"));
            this.available = List.copyOf(available);
        }

        /** The ids that were available. */
        public List<String> available() {
            return available;
        }
    }

    /** Two providers claim the same id. */
    public static final class DuplicateCellException extends RnnlabException {
        public DuplicateCellException(String id, Entry first, Entry second) {
            super("cell id \"" + id + "\" is provided twice: by " + first.describe() + " and by " + second.describe()
                    + "; remove one of them from the class path or plugin folders");
        }
    }

    /** A plugin folder is missing or unreadable. */
    public static final class PluginFolderException extends RnnlabException {
        public PluginFolderException(String message) {
            super(message);
        }

        public PluginFolderException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
