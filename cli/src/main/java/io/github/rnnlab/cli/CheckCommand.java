package io.github.rnnlab.cli;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.tck.CellChecks;
import io.github.rnnlab.tck.CheckResult;
import io.github.rnnlab.tck.GradientCheck;
import io.github.rnnlab.tck.GradientReport;
import io.github.rnnlab.tck.Scenario;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rnnlab check --cell ID}: the plugin contract's checks ({@link CellChecks}) from the command line —
 * finite-difference gradients per parameter block, float32 against float64, SIMD on against off, a worker team
 * against one thread, streaming against chunked, padded steps against skipped steps, determinism, buffer
 * discipline, shape errors, empty chunks and orthogonal initialisation — for each size and each padding kind.
 * Exit code 0 when everything passes, 1 otherwise.
 */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        description = {
            "Runs the cell contract's checks on one cell: what to run on a new cell before training it.",
            "",
            "For every size (--sizes) and padding kind (none, random holes, packed lengths; batch 3, 4 steps): "
                    + "the gradient of every parameter block, the input and the initial states against central "
                    + "differences in float64 (a table per case), then the other laws: float32 vs float64, SIMD on "
                    + "vs off, two threads vs one, step by step vs chunked, padded vs skipped steps, determinism, "
                    + "null gradient buffers, inputs unmodified, shape errors, empty chunks, orthogonal init.",
            "",
            "Exit code 0 when every check passes, 1 when one fails."})
final class CheckCommand extends CliCommand {
    @Option(names = "--cell", paramLabel = "ID", required = true,
            description = "The cell to check (see 'rnnlab cells'), built-in or from a plugin.")
    String cell;

    @Option(names = "--sizes", paramLabel = "INxH[,INxH...]", defaultValue = "5x7,17x19", split = ",",
            converter = SizeConverter.class,
            description = "Input and hidden sizes to check (default: ${DEFAULT-VALUE}: small odd sizes, one beyond "
                    + "the vector lanes).")
    List<Size> sizes = new ArrayList<>();

