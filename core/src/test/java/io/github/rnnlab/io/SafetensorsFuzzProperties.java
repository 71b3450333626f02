package io.github.rnnlab.io;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile input: random bytes, random JSON-like headers, and valid files truncated, bit-flipped, spliced, given
 * false lengths or edited in their JSON. Reading any of them (header and every tensor) either succeeds or throws
 * {@link SafetensorsException} — never another exception, an {@link OutOfMemoryError} or a hang (each file gets a
 * few seconds). Coverage checks make sure the mutations reach most of the rules (each one checked occurs
 * dozens of times in a run; the rarer SHAPE and METADATA outcomes are not required, to keep the check from flaking).
 */
class SafetensorsFuzzProperties {
    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("rnnlab-fuzz");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Property(tries = 4000)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void anyBytesAreReadOrRejectedWithTheDocumentedException(@ForAll("hostileFiles") byte[] file) {
        String outcome = assertTimeoutPreemptively(LIMIT, () -> readEverything(file, null));
        Statistics.collect(outcome);
        Statistics.coverage(c -> {
            for (String expected : List.of("ok", "HEADER_LENGTH", "HEADER_ENCODING", "HEADER_SYNTAX", "HEADER_STRUCTURE",
                    "DTYPE", "DATA_OFFSETS", "OVERLAP", "HOLE", "TRAILING_BYTES", "TRUNCATED")) {
                c.check(expected).count(n -> n > 0);
            }
        });
    }

    @Property(tries = 300)
    void filesOnDiskToo(@ForAll("hostileFiles") byte[] file) throws IOException {
        Path f = dir.resolve("fuzz.safetensors");
        Files.write(f, file);
        assertTimeoutPreemptively(LIMIT, () -> readEverything(file, f));
    }

    /** Opens and reads every tensor; returns "ok" or the problem's name; fails on anything else. */
    private static String readEverything(byte[] file, Path path) {
        try (SafetensorsReader r = path == null ? SafetensorsReader.of(file) : SafetensorsReader.open(path)) {
            r.metadata().forEach((k, v) -> assertNotNull(v));
            for (TensorInfo t : r.tensors()) {
                switch (t.dtype()) {
                    case F16, BF16, F32 -> {
                        r.readFloats(t.name());
                        r.readDoubles(t.name());
                    }
                    case F64 -> r.readDoubles(t.name());
                    case I32 -> {
                        r.readInts(t.name());
                        r.readLongs(t.name());
                    }
                    case I64 -> r.readLongs(t.name());
                }
            }
            return "ok";
        } catch (SafetensorsException e) {
            assertNotNull(e.problem());
            assertFalse(e.getMessage().isBlank());
            return e.problem().name();
        } catch (Throwable e) {
            fail("unexpected " + e + " for file " + HexFormat.of().formatHex(file, 0, Math.min(file.length, 400)), e);
            return null;
        }
    }

