package io.github.rnnlab.data;

import io.github.rnnlab.RnnlabException;

/**
 * A text corpus could not be loaded. The subclasses name the specific problem (missing, empty,
 * malformed UTF-8); this class itself reports other I/O failures (a directory, no permission).
 */
public class CorpusException extends RnnlabException {
    public CorpusException(String message) {
        super(message);
    }

    public CorpusException(String message, Throwable cause) {
        super(message, cause);
    }
}
