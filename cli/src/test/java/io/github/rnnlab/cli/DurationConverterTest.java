package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
    @Test
    void readsSecondsMinutesHoursAndCombinations() {
        assertEquals(Duration.ofSeconds(90), DurationConverter.parse("90s"));
        assertEquals(Duration.ofSeconds(300), DurationConverter.parse("300"));
        assertEquals(Duration.ofMinutes(5), DurationConverter.parse("5m"));
        assertEquals(Duration.ofSeconds(270), DurationConverter.parse("4m30s"));
        assertEquals(Duration.ofMinutes(90), DurationConverter.parse("1h30m"));
        assertEquals(Duration.ofHours(2), DurationConverter.parse(" 2H "));
        assertEquals(Duration.ofMillis(1500), DurationConverter.parse("1.5s"));
    }

    @Test
    void rejectsWhatIsNotAPositiveDuration() {
        for (String bad : new String[] {"", "0", "0s", "soon", "5 minutes", "-5s", "1m30", "s", "m", "1d"}) {
            TypeConversionException e = assertThrows(TypeConversionException.class, () -> DurationConverter.parse(bad), bad);
            assertTrue(e.getMessage().contains("such as 90s, 5m, 4m30s or 1h, got '" + bad + "'"), e.getMessage());
        }
    }
}
