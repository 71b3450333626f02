package io.github.rnnlab.io;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.io.SafetensorsException.Problem;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SafetensorsWriterTest {

    /** The exact bytes: metadata first, then F64 before F32 before F16, names in order, header padded to 8. */
    @Test
    void exactLayout() throws IOException {
        SafetensorsWriter w = new SafetensorsWriter()
                .add("w", new int[] {2}, new float[] {1.5f, -2f})
                .add("h", DType.F16, new int[] {1}, new float[] {1f}, 0)
                .metadata("z", "last")
                .metadata("a", "é\"\n")
                .add("x", new int[] {}, new double[] {0.25})
                .add("b", new int[] {1}, new float[] {3f});
        String json = "{\"__metadata__\":{\"a\":\"é\\\"\\n\",\"z\":\"last\"},"
                + "\"x\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[20,22]}}";
        byte[] jsonBytes = json.getBytes(StandardCharsets.UTF_8);
        int padded = (jsonBytes.length + 7) / 8 * 8;
        ByteBuffer expected = ByteBuffer.allocate(8 + padded + 22).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(padded).put(jsonBytes);
        while (expected.position() < 8 + padded) {
            expected.put((byte) ' ');
        }
        expected.putDouble(0.25).putFloat(3f).putFloat(1.5f).putFloat(-2f).putShort((short) 0x3c00);
        assertArrayEquals(expected.array(), w.toBytes());
        assertEquals(expected.capacity(), w.fileLength());
        assertEquals(4, w.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.writeTo(out);
        assertArrayEquals(expected.array(), out.toByteArray());
    }

    @Test
    void regionsAndConversions() throws IOException {
        float[] params = {9, 9, 1, 2, 3, 4, 5, 6, 9};
        double[] wide = {0.1, 1e300, -0.0};
        byte[] file = new SafetensorsWriter()
                .add("block", new int[] {2, 3}, params, 2)
                .add("narrow", DType.F32, new int[] {3}, wide, 0)
                .add("bf", DType.BF16, new int[] {2}, new float[] {1.00390625f, 0f, 1.01171875f}, 1)
                .toBytes();
        try (SafetensorsReader r = SafetensorsReader.of(file)) {
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, r.readFloats("block"));
            assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY, -0f}, r.readFloats("narrow"));
            // 1 + 2^-8 + 2^-9 (1.01171875) rounds up to 1 + 2^-6 in bfloat16 (a tie, to even)
            assertArrayEquals(new float[] {0f, 1.015625f}, r.readFloats("bf"));
            assertEquals(DType.BF16, r.tensor("bf").dtype());
        }
    }

    @Test
    void rejectsBadTensors() {
        SafetensorsWriter w = new SafetensorsWriter().add("w", new int[] {1}, new float[] {1});
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> w.add("w", new int[] {1}, new float[] {2}));
        assertEquals(Problem.DUPLICATE_TENSOR, e.problem());
        assertEquals("tensor w: a tensor of this name was already added", e.getMessage());

        e = assertThrows(SafetensorsException.class, () -> w.add("__metadata__", new int[] {1}, new float[] {2}));
        assertEquals(Problem.HEADER_STRUCTURE, e.problem());
        assertEquals("tensor __metadata__: the name is reserved for the metadata", e.getMessage());

        e = assertThrows(SafetensorsException.class, () -> w.add("v", DType.F64, new int[] {1}, new float[] {2}, 0));
        assertEquals(Problem.DTYPE_MISMATCH, e.problem());
        assertEquals("tensor v: a float[] cannot be stored as F64; it can be stored as [F32, F16, BF16]", e.getMessage());
        e = assertThrows(SafetensorsException.class, () -> w.add("v", DType.F16, new int[] {1}, new double[] {2}, 0));
        assertEquals("tensor v: a double[] cannot be stored as F16; it can be stored as [F64, F32]", e.getMessage());

        e = assertThrows(SafetensorsException.class, () -> w.add("a\ud800", new int[] {1}, new float[] {2}));
        assertEquals(Problem.HEADER_ENCODING, e.problem());
        assertEquals("tensor name \"a\\ud800\" has an unpaired surrogate at index 1 and cannot be written as UTF-8", e.getMessage());
        e = assertThrows(SafetensorsException.class, () -> w.metadata("k", "\udc00"));
        assertEquals("metadata value for key \"k\" has an unpaired surrogate at index 0 and cannot be written as UTF-8", e.getMessage());

        ShapeException s = assertThrows(ShapeException.class, () -> w.add("r", new int[] {2, 3}, new float[7], 2));
        assertEquals("tensor r of shape [2, 3]: expected 6 elements from offset 2, got an array of 7", s.getMessage());
        s = assertThrows(ShapeException.class, () -> w.add("r", new int[] {2, 3}, new double[5]));
        assertEquals("tensor r: elements for shape [2, 3]: expected 6, got 5", s.getMessage());
        s = assertThrows(ShapeException.class, () -> w.add("r", new int[] {2, -3}, new float[6]));
        assertEquals("tensor r: dimensions must be non-negative, got [2, -3]", s.getMessage());
        s = assertThrows(ShapeException.class, () -> w.add("r", new int[] {65536, 65536}, new float[6]));
        assertEquals("tensor r: shape [65536, 65536] has more elements than a Java array holds", s.getMessage());
        s = assertThrows(ShapeException.class, () -> w.add("r", new int[65], new float[0]));
        assertEquals("tensor r: at most 64 dimensions, got 65", s.getMessage());
        // nothing of the failed calls was added
        assertEquals(1, w.size());
    }

    @Test
    void emptyFileIsValid() throws IOException {
        byte[] f = new SafetensorsWriter().toBytes();
        assertEquals(16, f.length); // "{}" padded to 8
        try (SafetensorsReader r = SafetensorsReader.of(f)) {
            assertEquals(0, r.tensors().size());
        }
    }

    @Test
    void arraysAreReadWhenWritten() throws IOException {
        float[] data = {1, 2};
        SafetensorsWriter w = new SafetensorsWriter().add("w", new int[] {2}, data);
        data[0] = 7;
        try (SafetensorsReader r = SafetensorsReader.of(w.toBytes())) {
            assertEquals(7f, r.readFloats("w")[0]); // documented: held by reference
        }
        assertEquals(Arrays.toString(new float[] {7, 2}), Arrays.toString(data));
    }
}
