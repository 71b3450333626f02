package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class FormatTest {
    @Test
    void grouped() {
        assertEquals("0", Format.grouped(0));
        assertEquals("999", Format.grouped(999));
        assertEquals("1,234,567", Format.grouped(1_234_567));
        assertEquals("-1,000", Format.grouped(-1000));
    }

    @Test
    void compact() {
        assertEquals("0", Format.compact(0));
        assertEquals("950", Format.compact(950));
        assertEquals("12.5", Format.compact(12.5));
        assertEquals("1.00k", Format.compact(999.7));
        assertEquals("12.3k", Format.compact(12_345));
        assertEquals("123k", Format.compact(123_456));
        assertEquals("4.56M", Format.compact(4_560_000));
        assertEquals("7.20G", Format.compact(7.2e9));
        assertEquals("-2.50k", Format.compact(-2500));
        assertEquals("nan", Format.compact(Double.NaN));
        assertEquals("inf", Format.compact(Double.POSITIVE_INFINITY));
    }

    @Test
    void loss() {
        assertEquals("1.873", Format.loss(1.87345));
        assertEquals("4.174", Format.loss(4.17439));
        assertEquals("12.35", Format.loss(12.3456));
        assertEquals("0.5000", Format.loss(0.5));
        assertEquals("0.01230", Format.loss(0.0123));
        assertEquals("1.230e-04", Format.loss(0.000123));
        assertEquals("0", Format.loss(0));
        assertEquals("-1.500", Format.loss(-1.5));
        assertEquals("nan", Format.loss(Double.NaN));
        assertEquals("inf", Format.loss(Double.POSITIVE_INFINITY));
    }

    @Test
    void duration() {
        assertEquals("0.25s", Format.duration(0.25));
        assertEquals("7.4s", Format.duration(7.4));
        assertEquals("42s", Format.duration(42.2));
        assertEquals("1m05s", Format.duration(65));
        assertEquals("59m59s", Format.duration(3599));
        assertEquals("1h02m", Format.duration(3725));
        assertEquals("2d07h", Format.duration(2 * 86400 + 7 * 3600 + 5));
        assertEquals("--", Format.duration(Double.NaN));
        assertEquals("--", Format.duration(-1));
        assertEquals("--", Format.duration(Double.POSITIVE_INFINITY));
    }

    @Test
    void bytesAndPercentAndFixed() {
        assertEquals("512 B", Format.bytes(512));
        assertEquals("1.0 KiB", Format.bytes(1024));
        assertEquals("3.0 MiB", Format.bytes(3L << 20));
        assertEquals("5.9 GiB", Format.bytes((long) (5.9 * (1L << 30))));
        assertEquals("98.8%", Format.percent(0.9876));
        assertEquals("0.50", Format.fixed(0.5, 2));
    }

    @Test
    void settingsInThreeSignificantDigitsWithoutTrailingZeros() {
        assertEquals("0.006", Format.setting(0.006));
        assertEquals("0.0006", Format.setting(6e-4));
        assertEquals("1", Format.setting(1.0));
        assertEquals("0.123", Format.setting(0.12345));
        assertEquals("250", Format.setting(250));
        assertEquals("2.5e-5", Format.setting(2.5e-5));
        assertEquals("0", Format.setting(0));
    }

    @Test
    void aDecimalCommaLocaleDoesNotLeakIn() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("1.873", Format.loss(1.87345));
            assertEquals("12.3k", Format.compact(12_345));
            assertEquals("1,234", Format.grouped(1234));
            assertEquals("7.4s", Format.duration(7.4));
        } finally {
            Locale.setDefault(saved);
        }
    }
}
