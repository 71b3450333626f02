package io.github.rnnlab.cli;

import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.interop.TorchForward;
import io.github.rnnlab.numeric.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rnnlab forward}: runs a PyTorch-style recurrent module ({@code state_dict} in safetensors) on an input
 * file and writes what PyTorch's forward (and, when the input holds output gradients, backward) pass gives:
 * a thin wrapper over {@link TorchForward#run}.
 */
@Command(name = "forward",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        description = {
            "Runs a PyTorch-style recurrent module on an input and writes its outputs (and gradients).",
            "",
            "--model: a state_dict in safetensors (nn.RNN/LSTM/GRU names: weight_ih_l0, ...; any cell with a "
                    + "'cell' metadata key). --input: 'input' (T, B, n), optional 'h0' (and 'c0'), optional "
                    + "'grad_output', 'grad_h_n' (and 'grad_c_n'). --output gets 'output', 'h_n' (and 'c_n') and, "
                    + "when gradients were given, 'grad.<parameter>', 'grad.input', 'grad.h0' (and 'grad.c0')."})
final class ForwardCommand extends CliCommand {
    @Option(names = "--model", paramLabel = "M.safetensors", required = true, description = "The module's state_dict.")
    Path model;

    @Option(names = "--input", paramLabel = "I.safetensors", required = true, description = "The input tensors.")
    Path input;

    @Option(names = "--output", paramLabel = "O.safetensors", required = true,
            description = "Where to write the results (replaced atomically if it exists).")
    Path output;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "f32", converter = PrecisionConverter.class,
            description = "f32 (the Vector API kernels) or f64 (the float64 reference path); default: ${DEFAULT-VALUE}.")
    Precision precision;

    @Mixin
    PluginOptions plugins;

    /** Reads {@code f32}/{@code f64}. */
    static final class PrecisionConverter extends EnumConverter<Precision> {
        PrecisionConverter() {
            super(Precision.class);
        }
    }

    @Override
    protected int run() throws IOException {
        requireFile(model, "--model");
        requireFile(input, "--input");
        Path parent = output.toAbsolutePath().getParent();
        if (Files.isDirectory(output)) {
            throw new CliException("cannot write --output " + output + ": it is a folder", "Give a file name, e.g. "
                    + output.resolve("out.safetensors"));
        }
        try (CellRegistry registry = plugins.registry(terminal());
             OutputDir dir = OutputDir.open(parent, "--output")) {
            TorchForward.Report report = TorchForward.run(model, input, dir.file(output.getFileName().toString()),
                    precision, registry);
            dir.commit();
            var module = report.module();
            var config = module.config();
            terminal().out().println(module.cell().id() + ", " + config.layers() + " layer" + (config.layers() == 1 ? "" : "s")
                    + ", input " + config.inputSize() + ", hidden " + config.hiddenSize()
                    + (config.directions().count() == 2 ? ", bidirectional" : "") + (config.bias() ? "" : ", no bias")
                    + "; T=" + report.steps() + ", B=" + report.batch() + ", " + precision.name().toLowerCase(Locale.ROOT)
                    + (report.gradients() ? ", with gradients" : "") + ": wrote " + String.join(", ", report.written())
                    + " to " + output);
            terminal().out().flush();
        }
        return ExitCodes.OK;
    }

    private static void requireFile(Path file, String option) throws IOException {
        if (!Files.exists(file)) {
            throw new CliException(option + ": no such file: " + file, "Check the path given to " + option);
        }
        if (!Files.isRegularFile(file)) {
            throw new CliException(option + ": " + file + " is not a file", "Give a .safetensors file to " + option);
        }
        if (!Files.isReadable(file)) {
            throw new java.nio.file.AccessDeniedException(file.toString());
        }
    }
}
