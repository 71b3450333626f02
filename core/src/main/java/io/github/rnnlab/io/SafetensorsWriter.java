package io.github.rnnlab.io;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.io.SafetensorsException.Problem;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Collects tensors and metadata and writes them as one safetensors file.
 *
 * <p>The layout is deterministic, whatever order tensors were added in: {@code __metadata__} first (keys sorted),
 * then the tensors by element size (largest first) and name; the header is padded with spaces to a multiple of 8
 * bytes, so every tensor's data starts at a file offset that is a multiple of its element size. Offsets tile the data
 * block with no holes. The files read back with {@link SafetensorsReader} and with the reference implementation.
 *
 * <p>Tensors are held by reference: the arrays are read when the file is written, so they must not change in
 * between. {@code float[]} data can be stored as F32, F16 or BF16 (rounded to nearest, ties to even);
 * {@code double[]} as F64 or F32; {@code int[]} as I32; {@code long[]} as I64.
 *
 * <pre>{@code
 * new SafetensorsWriter()
 *     .metadata("cell", "lstm")
 *     .add("weight_ih_l0", new int[] {24, 4}, weights, offset)
 *     .write(path);   // atomically
 * }</pre>
 */
public final class SafetensorsWriter {
    private static final int CHUNK = 1 << 16;

    private final Map<String, String> metadata = new HashMap<>();
    private final Map<String, Entry> tensors = new HashMap<>();

    private record Entry(String name, DType dtype, int[] shape, int count, Object array, int offset) {
    }

    /** Adds the metadata pair {@code key → value}, replacing an earlier value for {@code key}. */
    public SafetensorsWriter metadata(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        checkEncodable("metadata key " + Names.quote(key), key);
        checkEncodable("metadata value for key " + Names.quote(key), value);
        metadata.put(key, value);
        return this;
    }

    /** Adds the metadata pairs of {@code pairs}. */
    public SafetensorsWriter metadata(Map<String, String> pairs) {
        pairs.forEach(this::metadata);
        return this;
    }

    /** Adds an F32 tensor: the elements {@code data[offset, offset + product(shape))}. */
    public SafetensorsWriter add(String name, int[] shape, float[] data, int offset) {
        return add(name, DType.F32, shape, data, offset);
    }

    /** Adds an F32 tensor holding all of {@code data}, whose length must be the product of {@code shape}. */
    public SafetensorsWriter add(String name, int[] shape, float[] data) {
        return addWhole(name, DType.F32, shape, data, data.length);
    }

    /** Adds a tensor stored as {@code dtype} (F32, F16 or BF16) from {@code data[offset, offset + product(shape))}. */
    public SafetensorsWriter add(String name, DType dtype, int[] shape, float[] data, int offset) {
        return put(name, dtype, shape, data, data.length, offset, "float[]", DType.F32, DType.F16, DType.BF16);
    }

    /** Adds an F64 tensor: the elements {@code data[offset, offset + product(shape))}. */
    public SafetensorsWriter add(String name, int[] shape, double[] data, int offset) {
        return add(name, DType.F64, shape, data, offset);
    }

    /** Adds an F64 tensor holding all of {@code data}, whose length must be the product of {@code shape}. */
    public SafetensorsWriter add(String name, int[] shape, double[] data) {
        return addWhole(name, DType.F64, shape, data, data.length);
    }

    /** Adds a tensor stored as {@code dtype} (F64, or F32 rounded to nearest) from {@code data[offset, ...)}. */
    public SafetensorsWriter add(String name, DType dtype, int[] shape, double[] data, int offset) {
        return put(name, dtype, shape, data, data.length, offset, "double[]", DType.F64, DType.F32);
    }

    /** Adds an I32 tensor holding all of {@code data}, whose length must be the product of {@code shape}. */
    public SafetensorsWriter add(String name, int[] shape, int[] data) {
        return addWhole(name, DType.I32, shape, data, data.length);
    }

