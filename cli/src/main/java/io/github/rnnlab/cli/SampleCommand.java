package io.github.rnnlab.cli;

import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.checkpoint.TrainingState;
import io.github.rnnlab.data.Vocabulary;
import io.github.rnnlab.generate.Generator;
import io.github.rnnlab.generate.Sampling;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.Rng;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rnnlab sample --model CKPT}: text from a character model trained by {@code rnnlab train}. The model, its
 * vocabulary and its configuration come from the checkpoint.
 */
@Command(name = "sample",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        description = {
            "Generates text from a character model trained by 'rnnlab train'.",
            "",
            "Prints the prime followed by --length generated characters. Each character is drawn from the model's "
                    + "distribution sharpened by --temperature (0: always the most likely one), optionally among the "
                    + "--top-k most likely only. The same --seed gives the same text.",
            "",
            "Before the prime the model reads --burn-in characters of its own (not printed): models trained on "
                    + "long streams rarely start from a blank state and stumble for a few characters when they do."})
final class SampleCommand extends CliCommand {
    @Option(names = "--model", paramLabel = "CKPT", required = true,
            description = "A checkpoint written by 'rnnlab train' (e.g. runs/NAME/checkpoint.safetensors).")
    Path model;

    @Option(names = "--prime", paramLabel = "TEXT",
            description = "Text the model reads before generating (default: a line break, or the vocabulary's first "
                    + "character if the text had none). Every character must occur in the training text.")
    String prime;

    @Option(names = "--length", paramLabel = "N", defaultValue = "500",
            description = "Characters to generate (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8",
            description = "Below 1 safer, above 1 wilder; 0 always takes the most likely character (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0",
            description = "Draw only among the K most likely characters; 0 for all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the draws (default: ${DEFAULT-VALUE}); the same seed gives the same text.")
    long seed;

    @Option(names = "--burn-in", paramLabel = "N", defaultValue = "256",
            description = "Before the prime, the model reads N characters it writes itself, not printed, so that the "
                    + "prime meets a state like those of training rather than a blank one; 0 to start blank "
                    + "(default: ${DEFAULT-VALUE}).")
    int burnIn;

    @Mixin
    PluginOptions plugins;

    @Override
    protected int run() {
        if (length < 0) {
            throw new UsageException("--length must be 0 or more, got " + length);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new UsageException("--temperature must be a finite number of at least 0, got " + temperature);
        }
        if (topK < 0) {
            throw new UsageException("--top-k must be 0 (all) or more, got " + topK);
        }
        if (burnIn < 0) {
            throw new UsageException("--burn-in must be 0 or more, got " + burnIn);
        }
        // The registry stays open until generation ends: a plugin's classes may load on first use.
        try (CellRegistry registry = plugins.registry(terminal())) {
            TrainingState state = Checkpoints.load(model, "--model", registry, null, "", F32Ops.standard());
            return generate(state);
        }
    }

    private int generate(TrainingState state) {
        Vocabulary vocabulary = state.vocabulary();
        SequenceModel<float[]> m = state.model();
        if (vocabulary == null || m.embedding() == null) {
            throw new CliException("--model: checkpoint " + model + " holds a model of " + state.config().model().input()
                    + ", not of characters", "Give a checkpoint of a character model ('rnnlab train --data FILE')");
        }
        if (m.rnn().directions() != 1) {
            throw new CliException("--model: checkpoint " + model + " holds a bidirectional model, which cannot generate",
                    "Give a checkpoint of a forward model");
        }
        String text = prime == null ? defaultPrime(vocabulary) : prime;
        if (text.isEmpty()) {
            throw new UsageException("--prime must hold at least one character");
        }
        int[] ids = encodePrime(text, vocabulary);
        Generator<float[]> generator = new Generator<>(m);
        Sampling sampling = new Sampling(temperature, topK);
        Rng rng = new Rng(seed);
        int[] prompt = burnIn == 0 ? ids : concat(burnIn(generator, vocabulary, burnIn, sampling, rng), ids);
        int[] generated = generator.generate(prompt, length, sampling, rng);
        PrintWriter out = terminal().out();
        out.print(text);
        out.println(vocabulary.decode(generated));
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * What the model writes from a blank state in {@code n} characters, after the {@link #defaultPrime}, cut after
     * its last blank line (or line break) so that a prime that follows starts a paragraph (or a line).
     *
     * <p>A model trained on long streams with the state carried from batch to batch rarely sees a blank state:
     * started from one, its first characters come out garbled. Reading its own text first puts the state where
     * training left it.
     */
    static int[] burnIn(Generator<float[]> generator, Vocabulary vocabulary, int n, Sampling sampling, Rng rng) {
        int[] start = encodePrime(defaultPrime(vocabulary), vocabulary);
        int[] text = concat(start, generator.generate(start, n, sampling, rng));
        if (vocabulary.contains('\n')) {
            int nl = vocabulary.id('\n');
            int cut = -1;
            for (int i = text.length - 1; i > 0 && cut < 0; i--) {
                if (text[i] == nl && text[i - 1] == nl) {
                    cut = i + 1;
                }
            }
            for (int i = text.length - 1; i >= 0 && cut < 0; i--) {
                if (text[i] == nl) {
                    cut = i + 1;
                }
            }
            if (cut > 0) {
                return java.util.Arrays.copyOf(text, cut);
            }
        }
        return text;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A line break if the model knows it, else its first character. */
    static String defaultPrime(Vocabulary vocabulary) {
        return vocabulary.contains('\n') ? "\n" : new String(Character.toChars(vocabulary.codePoint(0)));
    }

    /** {@code "'é' (U+00E9)"}, or just {@code "U+000A"} for a control character. */
    static String describe(int codePoint) {
        String hex = String.format(java.util.Locale.ROOT, "U+%04X", codePoint);
        return Character.isISOControl(codePoint) || !Character.isValidCodePoint(codePoint) ? hex
                : "'" + new String(Character.toChars(codePoint)) + "' (" + hex + ")";
    }

    /** The prime's ids; a character the model never saw is a usage error naming it. */
    static int[] encodePrime(String text, Vocabulary vocabulary) {
        int[] cps = text.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            if (!vocabulary.contains(cps[i])) {
                throw new UsageException("--prime: the character " + describe(cps[i]) + " at position " + i
                        + " never occurs in the model's training text (its vocabulary has " + vocabulary.size()
                        + " characters)", "Use only characters of the training text in --prime");
            }
        }
        return vocabulary.encode(cps);
    }
}
