package io.github.rnnlab.io;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.io.SafetensorsException.Problem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import static io.github.rnnlab.io.RawFiles.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsReaderTest {

    private static byte[] sample() {
        return new SafetensorsWriter()
                .metadata("cell", "lstm")
                .add("f32", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})
                .add("f64", new int[] {2}, new double[] {0.1, -0.2})
                .add("f16", DType.F16, new int[] {2}, new float[] {0.5f, -2f}, 0)
                .add("bf16", DType.BF16, new int[] {1}, new float[] {3f}, 0)
                .add("i32", new int[] {3}, new int[] {1, -2, Integer.MIN_VALUE})
                .add("i64", new int[] {1}, new long[] {Long.MAX_VALUE})
                .toBytes();
    }

    @Test
    void readsEveryDtypeIntoItsArrays() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.of(sample())) {
            assertEquals(Map.of("cell", "lstm"), r.metadata());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, r.readFloats("f32"));
            assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, r.readDoubles("f32"));
            assertArrayEquals(new double[] {0.1, -0.2}, r.readDoubles("f64"));
            assertArrayEquals(new float[] {0.5f, -2f}, r.readFloats("f16"));
            assertArrayEquals(new double[] {0.5, -2}, r.readDoubles("f16"));
            assertArrayEquals(new float[] {3f}, r.readFloats("bf16"));
            assertArrayEquals(new int[] {1, -2, Integer.MIN_VALUE}, r.readInts("i32"));
            assertArrayEquals(new long[] {1, -2, Integer.MIN_VALUE}, r.readLongs("i32"));
            assertArrayEquals(new long[] {Long.MAX_VALUE}, r.readLongs("i64"));
            TensorInfo t = r.tensor("f32");
            assertArrayEquals(new long[] {2, 3}, t.shape());
            assertArrayEquals(new int[] {2, 3}, t.intShape());
            assertTrue(t.hasShape(2, 3));
            assertFalse(t.hasShape(3, 2));
            assertFalse(t.hasShape(6));
            assertEquals(6, t.elementCount());
            assertEquals(24, t.byteLength());
            assertTrue(r.contains("i64"));
            assertFalse(r.contains("nope"));
            assertTrue(r.find("nope").isEmpty());
        }
    }

    @Test
    void tensorInfoIsImmutable() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.of(sample())) {
            TensorInfo t = r.tensor("f32");
            t.shape()[0] = 99;
            assertEquals(2, t.dim(0));
            long[] shape = {4};
            TensorInfo u = new TensorInfo("u", DType.F32, shape, 0, 16);
            shape[0] = 5;
            assertEquals(4, u.dim(0));
            assertEquals(new TensorInfo("u", DType.F32, new long[] {4}, 0, 16), u);
            assertNotEquals(new TensorInfo("u", DType.F32, new long[] {2, 2}, 0, 16), u);
            assertEquals("u F32 [4] [0, 16)", u.toString());
        }
    }

    @Test
    void valuesAreNeverNarrowedSilently() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.of(sample())) {
            mismatch(() -> r.readFloats("f64"), "f64", "tensor f64: dtype F64 cannot be read as float[], which takes F32, F16 or BF16");
            mismatch(() -> r.readFloats("i32"), "i32", "tensor i32: dtype I32 cannot be read as float[], which takes F32, F16 or BF16");
            mismatch(() -> r.readDoubles("i64"), "i64", "tensor i64: dtype I64 cannot be read as double[], which takes F64, F32, F16 or BF16");
            mismatch(() -> r.readInts("i64"), "i64", "tensor i64: dtype I64 cannot be read as int[], which takes I32");
            mismatch(() -> r.readLongs("f32"), "f32", "tensor f32: dtype F32 cannot be read as long[], which takes I64 or I32");
            mismatch(() -> r.readFloats("f64", new float[2], 0), "f64",
                    "tensor f64: dtype F64 cannot be read as float[], which takes F32, F16 or BF16");
        }
    }

    private interface Read {
        void run() throws IOException;
    }

    private static void mismatch(Read read, String tensor, String message) {
        SafetensorsException e = assertThrows(SafetensorsException.class, read::run);
        assertEquals(Problem.DTYPE_MISMATCH, e.problem());
        assertEquals(tensor, e.tensor().orElseThrow());
        assertEquals(message, e.getMessage());
    }

    @Test
    void missingTensorsNameWhatTheFileHas() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.of(sample())) {
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> r.readFloats("weight_ih_l0"));
            assertEquals(Problem.NOT_FOUND, e.problem());
            assertEquals("tensor weight_ih_l0: no such tensor; the file has f64, i64, f32, i32, bf16, f16", e.getMessage());
        }
        try (SafetensorsReader r = SafetensorsReader.of(RawFiles.file("{}", 0))) {
            assertEquals("tensor w: no such tensor; the file has none",
                    assertThrows(SafetensorsException.class, () -> r.tensor("w")).getMessage());
        }
        SafetensorsWriter w = new SafetensorsWriter();
        for (int i = 0; i < 25; i++) {
            w.add("t" + (char) ('a' + i), new int[] {0}, new float[0]);
        }
        try (SafetensorsReader r = SafetensorsReader.of(w.toBytes())) {
            String m = assertThrows(SafetensorsException.class, () -> r.tensor("w")).getMessage();
            assertTrue(m.endsWith(", tt, … (25 in all)"), m);
        }
    }

    @Test
    void readsIntoARegionOfTheCallersArray() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.of(sample())) {
            float[] dst = new float[10];
            java.util.Arrays.fill(dst, -1);
            r.readFloats("f32", dst, 3);
            assertArrayEquals(new float[] {-1, -1, -1, 1, 2, 3, 4, 5, 6, -1}, dst);
            double[] d = new double[4];
            r.readDoubles("f16", d, 2);
            assertArrayEquals(new double[] {0, 0, 0.5, -2}, d);
            ShapeException e = assertThrows(ShapeException.class, () -> r.readFloats("f32", new float[8], 3));
            assertEquals("tensor f32 into float[]: expected 6 elements from offset 3, got an array of 8", e.getMessage());
            assertThrows(ShapeException.class, () -> r.readDoubles("f64", new double[2], -1));
        }
    }

    /** Tensors larger than the read buffer, of odd sizes, come back whole from bytes and from a file. */
    @Test
    void largeTensorsAreReadInChunks(@TempDir Path dir) throws IOException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        float[] a = new float[100_003];
        double[] b = new double[20_001];
        float[] h = new float[70_001];
        long[] l = new long[9_999];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < h.length; i++) {
            h[i] = HalfFloats.f16ToFloat((short) rnd.nextInt(0x7c00));
        }
        for (int i = 0; i < l.length; i++) {
            l[i] = rnd.nextLong();
        }
        SafetensorsWriter w = new SafetensorsWriter()
                .add("a", new int[] {100_003}, a)
                .add("b", new int[] {3, 6667}, b)
                .add("h", DType.F16, new int[] {70_001}, h, 0)
                .add("l", new int[] {9_999}, l);
        Path f = dir.resolve("big.safetensors");
        w.write(f);
        for (SafetensorsReader r : new SafetensorsReader[] {SafetensorsReader.of(w.toBytes()), SafetensorsReader.open(f)}) {
            try (r) {
                assertArrayEquals(a, r.readFloats("a"));
                assertArrayEquals(b, r.readDoubles("b"));
                assertArrayEquals(h, r.readFloats("h"));
                assertArrayEquals(l, r.readLongs("l"));
            }
        }
    }

    @Test
    void fileProblems(@TempDir Path dir) throws IOException {
        assertThrows(NoSuchFileException.class, () -> SafetensorsReader.open(dir.resolve("missing.safetensors")));
        Path f = dir.resolve("t.safetensors");
        float[] data = new float[1000];
        new SafetensorsWriter().add("w", new int[] {1000}, data).write(f);

        SafetensorsReader r = SafetensorsReader.open(f);
        r.close();
        assertThrows(ClosedChannelException.class, () -> r.readFloats("w"));

        try (SafetensorsReader r2 = SafetensorsReader.open(f);
             FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
            c.truncate(1000);
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> r2.readFloats("w"));
            assertEquals(Problem.TRUNCATED, e.problem());
            assertEquals("the file ended at byte 1000 while reading tensor w; was it changed while open?", e.getMessage());
        }
    }

    /** A tensor too large for a Java array is described (validation allocates nothing) but not read. */
    @Test
    void tensorsBeyondAJavaArray(@TempDir Path dir) throws IOException {
        byte[] header = ("{" + entry("big", "F16", "[3000000000]", 0, 6_000_000_000L) + "}")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Path f = dir.resolve("sparse.safetensors");
        Files.write(f, RawFiles.file(header, new byte[0]));
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(8 + header.length + 6_000_000_000L); // sparse: costs no disk
        } catch (IOException e) {
            Assumptions.abort("no sparse 6 GB file here: " + e);
        }
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            TensorInfo t = r.tensor("big");
            assertEquals(3_000_000_000L, t.elementCount());
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> r.readFloats("big"));
            assertEquals(Problem.TOO_LARGE, e.problem());
            assertEquals("tensor big: 3000000000 elements do not fit in one Java array (at most 2147483639)", e.getMessage());
            e = assertThrows(SafetensorsException.class, t::intShape);
            assertEquals("tensor big: dimension 0 of shape [3000000000] exceeds 2147483647", e.getMessage());
            ShapeException s = assertThrows(ShapeException.class, () -> r.readFloats("big", new float[10], 0));
            assertEquals("tensor big into float[]: expected 3000000000 elements from offset 0, got an array of 10", s.getMessage());
        } finally {
            Files.delete(f);
        }
    }
}
