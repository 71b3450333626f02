package io.github.rnnlab.io;

import io.github.rnnlab.RnnlabException;
import io.github.rnnlab.io.SafetensorsException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import static io.github.rnnlab.io.RawFiles.entry;
import static io.github.rnnlab.io.RawFiles.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every validation rule of the reader, with the exact problem, tensor and message it reports. */
class SafetensorsValidationTest {

    private static void rejects(byte[] file, Problem problem, String tensor, String message) {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsReader.of(file));
        assertEquals(message, e.getMessage());
        assertEquals(problem, e.problem());
        assertEquals(Optional.ofNullable(tensor), e.tensor());
        assertInstanceOf(RnnlabException.class, e);
    }

    private static void rejects(String header, int data, Problem problem, String tensor, String message) {
        rejects(file(header, data), problem, tensor, message);
    }

    private static String one(String entry) {
        return "{" + entry + "}";
    }

    // --- the length prefix

    @Test
    void tooShortForTheLengthPrefix() {
        rejects(new byte[5], Problem.HEADER_LENGTH, null,
                "the file has 5 bytes; a safetensors file starts with an 8-byte header length");
        rejects(new byte[0], Problem.HEADER_LENGTH, null,
                "the file has 0 bytes; a safetensors file starts with an 8-byte header length");
    }

    @Test
    void headerLengthAboveTheLimit() {
        byte[] allOnes = new byte[16];
        Arrays.fill(allOnes, (byte) 0xff);
        rejects(allOnes, Problem.HEADER_LENGTH, null,
                "header length 18446744073709551615 exceeds the limit of 100000000 bytes");
        rejects(RawFiles.withPrefix(100_000_001L, new byte[4]), Problem.HEADER_LENGTH, null,
                "header length 100000001 exceeds the limit of 100000000 bytes");
    }

    @Test
    void headerLengthBeyondTheFile() {
        rejects(RawFiles.withPrefix(50, "{}".getBytes(StandardCharsets.US_ASCII)), Problem.HEADER_LENGTH, null,
                "header length 50 exceeds the file: only 2 bytes follow the length");
    }

    @Test
    void callerChosenHeaderLimit(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.safetensors");
        Files.write(f, file(one(entry("w", "F32", "[2]", 0, 8)), 8));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(f, 16));
        assertEquals("header length 54 exceeds the limit of 16 bytes", e.getMessage());
        try (SafetensorsReader r = SafetensorsReader.open(f, 54)) {
            assertEquals(1, r.tensors().size());
        }
    }

    // --- UTF-8

    @Test
    void invalidUtf8() {
        byte[] h = "{\"?\":1}".getBytes(StandardCharsets.US_ASCII);
        h[2] = (byte) 0xff;
        rejects(file(h, new byte[0]), Problem.HEADER_ENCODING, null,
                "header is not valid UTF-8: byte 0xff at byte 2 cannot start a character");
        byte[] overlong = {'{', '"', (byte) 0xc0, (byte) 0xaf, '"', ':', '1', '}'};
        rejects(file(overlong, new byte[0]), Problem.HEADER_ENCODING, null,
                "header is not valid UTF-8: byte 0xc0 at byte 2 cannot start a character");
        byte[] surrogate = {'{', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', ':', '1', '}'};
        rejects(file(surrogate, new byte[0]), Problem.HEADER_ENCODING, null,
                "header is not valid UTF-8: byte 0xa0 at byte 3 does not continue the sequence started at byte 2");
        byte[] aboveMax = {'{', '"', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"', ':', '1', '}'};
        rejects(file(aboveMax, new byte[0]), Problem.HEADER_ENCODING, null,
                "header is not valid UTF-8: byte 0x90 at byte 3 does not continue the sequence started at byte 2");
        byte[] cut = {'{', '}', ' ', (byte) 0xe2, (byte) 0x82};
        rejects(file(cut, new byte[0]), Problem.HEADER_ENCODING, null,
                "header is not valid UTF-8: the sequence starting at byte 3 is cut off by the end of the header");
    }

    @Test
    void validMultiByteUtf8NamesAreRead() throws Exception {
        String name = "gewicht_ü_€_𝔸";
        try (SafetensorsReader r = SafetensorsReader.of(file(one(entry(name, "F32", "[1]", 0, 4)), 4))) {
            assertEquals(name, r.tensors().get(0).name());
        }
    }

    // --- JSON syntax

    @Test
    void emptyHeader() {
        rejects("", 0, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 0: expected a value, got the end of the header");
    }

    @Test
    void trailingGarbage() {
        rejects("{} x", 0, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 3: expected nothing but whitespace after the JSON object, got 'x'");
        rejects("{}{}", 0, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 2: expected nothing but whitespace after the JSON object, got '{'");
        rejects("{}\0", 0, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 2: expected nothing but whitespace after the JSON object, got byte 0x00");
    }

    @Test
    void whitespacePaddingIsAccepted() throws Exception {
        try (SafetensorsReader r = SafetensorsReader.of(file(" \t\r\n{ \"w\" : { \"dtype\" : \"F32\" , \"shape\" : [ 1 ] ,"
                + " \"data_offsets\" : [ 0 , 4 ] } }      ", 4))) {
            assertEquals(1, r.tensors().size());
        }
    }

    @Test
    void trailingCommas() {
        rejects("{" + entry("w", "F32", "[1]", 0, 4) + ",}", 4, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 54: expected a string key, got '}'");
        rejects(one(entry("w", "F32", "[1,]", 0, 4)), 4, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 31: expected a value, got ']'");
    }

    @Test
    void missingSeparators() {
        rejects("{\"w\" {}}", 0, Problem.HEADER_SYNTAX, null, "header JSON at byte 5: expected ':', got '{'");
        rejects(one("\"w\":{\"dtype\":\"F32\" \"shape\":[1]}"), 0, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 20: expected ',' or '}', got '\"'");
        rejects(one(entry("w", "F32", "[1 2]", 0, 4)), 4, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 31: expected ',' or ']', got '2'");
    }

    @Test
    void numbersFollowTheGrammar() {
        rejects(one(entry("w", "F32", "[01]", 0, 4)), 4, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 30: a number may not have a leading zero, got '1'");
        rejects(one(entry("w", "F32", "[1.]", 0, 4)), 4, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 31: expected a digit after the decimal point, got ']'");
        rejects(one(entry("w", "F32", "[1e]", 0, 4)), 4, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 31: expected a digit in the exponent, got ']'");
        rejects(one(entry("w", "F32", "[-]", 0, 4)), 4, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 30: expected a digit, got ']'");
        rejects(one(entry("w", "F32", "[+1]", 0, 4)), 4, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 29: expected a value, got '+'");
    }

    @Test
    void literalsAreCheckedWhole() {
        rejects("{\"w\":tru}", 0, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 8: expected 'e' of the literal true, got '}'");
        rejects("{\"w\":nul", 0, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 8: expected 'l' of the literal null, got the end of the header");
        rejects("{\"w\":NaN}", 0, Problem.HEADER_SYNTAX, null, "header JSON at byte 5: expected a value, got 'N'");
    }

    @Test
    void stringsAreStrict() {
        rejects("{\"a\tb\":1}", 0, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 3: control characters in a string must be escaped, got byte 0x09");
        rejects("{\"a\\xb\":1}", 0, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 4: expected an escape character (one of \"\\/bfnrtu), got 'x'");
        rejects("{\"a\\u12g4\":1}", 0, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 7: expected a hex digit, got 'g'");
        rejects("{\"a\\udc00\":1}", 0, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 3: a low surrogate escape must follow a high one, got '\\'");
        rejects("{\"a\\ud800x\":1}", 0, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 3: a high surrogate escape must be followed by a low one, got '\\'");
        rejects("{\"a\\ud800\\u0041\":1}", 0, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 3: a high surrogate escape must be followed by a low one, got '\\'");
        rejects("{\"abc", 0, Problem.HEADER_SYNTAX, null,
                "header JSON at byte 1: the string starting here is not closed before the end of the header");
        rejects("{'w':1}", 0, Problem.HEADER_SYNTAX, null, "header JSON at byte 1: expected a string key, got '''");
        rejects("{/*c*/}", 0, Problem.HEADER_SYNTAX, null, "header JSON at byte 1: expected a string key, got '/'");
    }

    @Test
    void escapesDecode() throws Exception {
        String header = "{\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}";
        try (SafetensorsReader r = SafetensorsReader.of(file(header, 4))) {
            assertEquals("a\"\\/\b\f\n\r\té😀", r.tensors().get(0).name());
        }
    }

    @Test
    void deepNestingIsRejectedAtOnceWithoutRecursion() {
        String deep = "[".repeat(1_000_000);
        rejects("{\"w\":" + deep, 0, Problem.HEADER_STRUCTURE, "w",
                "tensor w: expected an object with dtype, shape and data_offsets, got an array");
        rejects("{\"__metadata__\":{\"k\":" + deep, 0, Problem.METADATA, null,
                "__metadata__ key \"k\": the value must be a string, got an array");
        rejects(one(entry("w", "F32", "[" + deep, 0, 4)), 4, Problem.SHAPE, "w",
                "tensor w: shape must hold non-negative integers, got an array");
        rejects(deep, 0, Problem.HEADER_STRUCTURE, null, "header must be a JSON object, got an array");
    }

    // --- structure

    @Test
    void topLevelMustBeAnObject() {
        rejects("[]", 0, Problem.HEADER_STRUCTURE, null, "header must be a JSON object, got an array");
        rejects("\"x\"", 0, Problem.HEADER_STRUCTURE, null, "header must be a JSON object, got a string");
        rejects("null", 0, Problem.HEADER_STRUCTURE, null, "header must be a JSON object, got null");
    }

    @Test
    void tensorEntryMustBeAnObject() {
        rejects("{\"w\":[0,4]}", 0, Problem.HEADER_STRUCTURE, "w",
                "tensor w: expected an object with dtype, shape and data_offsets, got an array");
        rejects("{\"w\":4}", 0, Problem.HEADER_STRUCTURE, "w",
                "tensor w: expected an object with dtype, shape and data_offsets, got a number");
    }

    @Test
    void unknownMissingAndRepeatedKeys() {
        rejects("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"strides\":[1]}}", 4,
                Problem.HEADER_STRUCTURE, "w", "tensor w: unexpected key \"strides\"; expected dtype, shape and data_offsets");
        rejects("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4,
                Problem.HEADER_STRUCTURE, "w", "tensor w: missing \"shape\"");
        rejects("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
                Problem.HEADER_STRUCTURE, "w", "tensor w: missing \"dtype\"");
        rejects("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4,
                Problem.HEADER_STRUCTURE, "w", "tensor w: missing \"data_offsets\"");
        rejects("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4,
                Problem.HEADER_STRUCTURE, "w", "tensor w: key \"dtype\" appears twice");
    }

    @Test
    void oddNamesAreQuotedInMessages() {
        rejects("{\"a b\\n\":{}}", 0, Problem.HEADER_STRUCTURE, "a b\n", "tensor \"a b\\n\": missing \"dtype\"");
        rejects("{\"\":{}}", 0, Problem.HEADER_STRUCTURE, "", "tensor \"\": missing \"dtype\"");
        String longName = "x".repeat(300);
        rejects("{\"" + longName + "\":{}}", 0, Problem.HEADER_STRUCTURE, longName,
                "tensor \"" + "x".repeat(120) + "\"…: missing \"dtype\"");
    }

    @Test
    void duplicateTensorNames() {
        rejects("{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 4, 8) + "}", 8,
                Problem.DUPLICATE_TENSOR, "w", "tensor w: the name appears twice in the header");
    }

    @Test
    void metadataRules() {
        rejects("{\"__metadata__\":[]}", 0, Problem.METADATA, null,
                "__metadata__ must be an object of string values, got an array");
        rejects("{\"__metadata__\":null}", 0, Problem.METADATA, null,
                "__metadata__ must be an object of string values, got null");
        rejects("{\"__metadata__\":{\"epoch\":3}}", 0, Problem.METADATA, null,
                "__metadata__ key \"epoch\": the value must be a string, got a number");
        rejects("{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}", 0, Problem.METADATA, null,
                "__metadata__ key \"k\" appears twice");
        rejects("{\"__metadata__\":{},\"__metadata__\":{}}", 0, Problem.METADATA, null, "__metadata__ appears twice");
    }

    @Test
    void metadataIsReadInFileOrderWherever_itAppears() throws Exception {
        String h = "{" + entry("w", "F32", "[1]", 0, 4) + ",\"__metadata__\":{\"z\":\"1\",\"a\":\"\\u00e9\",\"m\":\"\"}}";
        try (SafetensorsReader r = SafetensorsReader.of(file(h, 4))) {
            assertEquals("[z, a, m]", r.metadata().keySet().toString());
            assertEquals("é", r.metadata().get("a"));
            assertEquals("", r.metadata().get("m"));
        }
    }

    // --- dtype

    @Test
    void unsupportedDtypes() {
        rejects(one(entry("w", "U8", "[4]", 0, 4)), 4, Problem.DTYPE, "w",
                "tensor w: unsupported dtype \"U8\"; rnnlab reads F16, BF16, F32, F64, I32, I64");
        rejects(one(entry("w", "f32", "[1]", 0, 4)), 4, Problem.DTYPE, "w",
                "tensor w: unsupported dtype \"f32\"; rnnlab reads F16, BF16, F32, F64, I32, I64");
        rejects("{\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", 4, Problem.DTYPE, "w",
                "tensor w: dtype must be a string, got a number");
    }

    // --- shape

    @Test
    void shapeMustBeAnArrayOfNonNegativeIntegers() {
        rejects("{\"w\":{\"dtype\":\"F32\",\"shape\":4,\"data_offsets\":[0,16]}}", 16, Problem.SHAPE, "w",
                "tensor w: shape must be an array of non-negative integers, got a number");
        rejects(one(entry("w", "F32", "[-1]", 0, 4)), 4, Problem.SHAPE, "w",
                "tensor w: shape must hold integers in [0, 9223372036854775807], got -1");
        rejects(one(entry("w", "F32", "[-0]", 0, 0)), 0, Problem.SHAPE, "w",
                "tensor w: shape must hold integers in [0, 9223372036854775807], got -0");
        rejects(one(entry("w", "F32", "[2.0]", 0, 8)), 8, Problem.SHAPE, "w",
                "tensor w: shape must hold integers in [0, 9223372036854775807], got 2.0");
        rejects(one(entry("w", "F32", "[1e1]", 0, 40)), 40, Problem.SHAPE, "w",
                "tensor w: shape must hold integers in [0, 9223372036854775807], got 1e1");
        rejects(one(entry("w", "F32", "[9223372036854775808]", 0, 4)), 4, Problem.SHAPE, "w",
                "tensor w: shape must hold integers in [0, 9223372036854775807], got 9223372036854775808");
        rejects(one(entry("w", "F32", "[" + "9".repeat(60) + "]", 0, 4)), 4, Problem.SHAPE, "w",
                "tensor w: shape must hold integers in [0, 9223372036854775807], got " + "9".repeat(40) + "…");
        rejects(one(entry("w", "F32", "[\"2\"]", 0, 8)), 8, Problem.SHAPE, "w",
                "tensor w: shape must hold non-negative integers, got a string");
    }

    @Test
    void shapeRankIsBounded() throws Exception {
        String ones64 = "[" + "1,".repeat(63) + "1]";
        try (SafetensorsReader r = SafetensorsReader.of(file(one(entry("w", "F32", ones64, 0, 4)), 4))) {
            assertEquals(64, r.tensor("w").rank());
        }
        String ones65 = "[" + "1,".repeat(64) + "1]";
        rejects(one(entry("w", "F32", ones65, 0, 4)), 4, Problem.SHAPE, "w", "tensor w: shape has more than 64 dimensions");
    }

    @Test
    void elementCountMustNotOverflow() {
        rejects(one(entry("w", "F32", "[4294967296,4294967296]", 0, 4)), 4, Problem.SHAPE, "w",
                "tensor w: shape [4294967296, 4294967296] has more than 9223372036854775807 elements");
        rejects(one(entry("w", "F32", "[4611686018427387904]", 0, 4)), 4, Problem.SHAPE, "w",
                "tensor w: shape [4611686018427387904] of F32 needs more than 9223372036854775807 bytes");
    }

    @Test
    void aZeroDimensionMakesAnEmptyTensorWhateverTheOthers() throws Exception {
        String h = "{" + entry("e", "F64", "[9223372036854775807,0,9223372036854775807]", 0, 0) + ","
                + entry("w", "F32", "[1]", 0, 4) + "}";
        try (SafetensorsReader r = SafetensorsReader.of(file(h, 4))) {
            assertEquals(0, r.tensor("e").elementCount());
            assertEquals(0, r.readDoubles("e").length);
        }
    }

    // --- data_offsets

    @Test
    void offsetsMustBeTwoNonNegativeIntegers() {
        rejects("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":\"0-4\"}}", 4, Problem.DATA_OFFSETS, "w",
                "tensor w: data_offsets must be an array of two non-negative integers, got a string");
        rejects("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", 4, Problem.DATA_OFFSETS, "w",
                "tensor w: data_offsets must hold 2 integers, got 1");
        rejects("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4, Problem.DATA_OFFSETS, "w",
                "tensor w: data_offsets must hold 2 integers, got more");
        rejects(one(entry("w", "F32", "[1]", -4, 0)), 4, Problem.DATA_OFFSETS, "w",
                "tensor w: data_offsets must hold integers in [0, 9223372036854775807], got -4");
        rejects("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,null]}}", 4, Problem.DATA_OFFSETS, "w",
                "tensor w: data_offsets must hold non-negative integers, got null");
    }

    @Test
    void offsetsMustNotBeReversed() {
        rejects(one(entry("w", "F32", "[1]", 8, 4)), 8, Problem.DATA_OFFSETS, "w",
                "tensor w: data_offsets [8, 4] end before they begin");
    }

    @Test
    void offsetsMustMatchDtypeTimesShape() {
        rejects(one(entry("weight_ih_l0", "F32", "[6,4]", 0, 92)), 92, Problem.DATA_OFFSETS, "weight_ih_l0",
                "tensor weight_ih_l0: data_offsets [0, 92] span 92 bytes, expected 96 = 4 bytes (F32) × 24 elements (shape [6, 4])");
        rejects(one(entry("b", "BF16", "[3]", 0, 12)), 12, Problem.DATA_OFFSETS, "b",
                "tensor b: data_offsets [0, 12] span 12 bytes, expected 6 = 2 bytes (BF16) × 3 elements (shape [3])");
        rejects(one(entry("s", "F64", "[]", 0, 0)), 0, Problem.DATA_OFFSETS, "s",
                "tensor s: data_offsets [0, 0] span 0 bytes, expected 8 = 8 bytes (F64) × 1 elements (shape [])");
    }

    // --- tiling

    @Test
    void overlappingTensors() {
        rejects("{" + entry("a", "F32", "[24]", 0, 96) + "," + entry("b", "F32", "[4]", 90, 106) + "}", 106,
                Problem.OVERLAP, "b", "tensor b: data_offsets [90, 106] overlap tensor a's [0, 96]");
        rejects("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 0, 8) + "}", 8,
                Problem.OVERLAP, "b", "tensor b: data_offsets [0, 8] overlap tensor a's [0, 8]");
        // an empty tensor inside another one
        rejects("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("e", "F32", "[0]", 4, 4) + "}", 8,
                Problem.OVERLAP, "e", "tensor e: data_offsets [4, 4] overlap tensor a's [0, 8]");
    }

    @Test
    void holesBetweenTensorsOrAtTheStart() {
        rejects("{" + entry("a", "F32", "[24]", 0, 96) + "," + entry("b", "F32", "[1]", 100, 104) + "}", 104,
                Problem.HOLE, "b", "tensor b: data_offsets [100, 104] leave bytes [96, 100) of the data block unused after tensor a");
        rejects(one(entry("a", "F32", "[1]", 4, 8)), 8,
                Problem.HOLE, "a", "tensor a: data_offsets [4, 8] leave bytes [0, 4) of the data block unused at its start");
    }

    @Test
    void trailingBytes() {
        rejects(one(entry("a", "F32", "[1]", 0, 4)), 7, Problem.TRAILING_BYTES, null,
                "the data block has 7 bytes but the tensors cover only 4: 3 trailing bytes");
        rejects("{}", 1, Problem.TRAILING_BYTES, null,
                "the data block has 1 bytes but the tensors cover only 0: 1 trailing bytes");
    }

    @Test
    void truncatedData() {
        rejects("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F64", "[2]", 4, 20) + "}", 12,
                Problem.TRUNCATED, "b",
                "tensor b: data_offsets [4, 20] extend past the end of the data block, which has 12 bytes (truncated file?)");
        rejects(one(entry("a", "F32", "[1000000000000]", 0, 4000000000000L)), 0,
                Problem.TRUNCATED, "a",
                "tensor a: data_offsets [0, 4000000000000] extend past the end of the data block, which has 0 bytes (truncated file?)");
    }

    @Test
    void tensorsMayBeListedInAnyOrder() throws Exception {
        String h = "{" + entry("b", "F32", "[1]", 8, 12) + "," + entry("e", "I64", "[0]", 0, 0) + ","
                + entry("a", "F64", "[1]", 0, 8) + "}";
        try (SafetensorsReader r = SafetensorsReader.of(file(h, 12))) {
            assertEquals("[e, a, b]", r.names().toString());
        }
    }

    @Test
    void emptyHeaderObjectIsAValidFile() throws Exception {
        try (SafetensorsReader r = SafetensorsReader.of(file("{}", 0))) {
            assertEquals(0, r.tensors().size());
            assertEquals(0, r.metadata().size());
        }
    }
}
