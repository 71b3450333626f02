package io.github.rnnlab.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a duration such as {@code 90s}, {@code 5m}, {@code 4m30s}, {@code 1h30m} or {@code 300} (seconds). */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern FORM = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+(?:\\.\\d+)?)s?)?");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        Matcher m = FORM.matcher(v);
        if (!v.isEmpty() && m.matches() && (m.group(1) != null || m.group(2) != null || m.group(3) != null)) {
            try {
                long hours = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
                long minutes = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
                double seconds = m.group(3) == null ? 0 : Double.parseDouble(m.group(3));
                if (m.group(3) != null && (m.group(1) != null || m.group(2) != null) && !v.endsWith("s")) {
                    throw new NumberFormatException("seconds need their 's' after hours or minutes");
                }
                Duration d = Duration.ofHours(hours).plusMinutes(minutes).plusMillis(Math.round(seconds * 1000));
                if (!d.isZero()) {
                    return d;
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // reported below
            }
        }
        throw new TypeConversionException("expected a positive duration such as 90s, 5m, 4m30s or 1h, got '" + value + "'");
    }
}