    @Option(names = "--option", paramLabel = "NAME=VALUE",
            description = "A cell option (repeatable), e.g. --option beta=0.5; the others keep their defaults.")
    Map<String, String> options = new TreeMap<>();

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the random cases (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--details", description = "Print every law's full detail, not only its first 100 characters.")
    boolean details;

    @Mixin
    PluginOptions plugins;

    /** An input size and a hidden size. */
    record Size(int input, int hidden) {
        @Override
        public String toString() {
            return input + "x" + hidden;
        }
    }

    /** Reads {@code 5x7}. */
    static final class SizeConverter implements picocli.CommandLine.ITypeConverter<Size> {
        @Override
        public Size convert(String value) {
            String[] parts = value.trim().toLowerCase(Locale.ROOT).split("x", -1);
            try {
                if (parts.length == 2) {
                    int in = Integer.parseInt(parts[0].trim());
                    int h = Integer.parseInt(parts[1].trim());
                    if (in >= 1 && h >= 1) {
                        return new Size(in, h);
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new picocli.CommandLine.TypeConversionException(
                    "expected input size x hidden size, both at least 1, such as 5x7, got '" + value + "'");
        }
    }

    @Override
    protected int run() {
        PrintWriter out = terminal().out();
        try (CellRegistry registry = plugins.registry(terminal())) {
            CellProvider provider = Cells.provider(registry, cell, "--cell");
            CellRegistry.Entry entry = registry.find(cell).orElseThrow();
            List<CellConfig> configs = new ArrayList<>();
            for (Size s : sizes) {
                CellConfig config = new CellConfig(s.input(), s.hidden(), options);
                try {
                    provider.create(config);
                } catch (CellConfig.InvalidConfigException e) {
                    throw new UsageException("cell " + cell + " rejects its configuration (sizes " + s + ", options "
                            + options + "): " + e.getMessage());
                }
                configs.add(config);
            }
            out.println("check " + provider.id() + " " + provider.version() + " (" + Cells.source(entry) + "): "
                    + provider.description());
            out.println();

            int total = 0;
            int failed = 0;
            Set<String> failures = new LinkedHashSet<>();
            int caseNo = 0;
            int cases = configs.size() * Scenario.Padding.values().length;
            for (CellConfig config : configs) {
                for (Scenario scenario : CellChecks.scenarios(config, seed)) {
                    caseNo++;
                    out.println("case " + caseNo + "/" + cases + ": " + scenario);
                    GradientReport report = gradientTable(provider, scenario, out);
                    List<String> failedBlocks = report == null ? List.of()
                            : report.entries().stream().filter(e -> !e.passed()).map(GradientReport.Entry::name).toList();
                    List<CheckResult> results = CellChecks.all(provider, scenario, report);
                    Table laws = new Table(Table.Column.left("law"), Table.Column.left("result"), Table.Column.left("detail"))
                            .indent("  ");
                    for (CheckResult r : results) {
                        total++;
                        String detail = r.law().equals("gradients match finite differences")
                                ? (r.passed() ? "every block within tolerance (table above)" : "blocks out of tolerance: "
                                + (failedBlocks.isEmpty() ? firstLine(r.detail()) : String.join(", ", failedBlocks)))
                                : details ? r.detail() : shortened(firstLine(r.detail()));
                        laws.row(r.law(), r.passed() ? "pass" : "FAIL", detail);
                        if (!r.passed()) {
                            failed++;
                            failures.add(r.law() + (r.law().startsWith("gradients") && !failedBlocks.isEmpty()
                                    ? " (" + String.join(", ", failedBlocks) + ")" : ""));
                        }
                    }
                    laws.print(out);
                    out.println();
                }
            }
            if (failed == 0) {
                out.println("summary: " + provider.id() + " passed all " + total + " checks (" + cases + " cases, "
                        + sizes.size() + " sizes x " + Scenario.Padding.values().length + " paddings, seed " + seed + ")");
                out.flush();
                return ExitCodes.OK;
            }
            out.println("summary: " + provider.id() + " FAILED " + failed + " of " + total + " checks: "
                    + String.join("; ", failures));
            out.flush();
            return ExitCodes.FAILURE;
        }
    }

    /**
     * Prints the finite-difference table of one case (a row per parameter block, the input and each initial
     * state) and returns its report, or null (with a line saying why) if the check could not run.
     */
    private static GradientReport gradientTable(CellProvider provider, Scenario scenario, PrintWriter out) {
        GradientReport report;
        try {
            report = GradientCheck.run(provider.create(scenario.config()), scenario);
        } catch (RuntimeException | AssertionError e) {
            out.println("  gradient check could not run: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return null;
        }
        out.println(String.format(Locale.ROOT, "  gradients vs central differences (float64, eps %.0e; pass: |a-n| <= %.0e + %.0e*|n|)",
                GradientCheck.EPSILON, GradientCheck.ATOL, GradientCheck.RTOL));
        Table t = new Table(Table.Column.left("block"), Table.Column.right("size"), Table.Column.right("max abs err"),
                Table.Column.right("max rel err"), Table.Column.left("result"), Table.Column.left("worst (analytic vs numeric)"))
                .indent("  ");
        for (GradientReport.Entry e : report.entries()) {
            t.row(e.name(), Integer.toString(e.size()), sci(e.maxAbsError()), sci(e.maxRelError()),
                    e.passed() ? "pass" : "FAIL (" + e.failures() + " of " + e.size() + ")",
                    e.worstIndex() < 0 ? "-" : String.format(Locale.ROOT, "[%d] %.6g vs %.6g", e.worstIndex(),
                            e.analyticAtWorst(), e.numericAtWorst()));
        }
        t.print(out);
        return report;
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.2e", v);
    }

    /** At most 100 characters ({@code --details} shows all). */
    private static String shortened(String s) {
        String t = s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
        return t.length() <= 100 ? t : t.substring(0, 97) + "...";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " ...";
    }
}
