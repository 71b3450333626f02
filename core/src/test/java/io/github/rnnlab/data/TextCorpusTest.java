package io.github.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCorpusTest {
    @TempDir
    Path dir;

    @Test
    void embeddedCorpusIsTinyShakespeare() {
        TextCorpus corpus = TextCorpus.embedded();
        assertEquals(1_115_394, corpus.length());
        assertEquals(65, corpus.vocabulary().size());
        assertEquals("First Citizen:", corpus.text().substring(0, 14));
        assertEquals(TextCorpus.EMBEDDED_NAME, corpus.source());
    }

    @Test
    void loadsFileAsCodePoints() throws IOException {
        // 'é' is 2 bytes, '€' 3 bytes, U+1F600 4 bytes and 2 UTF-16 chars: each must be one character.
        String text = "aé€\uD83D\uDE00\n";
        Path file = write("t.txt", text.getBytes(StandardCharsets.UTF_8));
        TextCorpus corpus = TextCorpus.load(file);
        assertEquals(5, corpus.length());
        assertArrayEquals(new int[] {'a', 0xE9, 0x20AC, 0x1F600, '\n'}, corpus.codePoints());
        assertEquals(text, corpus.text());
        assertEquals(0x1F600, corpus.codePointAt(3));
        assertEquals(file.toString(), corpus.source());
    }

    @Test
    void dropsLeadingByteOrderMarkOnly() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] bytes = concat(bom, "ab".getBytes(StandardCharsets.UTF_8), bom);
        TextCorpus corpus = TextCorpus.load(write("bom.txt", bytes));
        assertArrayEquals(new int[] {'a', 'b', 0xFEFF}, corpus.codePoints());
    }

    @Test
    void malformedUtf8NamesFileAndOffsetOfFirstBadSequence() throws IOException {
        // Valid multi-byte characters first, so the offset is in bytes, not characters: "aé" = 3 bytes.
        assertMalformedAt(concat("aé".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, 'b'}), 3, "0xFF");
        // A continuation byte without a lead byte.
        assertMalformedAt(new byte[] {'x', 'y', (byte) 0x80}, 2, "0x80");
        // Overlong encoding of '/' (C0 AF).
        assertMalformedAt(new byte[] {'a', (byte) 0xC0, (byte) 0xAF}, 1, "0xC0");
        // A UTF-16 surrogate encoded in UTF-8 (CESU-8), not allowed in UTF-8.
        assertMalformedAt(new byte[] {'a', 'b', (byte) 0xED, (byte) 0xA0, (byte) 0x80}, 2, "0xED");
        // Above U+10FFFF (F4 90 80 80 = U+110000).
        assertMalformedAt(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, 0, "0xF4");
        // A sequence cut off at the end of the file: "€" is E2 82 AC.
        MalformedCorpusException e = assertMalformedAt(new byte[] {'a', 'b', 'c', (byte) 0xE2, (byte) 0x82}, 3, "0xE2");
        assertTrue(e.getMessage().contains("end of the input"), e.getMessage());
        // A bad byte deep in a large valid file.
        byte[] big = "abc".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        big[123_457] = (byte) 0xFE;
        assertMalformedAt(big, 123_457, "0xFE");
    }

    @Test
    void emptyFileAndBomOnlyFileAreEmptyCorpora() throws IOException {
        Path empty = write("empty.txt", new byte[0]);
        EmptyCorpusException e = assertThrows(EmptyCorpusException.class, () -> TextCorpus.load(empty));
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
        assertEquals(empty.toString(), e.source());
        Path bomOnly = write("bom-only.txt", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        assertThrows(EmptyCorpusException.class, () -> TextCorpus.load(bomOnly));
        assertThrows(EmptyCorpusException.class, () -> TextCorpus.of("s", ""));
    }

    @Test
    void missingFileAndMissingResource() {
        Path missing = dir.resolve("nope.txt");
        CorpusNotFoundException e = assertThrows(CorpusNotFoundException.class, () -> TextCorpus.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertEquals(missing.toString(), e.source());
        assertThrows(CorpusNotFoundException.class, () -> TextCorpus.resource("/io/github/rnnlab/data/absent.txt", "absent"));
    }

    @Test
    void directoryIsAnUnreadableCorpus() {
        CorpusException e = assertThrows(CorpusException.class, () -> TextCorpus.load(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(!(e instanceof CorpusNotFoundException) && !(e instanceof EmptyCorpusException));
    }

    @Test
    void inMemoryTextRejectsUnpairedSurrogate() {
        MalformedCorpusException e = assertThrows(MalformedCorpusException.class, () -> TextCorpus.of("mem", "ab\uD800c"));
        assertEquals(2, e.byteOffset());
        assertEquals(4, TextCorpus.of("mem", "ab\uD83D\uDE00c").length());
    }

    @Test
    void encodeUsesVocabulary() {
        TextCorpus corpus = TextCorpus.of("mem", "abca");
        Vocabulary v = corpus.vocabulary();
        assertArrayEquals(new int[] {0, 1, 2, 0}, corpus.encode(v));
        assertThrows(UnknownCharacterException.class, () -> corpus.encode(Vocabulary.of("ab")));
    }

    private MalformedCorpusException assertMalformedAt(byte[] bytes, long offset, String byteText) throws IOException {
        Path file = write("bad" + offset + ".txt", bytes);
        MalformedCorpusException e = assertThrows(MalformedCorpusException.class, () -> TextCorpus.load(file));
        assertEquals(offset, e.byteOffset(), e.getMessage());
        assertEquals(file.toString(), e.source());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset " + offset), e.getMessage());
        assertTrue(e.getMessage().contains(byteText), e.getMessage());
        return e;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
