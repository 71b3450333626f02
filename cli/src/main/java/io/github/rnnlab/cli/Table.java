package io.github.rnnlab.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A text table with aligned columns, for {@code cells}, {@code check}, {@code compare} leaderboards and
 * {@code info}. Cells are strings, formatted by the caller ({@link Format}); numbers are usually
 * right-aligned, names left-aligned. Columns are separated by two spaces; a header, when there is one, is
 * underlined with dashes. Widths count code points, so accented text lines up (wide CJK characters do not).
 *
 * <pre>{@code
 * Table t = new Table(Table.Column.left("cell"), Table.Column.right("params"));
 * t.row("lstm", Format.grouped(68_608));
 * t.print(terminal.out());
 * }</pre>
 */
public final class Table {
    /** Where a column's text sits within its width. */
    public enum Align {
        LEFT,
        RIGHT
    }

    /** A column: its header (empty for none) and alignment. */
    public record Column(String header, Align align) {
        public Column {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(align, "align");
        }

        public static Column left(String header) {
            return new Column(header, Align.LEFT);
        }

        public static Column right(String header) {
            return new Column(header, Align.RIGHT);
        }
    }

    private final List<Column> columns;
    private final boolean header;
    private final List<String[]> rows = new ArrayList<>();
    private String indent = "";

    /** A table with a header line (the columns' names) and a dashed underline. */
    public Table(Column... columns) {
        this(true, columns);
    }

    private Table(boolean header, Column... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("expected at least one column, got 0");
        }
        this.columns = List.of(columns);
        this.header = header;
    }

    /** A table without a header line, e.g. the name/value pairs of {@code info}. */
    public static Table withoutHeader(Column... columns) {
        return new Table(false, columns);
    }

    /** Every rendered line starts with {@code indent}. */
    public Table indent(String indent) {
        this.indent = Objects.requireNonNull(indent, "indent");
        return this;
    }

    /**
     * Adds a row; it must have one cell per column. A null cell prints as empty; line breaks within a cell
     * become spaces (a table row is one line).
     *
     * @throws IllegalArgumentException if the number of cells is not the number of columns
     */
    public Table row(String... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("expected " + columns.size() + " cells in a row, got " + cells.length);
        }
        String[] copy = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            copy[i] = cells[i] == null ? "" : cells[i].replaceAll("\\R", " ");
        }
        rows.add(copy);
        return this;
    }

    /** The number of rows added (the header not counted). */
    public int size() {
        return rows.size();
    }

    /** The table as lines, without line terminators; trailing spaces are trimmed. */
    public List<String> lines() {
        int n = columns.size();
        int[] width = new int[n];
        for (int c = 0; c < n; c++) {
            width[c] = header ? length(columns.get(c).header()) : 0;
            for (String[] row : rows) {
                width[c] = Math.max(width[c], length(row[c]));
            }
        }
        List<String> out = new ArrayList<>(rows.size() + 2);
        if (header) {
            String[] names = new String[n];
            String[] rules = new String[n];
            for (int c = 0; c < n; c++) {
                names[c] = columns.get(c).header();
                rules[c] = "-".repeat(width[c]);
            }
            out.add(line(names, width));
            out.add(line(rules, width));
        }
        for (String[] row : rows) {
            out.add(line(row, width));
        }
        return out;
    }

    /** Prints {@link #lines()} to {@code out} and flushes it. */
    public void print(PrintWriter out) {
        for (String line : lines()) {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public String toString() {
        return String.join(System.lineSeparator(), lines());
    }

    private String line(String[] cells, int[] width) {
        StringBuilder sb = new StringBuilder(indent);
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                sb.append("  ");
            }
            String pad = " ".repeat(width[c] - length(cells[c]));
            if (columns.get(c).align() == Align.RIGHT) {
                sb.append(pad).append(cells[c]);
            } else {
                sb.append(cells[c]).append(pad);
            }
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        return sb.toString();
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
