package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void columnsAlignLeftAndRightUnderAnUnderlinedHeader() {
        Table t = new Table(Table.Column.left("cell"), Table.Column.right("params"), Table.Column.left("source"));
        t.row("lstm", Format.grouped(68_608), "built-in");
        t.row("rnn_tanh", "17", "plugin: my-cells.jar");
        t.row("gru", Format.grouped(51_456), "built-in");
        assertEquals(List.of(
                "cell      params  source",
                "--------  ------  --------------------",
                "lstm      68,608  built-in",
                "rnn_tanh      17  plugin: my-cells.jar",
                "gru       51,456  built-in"), t.lines());
        assertEquals(3, t.size());
    }

    @Test
    void aHeaderWiderThanItsCellsSetsTheWidth() {
        Table t = new Table(Table.Column.right("max abs error"), Table.Column.left("ok"));
        t.row("1e-9", "pass");
        assertEquals(List.of("max abs error  ok", "-------------  ----", "         1e-9  pass"), t.lines());
    }

    @Test
    void withoutHeaderAndIndented() {
        Table t = Table.withoutHeader(Table.Column.left(""), Table.Column.left("")).indent("  ");
        t.row("java", "17");
        t.row("processors", "2");
        assertEquals(List.of("  java        17", "  processors  2"), t.lines());
    }

    @Test
    void widthsCountCodePointsAndCellsStayOnOneLine() {
        Table t = new Table(Table.Column.left("text"), Table.Column.right("n"));
        t.row("café", "1");
        t.row("a\nb", "22");
        t.row("𝔸𝔹", null);
        assertEquals(List.of("text   n", "----  --", "café   1", "a b   22", "𝔸𝔹"), t.lines());
    }

    @Test
    void printWritesTheLines() {
        Table t = new Table(Table.Column.left("a"));
        t.row("x");
        StringWriter s = new StringWriter();
        t.print(new PrintWriter(s));
        assertEquals(String.join(System.lineSeparator(), "a", "-", "x") + System.lineSeparator(), s.toString());
    }

    @Test
    void rowsMustHaveOneCellPerColumn() {
        Table t = new Table(Table.Column.left("a"), Table.Column.left("b"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
        assertEquals("expected 2 cells in a row, got 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, Table::new);
    }
}