    @Provide
    Arbitrary<byte[]> hostileFiles() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
                Tuple.of(2, jsonLikeFiles()),
                Tuple.of(8, mutatedFiles()));
    }

    /** Headers assembled from JSON fragments, with a consistent length prefix and some data bytes. */
    private static Arbitrary<byte[]> jsonLikeFiles() {
        List<String> tokens = List.of("{", "}", "[", "]", ",", ":", "\"w\"", "\"b\"", "\"dtype\"", "\"shape\"",
                "\"data_offsets\"", "\"__metadata__\"", "\"F32\"", "\"F16\"", "\"I64\"", "\"U8\"", "0", "4", "8", "12",
                "-1", "1.5", "1e3", "18446744073709551616", "true", "null", " ", "\"\\u00e9\"", "\"\\ud800\"", "\"x");
        return Combinators.combine(Arbitraries.of(tokens).list().ofMaxSize(40), Arbitraries.integers().between(0, 24))
                .as((parts, data) -> RawFiles.file(String.join("", parts), data));
    }

    /** Valid files, then changed in one to three ways. */
    private static Arbitrary<byte[]> mutatedFiles() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 3))
                .as((seed, rounds) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    byte[] f = TensorSpec.file(TensorSpec.random(r, 4, 64), TensorSpec.randomMetadata(r));
                    for (int i = 0; i < rounds; i++) {
                        f = mutate(f, r);
                    }
                    return f;
                });
    }

    static byte[] mutate(byte[] f, SplittableRandom r) {
        int n = f.length;
        switch (r.nextInt(10)) {
            case 0 -> { // truncate
                return Arrays.copyOf(f, r.nextInt(n + 1));
            }
            case 1 -> { // flip bits in a few bytes
                byte[] g = f.clone();
                for (int k = 1 + r.nextInt(4); k > 0 && n > 0; k--) {
                    g[r.nextInt(n)] ^= (byte) (1 + r.nextInt(255));
                }
                return g;
            }
            case 2 -> { // a false length prefix: huge, random, or just off
                byte[] g = f.length < 8 ? Arrays.copyOf(f, 8) : f.clone();
                ByteBuffer b = ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN);
                long old = b.getLong(0);
                long v = switch (r.nextInt(4)) {
                    case 0 -> r.nextLong();
                    case 1 -> Long.MAX_VALUE - r.nextInt(16);
                    case 2 -> -1 - r.nextInt(16);
                    default -> old + r.nextInt(17) - 8;
                };
                b.putLong(0, v);
                return g;
            }
            case 3 -> { // append garbage
                byte[] g = Arrays.copyOf(f, n + 1 + r.nextInt(16));
                for (int i = n; i < g.length; i++) {
                    g[i] = (byte) r.nextInt(256);
                }
                return g;
            }
            case 4 -> { // delete a range
                if (n == 0) {
                    return f;
                }
                int from = r.nextInt(n);
                int to = Math.min(n, from + 1 + r.nextInt(16));
                byte[] g = new byte[n - (to - from)];
                System.arraycopy(f, 0, g, 0, from);
                System.arraycopy(f, to, g, from, n - to);
                return g;
            }
            case 5 -> { // duplicate a range
                if (n == 0) {
                    return f;
                }
                int from = r.nextInt(n);
                int len = Math.min(n - from, 1 + r.nextInt(16));
                byte[] g = new byte[n + len];
                System.arraycopy(f, 0, g, 0, from + len);
                System.arraycopy(f, from, g, from + len, n - from);
                return g;
            }
            case 6 -> { // move one tensor's data_offsets, keeping its length: overlaps, holes, running off the end
                return moveOffsets(f, r);
            }
            default -> { // edit the JSON text and fix up the length prefix, to get past the first checks
                return editHeader(f, r);
            }
        }
    }

    private static final Pattern OFFSETS = Pattern.compile("\"data_offsets\":\\[(\\d+),(\\d+)]");

    private static byte[] moveOffsets(byte[] f, SplittableRandom r) {
        if (f.length < 8) {
            return f;
        }
        long n = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (n < 0 || n > f.length - 8) {
            return f;
        }
        String json = new String(f, 8, (int) n, StandardCharsets.UTF_8);
        List<MatchResult> found = OFFSETS.matcher(json).results().toList();
        if (found.isEmpty()) {
            return f;
        }
        MatchResult m = found.get(r.nextInt(found.size()));
        long begin = Long.parseLong(m.group(1));
        long end = Long.parseLong(m.group(2));
        long delta = Math.max(-begin, r.nextInt(-16, 17));
        String moved = json.substring(0, m.start()) + "\"data_offsets\":[" + (begin + delta) + "," + (end + delta) + "]"
                + json.substring(m.end());
        return RawFiles.file(moved.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(f, 8 + (int) n, f.length));
    }

    private static byte[] editHeader(byte[] f, SplittableRandom r) {
        if (f.length < 8) {
            return f;
        }
        long n = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (n < 0 || n > f.length - 8) {
            return f;
        }
        String json = new String(f, 8, (int) n, StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOfRange(f, 8 + (int) n, f.length);
        StringBuilder s = new StringBuilder(json);
        if (s.length() == 0) {
            return f;
        }
        int at = r.nextInt(s.length());
        String[] inserts = {"0", "1", "9", "-", ",", "[", "]", "{", "}", "\"", ":", "e", ".", "99999999999999999999", " ",
                "\"F64\"", "\"BF16\"", "\"I32\"", "\"x\":1,"};
        switch (r.nextInt(4)) {
            case 0 -> s.setCharAt(at, Character.isDigit(s.charAt(at)) ? (char) ('0' + r.nextInt(10)) : s.charAt(at));
            case 1 -> s.insert(at, inserts[r.nextInt(inserts.length)]);
            case 2 -> s.deleteCharAt(at);
            default -> { // change a number to another plausible one
                int d = s.indexOf(",", at);
                if (d > 0 && d + 1 < s.length() && Character.isDigit(s.charAt(d + 1))) {
                    s.insert(d + 1, r.nextInt(3));
                }
            }
        }
        if (r.nextInt(3) == 0 && data.length > 0) {
            data = Arrays.copyOf(data, r.nextInt(data.length + 8));
        }
        return RawFiles.file(s.toString().getBytes(StandardCharsets.UTF_8), data);
    }

}
