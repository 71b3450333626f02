package io.github.rnnlab.cli;

import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.checkpoint.CheckpointException;
import io.github.rnnlab.data.CorpusNotFoundException;
import io.github.rnnlab.data.EmptyCorpusException;
import io.github.rnnlab.data.MalformedCorpusException;
import io.github.rnnlab.data.NotEnoughTokensException;
import io.github.rnnlab.interop.StateDictException;
import io.github.rnnlab.io.SafetensorsException;
import io.github.rnnlab.task.UnknownTaskException;
import java.util.List;

/**
 * What the user can do about the library's own exceptions, which say what is wrong but not what to do (the
 * library does not know which option the value came from). The error path looks an exception up here, most
 * specific class first, when it is not a {@link CliException} that carries its own remedy.
 *
 * <p>A command that knows better — which option named the file, say — catches the library exception and
 * throws a {@link CliException} with its own remedy instead.
 */
final class Remedies {
    /** A remedy and exit code for one exception class and its subclasses. */
    record Entry(Class<? extends Throwable> type, String remedy, int exitCode) {
    }

    /** Most specific classes first: the first entry whose type matches wins. */
    private static final List<Entry> ENTRIES = List.of(
            new Entry(MalformedCorpusException.class,
                    "Give a UTF-8 text file (convert one with: iconv -f LATIN1 -t UTF-8 IN > OUT)", ExitCodes.FAILURE),
            new Entry(EmptyCorpusException.class, "Give a file that contains text", ExitCodes.FAILURE),
            new Entry(CorpusNotFoundException.class, "Check the path given to --data", ExitCodes.FAILURE),
            new Entry(NotEnoughTokensException.class,
                    "Use a shorter --seq-len or a smaller --batch, or give more text", ExitCodes.FAILURE),
            new Entry(UnknownTaskException.class, "", ExitCodes.USAGE),
            new Entry(CellRegistry.PluginFolderException.class,
                    "Check the folders given to --plugins and in " + Cells.ENV, ExitCodes.FAILURE),
            new Entry(CellRegistry.UnknownCellException.class,
                    "See 'rnnlab cells'; plugins go in --plugins DIR or " + Cells.ENV, ExitCodes.FAILURE),
            new Entry(CheckpointException.class, "Give a checkpoint written by 'rnnlab train'", ExitCodes.FAILURE),
            new Entry(StateDictException.class,
                    "Check that --model is the module's state_dict and --input holds its input, see 'rnnlab forward --help'",
                    ExitCodes.FAILURE),
            new Entry(SafetensorsException.class,
                    "The file is damaged or is not an rnnlab checkpoint; give another one", ExitCodes.FAILURE));

    private Remedies() {
    }

    /** The entry for {@code error}, or null when nothing specific is known. */
    static Entry find(Throwable error) {
        for (Entry e : ENTRIES) {
            if (e.type().isInstance(error)) {
                return e;
            }
        }
        return null;
    }
}