    /** Adds an I64 tensor holding all of {@code data}, whose length must be the product of {@code shape}. */
    public SafetensorsWriter add(String name, int[] shape, long[] data) {
        return addWhole(name, DType.I64, shape, data, data.length);
    }

    private SafetensorsWriter addWhole(String name, DType dtype, int[] shape, Object data, int length) {
        long count = count(name, shape);
        ShapeException.check("tensor " + Names.display(name) + ": elements for shape " + Arrays.toString(shape), count, length);
        return put(name, dtype, shape, data, length, 0, null, dtype);
    }

    private SafetensorsWriter put(String name, DType dtype, int[] shape, Object data, int length, int offset,
                                  String arrayType, DType... accepted) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(data, "data");
        if (!Arrays.asList(accepted).contains(dtype)) {
            throw SafetensorsException.of(Problem.DTYPE_MISMATCH, name, "a " + arrayType + " cannot be stored as "
                    + dtype + "; it can be stored as " + Arrays.toString(accepted));
        }
        if (name.equals(SafetensorsHeader.METADATA_KEY)) {
            throw SafetensorsException.of(Problem.HEADER_STRUCTURE, name, "the name is reserved for the metadata");
        }
        checkEncodable("tensor name " + Names.quote(name), name);
        if (tensors.containsKey(name)) {
            throw SafetensorsException.of(Problem.DUPLICATE_TENSOR, name, "a tensor of this name was already added");
        }
        long count = count(name, shape);
        ShapeException.checkRegion("tensor " + Names.display(name) + " of shape " + Arrays.toString(shape), length, offset, count);
        tensors.put(name, new Entry(name, dtype, shape.clone(), (int) count, data, offset));
        return this;
    }

    private static long count(String name, int[] shape) {
        if (shape.length > SafetensorsHeader.MAX_RANK) {
            throw new ShapeException("tensor " + Names.display(name) + ": at most " + SafetensorsHeader.MAX_RANK
                    + " dimensions, got " + shape.length);
        }
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new ShapeException("tensor " + Names.display(name) + ": dimensions must be non-negative, got "
                        + Arrays.toString(shape));
            }
            count *= d;
            if (count > Integer.MAX_VALUE) {
                // a region of one Java array cannot be larger
                throw new ShapeException("tensor " + Names.display(name) + ": shape " + Arrays.toString(shape)
                        + " has more elements than a Java array holds");
            }
        }
        return count;
    }

    /** The number of tensors added. */
    public int size() {
        return tensors.size();
    }

    /** The length of the file {@link #writeTo} would write, in bytes. */
    public long fileLength() {
        return 8 + header().length + dataLength();
    }

    /** Writes the file to {@code target} atomically ({@link AtomicFiles#write(Path, AtomicFiles.Content)}). */
    public void write(Path target) throws IOException {
        byte[] header = header();
        AtomicFiles.write(target, out -> writeTo(out, header));
    }

    /** The file as bytes. */
    public byte[] toBytes() {
        byte[] header = header();
        long length = 8 + header.length + dataLength();
        if (length > Integer.MAX_VALUE - 8) {
            throw SafetensorsException.of(Problem.TOO_LARGE, "the file would have " + length
                    + " bytes, more than a byte[] holds; write it to a file instead");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) length);
        try {
            writeTo(out, header);
        } catch (IOException e) {
            throw new AssertionError("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** Writes the file to {@code out} (which is not closed). */
    public void writeTo(OutputStream out) throws IOException {
        writeTo(out, header());
    }

    private void writeTo(OutputStream out, byte[] header) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(0, header.length);
        out.write(buf.array(), 0, 8);
        out.write(header);
        for (Entry e : ordered()) {
            int size = e.dtype.byteSize();
            int perChunk = CHUNK / size;
            for (int done = 0; done < e.count; ) {
                int n = Math.min(perChunk, e.count - done);
                encode(e, e.offset + done, n, buf);
                out.write(buf.array(), 0, n * size);
                done += n;
            }
        }
    }

    /** Encodes {@code n} elements of {@code e}'s array from index {@code from} into {@code buf} from byte 0. */
    private static void encode(Entry e, int from, int n, ByteBuffer buf) {
        buf.clear();
        switch (e.dtype) {
            case F32 -> {
                if (e.array instanceof float[] a) {
                    buf.asFloatBuffer().put(a, from, n);
                } else {
                    double[] a = (double[]) e.array;
                    for (int i = 0; i < n; i++) {
                        buf.putFloat(4 * i, (float) a[from + i]);
                    }
                }
            }
            case F64 -> buf.asDoubleBuffer().put((double[]) e.array, from, n);
            case F16 -> {
                float[] a = (float[]) e.array;
                for (int i = 0; i < n; i++) {
                    buf.putShort(2 * i, HalfFloats.floatToF16(a[from + i]));
                }
            }
            case BF16 -> {
                float[] a = (float[]) e.array;
                for (int i = 0; i < n; i++) {
                    buf.putShort(2 * i, HalfFloats.floatToBf16(a[from + i]));
                }
            }
            case I32 -> buf.asIntBuffer().put((int[]) e.array, from, n);
            case I64 -> buf.asLongBuffer().put((long[]) e.array, from, n);
        }
    }

    private List<Entry> ordered() {
        List<Entry> list = new ArrayList<>(tensors.values());
        list.sort(Comparator.comparingInt((Entry e) -> -e.dtype.byteSize()).thenComparing(Entry::name));
        return list;
    }

    private long dataLength() {
        long n = 0;
        for (Entry e : tensors.values()) {
            n += (long) e.count * e.dtype.byteSize();
        }
        return n;
    }

    /** The header JSON, padded with spaces to a multiple of 8 bytes. */
    private byte[] header() {
        StringBuilder json = new StringBuilder(64 + 96 * tensors.size()).append('{');
        boolean first = true;
        if (!metadata.isEmpty()) {
            json.append(quote(SafetensorsHeader.METADATA_KEY)).append(":{");
            Map<String, String> sorted = new LinkedHashMap<>();
            metadata.keySet().stream().sorted().forEach(k -> sorted.put(k, metadata.get(k)));
            boolean firstPair = true;
            for (Map.Entry<String, String> p : sorted.entrySet()) {
                json.append(firstPair ? "" : ",").append(quote(p.getKey())).append(':').append(quote(p.getValue()));
                firstPair = false;
            }
            json.append('}');
            first = false;
        }
        long begin = 0;
        for (Entry e : ordered()) {
            long end = begin + (long) e.count * e.dtype.byteSize();
            json.append(first ? "" : ",").append(quote(e.name)).append(":{\"dtype\":\"").append(e.dtype.name())
                    .append("\",\"shape\":[");
            for (int i = 0; i < e.shape.length; i++) {
                json.append(i == 0 ? "" : ",").append(e.shape[i]);
            }
            json.append("],\"data_offsets\":[").append(begin).append(',').append(end).append("]}");
            begin = end;
            first = false;
        }
        json.append('}');
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (bytes.length + 7) & ~7;
        if (padded > SafetensorsHeader.DEFAULT_MAX_HEADER_LENGTH) {
            throw SafetensorsException.of(Problem.HEADER_LENGTH, "the header would have " + padded
                    + " bytes, more than readers accept (" + SafetensorsHeader.DEFAULT_MAX_HEADER_LENGTH + ")");
        }
        byte[] out = Arrays.copyOf(bytes, padded);
        Arrays.fill(out, bytes.length, padded, (byte) ' ');
        return out;
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped; everything else as UTF-8. */
    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Strings with unpaired surrogates have no UTF-8 form. */
    private static void checkEncodable(String what, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw SafetensorsException.of(Problem.HEADER_ENCODING, what + " has an unpaired surrogate at index " + i
                        + " and cannot be written as UTF-8");
            }
        }
    }
}
