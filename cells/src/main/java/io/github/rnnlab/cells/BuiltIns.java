package io.github.rnnlab.cells;

/** What the built-in providers share. */
final class BuiltIns {
    /** The version every built-in cell reports; bump a cell's version when its numbers change. */
    static final String VERSION = "1.0.0";

    private BuiltIns() {
    }
}
