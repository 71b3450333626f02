package io.github.rnnlab.cli;

import io.github.rnnlab.RnnlabException;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.CellRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rnnlab cells}: every registered cell with its id, version, source (built-in or the plugin jar),
 * description, preview flag, states and the parameter count of one layer for {@code --input}/{@code --hidden}.
 */
@Command(name = "cells",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        description = {
            "Lists every cell rnnlab can use: the built-ins and those of plugin jars.",
            "",
            "For each: id, version, source (built-in, or the plugin jar), description, whether it is a preview, "
                    + "its states with their sizes, and the parameters of one layer for --input and --hidden."})
final class CellsCommand extends CliCommand {
    @Option(names = "--input", paramLabel = "N", defaultValue = "128",
            description = "Input size for the parameter count (default: ${DEFAULT-VALUE}).")
    int input;

    @Option(names = "--hidden", paramLabel = "N", defaultValue = "256",
            description = "Hidden size for the parameter count (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Mixin
    PluginOptions plugins;

    @Override
    protected int run() {
        if (input < 1 || hidden < 1) {
            throw new UsageException("--input and --hidden must be at least 1, got " + input + " and " + hidden);
        }
        try (CellRegistry registry = plugins.registry(terminal())) {
            Table table = new Table(Table.Column.left("id"), Table.Column.left("version"), Table.Column.left("preview"),
                    Table.Column.left("source"), Table.Column.left("states"), Table.Column.right("params"),
                    Table.Column.left("description"));
            for (CellRegistry.Entry e : registry.cells()) {
                CellProvider p = e.provider();
                table.row(e.id(), p.version(), p.preview() ? "yes" : "no", Cells.source(e), Cells.states(p), count(p),
                        p.description());
            }
            table.print(terminal().out());
            terminal().out().println();
            terminal().out().println(registry.cells().size() + " cells; params: one layer with input " + input
                    + " and hidden " + hidden + " (--input, --hidden), options at their defaults.");
            terminal().out().flush();
        }
        return ExitCodes.OK;
    }

    private String count(CellProvider p) {
        try {
            return Format.grouped(Cells.parameterCount(p, input, hidden));
        } catch (RnnlabException | IllegalArgumentException e) {
            return "? (" + e.getMessage() + ")";
        }
    }
}
