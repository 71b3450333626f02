package io.github.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class VocabularyTest {
    @Test
    void idsFollowSortedCodePoints() {
        Vocabulary v = Vocabulary.of("hello, world\n");
        // distinct sorted: '\n' ' ' ',' 'd' 'e' 'h' 'l' 'o' 'r' 'w'
        assertArrayEquals(new int[] {'\n', ' ', ',', 'd', 'e', 'h', 'l', 'o', 'r', 'w'}, v.codePoints());
        assertEquals(10, v.size());
        assertEquals(0, v.id('\n'));
        assertEquals(9, v.id('w'));
        assertEquals('l', v.codePoint(6));
        assertArrayEquals(new int[] {5, 4, 6, 6, 7}, v.encode("hello"));
        assertEquals("world", v.decode(v.encode("world")));
        assertEquals("or", v.decode(v.encode("world"), 1, 2));
    }

    @Test
    void supplementaryCharactersUseTheSearchPath() {
        String text = "a\uD83D\uDE00b\uD835\uDC00\uFFFD";
        Vocabulary v = Vocabulary.of(text);
        assertArrayEquals(new int[] {'a', 'b', 0xFFFD, 0x1D400, 0x1F600}, v.codePoints());
        assertEquals(4, v.id(0x1F600));
        assertEquals(3, v.id(0x1D400));
        assertFalse(v.contains(0x1F601));
        assertFalse(v.contains(-1));
        assertFalse(v.contains('c'));
        assertEquals(text, v.decode(v.encode(text)));
    }

    @Test
    void unknownCharacterNamesCharacterAndIndex() {
        Vocabulary v = Vocabulary.of("abc");
        UnknownCharacterException e = assertThrows(UnknownCharacterException.class, () -> v.encode("abxc"));
        assertEquals('x', e.codePoint());
        assertEquals(2, e.index());
        assertTrue(e.getMessage().contains("'x' (U+0078) at index 2"), e.getMessage());
        assertTrue(e.getMessage().contains("expected one of its 3 characters"), e.getMessage());
        UnknownCharacterException nl = assertThrows(UnknownCharacterException.class, () -> v.id('\n'));
        assertTrue(nl.getMessage().contains("U+000A"), nl.getMessage());
        assertEquals(-1, nl.index());
        assertThrows(IndexOutOfBoundsException.class, () -> v.codePoint(3));
        assertThrows(IndexOutOfBoundsException.class, () -> v.decode(new int[] {0, -1}));
    }

    @Test
    void serialisedFormIsDocumentedFormat() {
        Vocabulary v = Vocabulary.of("A! \n");
        assertEquals("codepoints-v1:a,20,21,41", v.serialize());
        assertEquals(v, Vocabulary.parse("codepoints-v1:a,20,21,41"));
        assertEquals(Vocabulary.of("\uD83D\uDE00x"), Vocabulary.parse("codepoints-v1:78,1f600"));
    }

    @Test
    void embeddedCorpusVocabularyRoundTrips() {
        Vocabulary v = TextCorpus.embedded().vocabulary();
        Vocabulary back = Vocabulary.parse(v.serialize());
        assertEquals(v, back);
        assertEquals(v.hashCode(), back.hashCode());
        assertNotEquals(v, Vocabulary.of("abc"));
    }

    @Test
    void malformedSerialisedFormsAreRejected() {
        assertParseError("chars:61,62", "expected prefix");
        assertParseError("codepoints-v1:", "expected at least 1 code point, got 0");
        assertParseError("codepoints-v1:61,,62", "field 1");
        assertParseError("codepoints-v1:61,4A", "got \"4A\"");
        assertParseError("codepoints-v1:61, 62", "field 1");
        assertParseError("codepoints-v1:62,61", "strictly ascending");
        assertParseError("codepoints-v1:61,61", "strictly ascending");
        assertParseError("codepoints-v1:d800", "Unicode scalar value");
        assertParseError("codepoints-v1:110000", "Unicode scalar value");
        assertParseError("codepoints-v1:1000000", "1 to 6");
        assertParseError("codepoints-v1:61,", "field 1");
    }

    @Test
    void ofRejectsNonScalarValues() {
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(new int[] {'a', 0xD800}));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(new int[] {0x110000}));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(new int[] {-5}));
    }

    @Property(tries = 200)
    void serialiseAndCodecRoundTrip(@ForAll @StringLength(min = 1, max = 60) String text) {
        // jqwik strings may hold lone surrogates; keep only well-formed text.
        String clean = text.codePoints().filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        if (clean.isEmpty()) {
            return;
        }
        Vocabulary v = Vocabulary.of(clean);
        assertEquals(v, Vocabulary.parse(v.serialize()));
        int[] ids = v.encode(clean);
        assertEquals(clean, v.decode(ids));
        for (int id : ids) {
            assertTrue(id >= 0 && id < v.size());
        }
        int[] cps = v.codePoints();
        for (int i = 1; i < cps.length; i++) {
            assertTrue(cps[i] > cps[i - 1]);
        }
        assertEquals(clean.codePoints().distinct().count(), v.size());
    }

    private static void assertParseError(String s, String fragment) {
        VocabularyFormatException e = assertThrows(VocabularyFormatException.class, () -> Vocabulary.parse(s));
        assertTrue(e.getMessage().contains(fragment), () -> "\"" + e.getMessage() + "\" lacks \"" + fragment + "\"");
    }
}
