package io.github.rnnlab.io;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pull parser on its own: number classification, the container stack bound, string decoding. */
class JsonCursorTest {

    private static JsonCursor of(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        JsonCursor.checkUtf8(b);
        return new JsonCursor(b);
    }

    private static JsonCursor.Number number(String literal) {
        JsonCursor c = of(literal);
        JsonCursor.Number n = c.nextNumber();
        c.endDocument();
        return n;
    }

    @Test
    void numbersAreClassified() {
        assertEquals(new JsonCursor.Number("0", 0, true), number("0"));
        assertEquals(new JsonCursor.Number("9223372036854775807", Long.MAX_VALUE, true), number("9223372036854775807"));
        assertFalse(number("9223372036854775808").isNonNegativeLong());
        assertFalse(number("-0").isNonNegativeLong());
        assertFalse(number("-5").isNonNegativeLong());
        assertFalse(number("1.5").isNonNegativeLong());
        assertFalse(number("1E+2").isNonNegativeLong());
        assertFalse(number("0e0").isNonNegativeLong());
        assertEquals("12.5e-3", number("12.5e-3").text());
    }

    @Test
    void containersNestAtMostEightDeep() {
        JsonCursor c = of("[".repeat(9));
        for (int i = 0; i < 8; i++) {
            c.beginArray();
            if (i < 7) {
                assertTrue(c.hasNextElement());
            }
        }
        assertTrue(c.hasNextElement());
        SafetensorsException e = assertThrows(SafetensorsException.class, c::beginArray);
        assertEquals("header JSON at byte 9: nesting deeper than 8 levels, got the end of the header", e.getMessage());
    }

    @Test
    void objectsAndArraysIterate() {
        JsonCursor c = of(" { \"a\" : [ 1 , 2 ] , \"b\" : \"x\" } ");
        c.beginObject();
        assertTrue(c.hasNextMember());
        assertEquals("a", c.nextName());
        assertEquals(JsonCursor.Kind.ARRAY, c.peek());
        c.beginArray();
        assertTrue(c.hasNextElement());
        assertEquals(1, c.nextNumber().value());
        assertTrue(c.hasNextElement());
        assertEquals(2, c.nextNumber().value());
        assertFalse(c.hasNextElement());
        assertTrue(c.hasNextMember());
        assertEquals("b", c.nextName());
        assertEquals("x", c.nextString());
        assertFalse(c.hasNextMember());
        c.endDocument();
    }

    @Test
    void longStringsWithEscapesBetweenRunsDecode() {
        String run = "αβγ".repeat(1000);
        JsonCursor c = of("\"" + run + "\\n" + run + "\\u0041\\\\" + run + "\"");
        assertEquals(run + "\n" + run + "A\\" + run, c.nextString());
        c.endDocument();
    }

    @Test
    void emptyContainersAndStrings() {
        JsonCursor c = of("{\"\":[]}");
        c.beginObject();
        assertTrue(c.hasNextMember());
        assertEquals("", c.nextName());
        c.beginArray();
        assertFalse(c.hasNextElement());
        assertFalse(c.hasNextMember());
        c.endDocument();
    }
}
