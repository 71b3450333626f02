package io.github.rnnlab.io;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writing then reading gives back every tensor and metadata pair, bit for bit where the dtype allows. */
class SafetensorsRoundTripProperties {
    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("rnnlab-roundtrip");
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

    @Provide
    Arbitrary<List<TensorSpec>> tensors() {
        return TensorSpec.tensors(6);
    }

    @Provide
    Arbitrary<Map<String, String>> metadata() {
        return TensorSpec.metadata();
    }

    @Property(tries = 300)
    void bytesRoundTrip(@ForAll("tensors") List<TensorSpec> tensors, @ForAll("metadata") Map<String, String> metadata)
            throws IOException {
        byte[] file = TensorSpec.file(tensors, metadata);
        try (SafetensorsReader r = SafetensorsReader.of(file)) {
            check(r, tensors, metadata);
        }
    }

    @Property(tries = 60)
    void filesRoundTrip(@ForAll("tensors") List<TensorSpec> tensors, @ForAll("metadata") Map<String, String> metadata)
            throws IOException {
        Path f = dir.resolve("t.safetensors");
        SafetensorsWriter w = new SafetensorsWriter().metadata(metadata);
        tensors.forEach(t -> t.addTo(w));
        w.write(f);
        assertArrayEquals(w.toBytes(), Files.readAllBytes(f));
        assertEquals(w.fileLength(), Files.size(f));
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            check(r, tensors, metadata);
        }
    }

    /** The file does not depend on the order tensors and metadata were added in. */
    @Property(tries = 100)
    void layoutIsDeterministic(@ForAll("tensors") List<TensorSpec> tensors, @ForAll("metadata") Map<String, String> metadata,
                               @ForAll long seed) {
        List<TensorSpec> shuffled = new ArrayList<>(tensors);
        Collections.shuffle(shuffled, new Random(seed));
        List<Map.Entry<String, String>> pairs = new ArrayList<>(metadata.entrySet());
        Collections.shuffle(pairs, new Random(seed + 1));
        SafetensorsWriter w = new SafetensorsWriter();
        pairs.forEach(p -> w.metadata(p.getKey(), p.getValue()));
        shuffled.forEach(t -> t.addTo(w));
        assertArrayEquals(TensorSpec.file(tensors, metadata), w.toBytes());
    }

    /** The header is padded to 8 bytes and larger elements come first, so every tensor is aligned to its element size. */
    @Property(tries = 100)
    void tensorsAreAlignedAndOrdered(@ForAll("tensors") List<TensorSpec> tensors) {
        byte[] file = TensorSpec.file(tensors, Map.of());
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, n % 8);
        try (SafetensorsReader r = SafetensorsReader.of(file)) {
            TensorInfo previous = null;
            for (TensorInfo t : r.tensors()) {
                int size = t.dtype().byteSize();
                assertEquals(0, (8 + n + t.begin()) % size, t::toString);
                if (t.byteLength() == 0) {
                    continue; // empty tensors sort by offset alongside their neighbours
                }
                if (previous != null) {
                    int p = previous.dtype().byteSize();
                    assertTrue(size < p || size == p && previous.name().compareTo(t.name()) < 0, previous + " before " + t);
                }
                previous = t;
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static void check(SafetensorsReader r, List<TensorSpec> tensors, Map<String, String> metadata) throws IOException {
        assertEquals(metadata, r.metadata());
        assertEquals(tensors.size(), r.tensors().size());
        for (TensorSpec s : tensors) {
            TensorInfo t = r.tensor(s.name());
            assertEquals(s.dtype(), t.dtype(), s::toString);
            assertArrayEquals(s.shape(), t.intShape(), s::toString);
            switch (s.dtype()) {
                case F16, BF16 -> {
                    float[] expected = (float[]) s.data();
                    assertFloatBits(expected, r.readFloats(s.name()), s);
                    assertDoubleBits(widen(expected), r.readDoubles(s.name()), s);
                }
                case F32 -> {
                    float[] expected = s.fromDouble() ? narrow((double[]) s.data()) : (float[]) s.data();
                    assertFloatBits(expected, r.readFloats(s.name()), s);
                    assertDoubleBits(widen(expected), r.readDoubles(s.name()), s);
                }
                case F64 -> assertDoubleBits((double[]) s.data(), r.readDoubles(s.name()), s);
                case I32 -> {
                    int[] expected = (int[]) s.data();
                    assertArrayEquals(expected, r.readInts(s.name()), s::toString);
                    long[] wide = new long[expected.length];
                    for (int i = 0; i < wide.length; i++) {
                        wide[i] = expected[i];
                    }
                    assertArrayEquals(wide, r.readLongs(s.name()), s::toString);
                }
                case I64 -> assertArrayEquals((long[]) s.data(), r.readLongs(s.name()), s::toString);
            }
        }
    }

    private static float[] narrow(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    private static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** Bit-exact, except that a NaN only has to stay a NaN (payloads may change through half conversions). */
    private static void assertFloatBits(float[] expected, float[] actual, TensorSpec s) {
        assertEquals(expected.length, actual.length, s::toString);
        for (int i = 0; i < expected.length; i++) {
            int at = i;
            if (Float.isNaN(expected[i])) {
                assertTrue(Float.isNaN(actual[i]), () -> s + " element " + at);
            } else {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), () -> s + " element " + at);
            }
        }
    }

    private static void assertDoubleBits(double[] expected, double[] actual, TensorSpec s) {
        assertEquals(expected.length, actual.length, s::toString);
        for (int i = 0; i < expected.length; i++) {
            int at = i;
            if (Double.isNaN(expected[i])) {
                assertTrue(Double.isNaN(actual[i]), () -> s + " element " + at);
            } else {
                assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]), () -> s + " element " + at);
            }
        }
    }
}
