package io.github.rnnlab.cli;

import io.github.rnnlab.cell.CellRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The {@code --plugins DIR} option of every command that uses cells: add it with
 * {@code @Mixin PluginOptions plugins;} and get the cells with {@link #registry(Terminal)}. See {@link Cells}
 * for the folders searched.
 */
public final class PluginOptions {
    @Option(names = "--plugins", paramLabel = "DIR", order = 91,
            description = "A folder of cell plugin jars (repeat the option, or separate folders with the path "
                    + "separator). Also searched: the folders in RNNLAB_PLUGINS and plugins/ beside rnnlab.jar.")
    List<String> folders = new ArrayList<>();

    /** The folders searched, in order: {@code --plugins}, {@code RNNLAB_PLUGINS}, the default folder. */
    public List<Path> folders() {
        return Cells.folders(folders, System.getenv(Cells.ENV), Cells.defaultFolder());
    }

    /**
     * The built-in cells and those of the plugin folders; providers that fail to load are reported as one
     * warning line each on the terminal's error stream. Close it when done.
     */
    public CellRegistry registry(Terminal terminal) {
        return Cells.load(folders(), terminal.err());
    }
}
