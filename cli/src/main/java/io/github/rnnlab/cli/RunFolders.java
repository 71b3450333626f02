package io.github.rnnlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The default output folders of the commands that write results: {@code runs/<prefix><date-time>}. */
final class RunFolders {
    private RunFolders() {
    }

    /**
     * A folder {@code runs/<prefix><yyyyMMdd-HHmmss>} that does not exist yet ({@code -2}, {@code -3}, … appended
     * when it does).
     */
    static Path next(String prefix) {
        String stamp = prefix + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        Path dir = Path.of("runs", stamp);
        for (int i = 2; Files.exists(dir); i++) {
            dir = Path.of("runs", stamp + "-" + i);
        }
        return dir;
    }
}
