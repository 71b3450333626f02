package io.github.rnnlab.cli;

import io.github.rnnlab.data.CorpusException;
import io.github.rnnlab.data.CorpusNotFoundException;
import io.github.rnnlab.data.EmptyCorpusException;
import io.github.rnnlab.data.MalformedCorpusException;
import io.github.rnnlab.data.TextCorpus;
import io.github.rnnlab.data.TextSplit;
import io.github.rnnlab.data.UnigramBaseline;
import io.github.rnnlab.data.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The text a character model trains on: the corpus, its vocabulary (every distinct character of the whole
 * text), the contiguous train/validation split, and the unigram baseline fitted on the training part.
 *
 * @param corpus     the text
 * @param key        how a checkpoint names it: {@value #EMBEDDED} or the file's absolute path
 * @param checksum   CRC-32C of the characters, so that a resumed run can tell the text changed
 * @param vocabulary the characters, sorted
 * @param split      train and validation ids
 * @param baseline   the unigram model of the training part
 */
record CharData(TextCorpus corpus, String key, String checksum, Vocabulary vocabulary, TextSplit split,
                UnigramBaseline baseline) {
    /** The key of the embedded corpus. */
    static final String EMBEDDED = "embedded:tinyshakespeare";

    /** The embedded corpus (tiny Shakespeare). */
    static CharData embedded(double validation) {
        return of(TextCorpus.embedded(), EMBEDDED, validation);
    }

    /**
     * The UTF-8 text in {@code file}, given by {@code option}.
     *
     * @throws CliException if it is missing, not a file, empty, not UTF-8, or too short to split
     */
    static CharData load(Path file, String option, double validation) {
        if (Files.isDirectory(file)) {
            throw new CliException(option + ": " + file + " is a folder, not a text file", "Give a UTF-8 text file to " + option);
        }
        TextCorpus corpus;
        try {
            corpus = TextCorpus.load(file);
        } catch (CorpusNotFoundException e) {
            throw new CliException(option + ": no such file: " + file, "Check the path given to " + option, e);
        } catch (EmptyCorpusException e) {
            throw new CliException(option + ": " + file + " is empty", "Give a file that contains text", e);
        } catch (MalformedCorpusException e) {
            throw new CliException(option + ": " + e.getMessage(),
                    "Give a UTF-8 text file (convert one with: iconv -f LATIN1 -t UTF-8 IN > OUT)", e);
        } catch (CorpusException e) {
            throw new CliException(option + ": " + e.getMessage(), "", e);
        }
        return of(corpus, file.toAbsolutePath().normalize().toString(), validation);
    }

    private static CharData of(TextCorpus corpus, String key, double validation) {
        int[] cps = corpus.codePoints();
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[4 * 4096];
        for (int i = 0; i < cps.length; i += 4096) {
            int n = Math.min(4096, cps.length - i);
            for (int j = 0; j < n; j++) {
                int c = cps[i + j];
                buf[4 * j] = (byte) c;
                buf[4 * j + 1] = (byte) (c >>> 8);
                buf[4 * j + 2] = (byte) (c >>> 16);
                buf[4 * j + 3] = (byte) (c >>> 24);
            }
            crc.update(buf, 0, 4 * n);
        }
        Vocabulary vocabulary = corpus.vocabulary();
        int[] ids = corpus.encode(vocabulary);
        int minimum = validation == 0 ? 2 : (int) Math.ceil(4 / validation);
        if (ids.length < minimum) {
            throw new CliException("the text " + corpus.source() + " is too short: " + ids.length + " characters, expected at least "
                    + minimum + " for a validation split of " + Format.percent(validation), "Give more text");
        }
        TextSplit split = TextSplit.lastFraction(ids, validation);
        UnigramBaseline baseline = UnigramBaseline.fit(split.train(), vocabulary.size());
        return new CharData(corpus, key, String.format(Locale.ROOT, "%08x", crc.getValue()), vocabulary, split, baseline);
    }

    /** How messages name the text: the file as given, or the embedded corpus's name. */
    String name() {
        return corpus.source();
    }

    /** The unigram loss on the validation part (infinite if it holds a character the training part lacks). */
    double baselineValidation() {
        return split.validationSize() == 0 ? Double.NaN : baseline.crossEntropy(split.validation());
    }
}
