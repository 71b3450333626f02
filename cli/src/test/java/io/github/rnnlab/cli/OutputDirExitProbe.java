package io.github.rnnlab.cli;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link OutputDirTest}: opens an output folder, writes a file, optionally commits, and
 * exits the JVM without closing the folder — as Ctrl-C would end a training run.
 */
public final class OutputDirExitProbe {
    private OutputDirExitProbe() {
    }

    public static void main(String[] args) {
        OutputDir dir = OutputDir.open(Path.of(args[0]), "--out");
        dir.writeString("checkpoint.txt", "step 100\n");
        if (args.length > 1 && args[1].equals("commit")) {
            dir.commit();
        }
        System.exit(130);
    }
}
