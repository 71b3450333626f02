package io.github.rnnlab.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Plain-text tables (columns padded to their widest cell, numbers right-aligned) and CSV text. */
final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    TextTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("table row: expected " + header.size() + " cells, got " + cells.size());
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    /** The table as aligned text, a line of dashes under the header, each line ending in a newline. */
    String text() {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, width, false);
        for (int c = 0; c < width.length; c++) {
            sb.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        }
        sb.append('\n');
        for (List<String> r : rows) {
            line(sb, r, width, true);
        }
        return sb.toString();
    }

    /** The table as CSV (RFC 4180 quoting), header first. */
    String csv() {
        StringBuilder sb = new StringBuilder();
        csvLine(sb, header);
        for (List<String> r : rows) {
            csvLine(sb, r);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width, boolean alignNumbers) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String v = cells.get(c);
            String pad = " ".repeat(width[c] - v.length());
            l.append(c == 0 ? "" : "  ").append(alignNumbers && numeric(v) ? pad + v : v + pad);
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    static void csvLine(StringBuilder sb, List<String> cells) {
        for (int c = 0; c < cells.size(); c++) {
            String v = cells.get(c);
            if (v.contains(",") || v.contains("\"") || v.contains("\n")) {
                v = "\"" + v.replace("\"", "\"\"") + "\"";
            }
            sb.append(c == 0 ? "" : ",").append(v);
        }
        sb.append('\n');
    }

    private static boolean numeric(String v) {
        if (v.isEmpty()) {
            return false;
        }
        try {
            Double.parseDouble(v);
            return true;
        } catch (NumberFormatException e) {
            return v.equals("NaN") || v.equals("-");
        }
    }

    /**
     * A number with 4 significant digits (NaN as "-"), for tables: {@code 0.1564}, {@code 2.280}, whole numbers
     * from 1,000 to a million without an exponent ({@code 18180}), {@code 3.863e-16} and {@code 2.023e+06} beyond.
     */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        if (Math.abs(v) >= 1e3) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** A number for CSV: full precision ({@link Double#toString}), NaN as an empty field. */
    static String csvNum(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
