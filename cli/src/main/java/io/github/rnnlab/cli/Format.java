package io.github.rnnlab.cli;

import java.util.Locale;

/**
 * Numbers as the command line shows them: always with a decimal point (never the locale's comma), short
 * where space is scarce (progress lines) and exact where it is not (tables).
 */
public final class Format {
    private Format() {
    }

    /** An integer with thousands separators: {@code 1234567 -> "1,234,567"}. */
    public static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * A count in at most four significant characters with an SI suffix: {@code 950 -> "950"},
     * {@code 12345 -> "12.3k"}, {@code 4560000 -> "4.56M"}, {@code 7.2e9 -> "7.20G"}.
     */
    public static String compact(double n) {
        if (Double.isNaN(n)) {
            return "nan";
        }
        if (Double.isInfinite(n)) {
            return n > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(n);
        String[] suffixes = {"", "k", "M", "G", "T"};
        int i = 0;
        while (a >= 999.5 && i < suffixes.length - 1) {
            a /= 1000;
            i++;
        }
        String sign = n < 0 ? "-" : "";
        if (i == 0) {
            return sign + (a == Math.rint(a) ? String.valueOf((long) a) : String.format(Locale.ROOT, "%.3g", a));
        }
        String digits = a >= 99.95 ? String.format(Locale.ROOT, "%.0f", a)
                : a >= 9.995 ? String.format(Locale.ROOT, "%.1f", a)
                : String.format(Locale.ROOT, "%.2f", a);
        return sign + digits + suffixes[i];
    }

    /**
     * A loss or error in four significant digits, switching to scientific notation below 0.001 and from a
     * million: {@code 1.87345 -> "1.873"}, {@code 0.5 -> "0.5000"}, {@code 0.000123 -> "1.230e-04"},
     * {@code 0 -> "0"}.
     */
    public static String loss(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (x == 0) {
            return "0";
        }
        double a = Math.abs(x);
        if (a < 1e-3 || a >= 1e6) {
            return String.format(Locale.ROOT, "%.3e", x);
        }
        int magnitude = (int) Math.floor(Math.log10(a)) + 1; // digits before the point; 0 or less below 1
        int decimals = Math.max(0, 4 - magnitude);
        return String.format(Locale.ROOT, "%." + decimals + "f", x);
    }

    /**
     * A setting such as a learning rate, in at most three significant digits without trailing zeros:
     * {@code 0.006 -> "0.006"}, {@code 6e-4 -> "0.0006"}, {@code 1 -> "1"}, {@code 2.5e-5 -> "2.5e-05"}.
     */
    public static String setting(double x) {
        if (!Double.isFinite(x)) {
            return loss(x);
        }
        if (x != 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e6)) {
            String[] parts = String.format(Locale.ROOT, "%.2e", x).split("e");
            String mantissa = new java.math.BigDecimal(parts[0]).stripTrailingZeros().toPlainString();
            return mantissa + "e" + Integer.parseInt(parts[1]);
        }
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", x)).stripTrailingZeros().toPlainString();
    }

    /** A fixed number of decimals, with a decimal point: {@code fixed(0.5, 2) -> "0.50"}. */
    public static String fixed(double x, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", x);
    }

    /** A fraction as a percentage with one decimal: {@code 0.9876 -> "98.8%"}. */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    /**
     * A duration for people: {@code 0.25 s -> "0.25s"}, {@code 7.4 s -> "7.4s"}, {@code 65 s -> "1m05s"},
     * {@code 3725 s -> "1h02m"}, {@code 200000 s -> "2d07h"}. Negative or non-finite durations print as
     * {@code "--"} (an ETA that cannot be known yet).
     */
    public static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "--";
        }
        if (seconds < 1) {
            return String.format(Locale.ROOT, "%.2fs", seconds);
        }
        if (seconds < 10) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86400, (s % 86400) / 3600);
    }

    /** A size in bytes with a binary unit: {@code 512 -> "512 B"}, {@code 3 << 20 -> "3.0 MiB"}. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
