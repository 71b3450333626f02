package io.github.rnnlab.io;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.io.SafetensorsException.Problem;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads a safetensors file. {@link #open} validates the whole header (see the package documentation and
 * {@link SafetensorsException.Problem}) before anything else; tensor data is then read on demand with positional
 * reads, a bounded buffer at a time, into new arrays or into a region of the caller's array. Half-precision
 * tensors ({@code F16}, {@code BF16}) are widened exactly to {@code float}.
 *
 * <p>What each read method accepts:
 * <ul>
 *   <li>{@link #readFloats}: F32, F16, BF16</li>
 *   <li>{@link #readDoubles}: F64, F32, F16, BF16 (widening is exact)</li>
 *   <li>{@link #readInts}: I32</li>
 *   <li>{@link #readLongs}: I64, I32</li>
 * </ul>
 * Anything else is a {@link Problem#DTYPE_MISMATCH}: values are never narrowed silently.
 *
 * <p>A reader over a file holds the file open until {@link #close()}; reads from several threads are safe. The file
 * must not change while it is open (if it shrinks, reads fail with {@link Problem#TRUNCATED}); files rnnlab writes
 * are replaced atomically, so an open reader keeps seeing the old file.
 */
public final class SafetensorsReader implements Closeable {
    private static final int CHUNK = 1 << 16; // bytes per read; a multiple of every element size
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Source source;
    private final SafetensorsHeader header;
    private final long dataStart;

    private SafetensorsReader(Source source, SafetensorsHeader header, long dataStart) {
        this.source = source;
        this.header = header;
        this.dataStart = dataStart;
    }

    /** Opens and validates {@code file}, accepting headers of up to 100 MB. */
    public static SafetensorsReader open(Path file) throws IOException {
        return open(file, SafetensorsHeader.DEFAULT_MAX_HEADER_LENGTH);
    }

    /**
     * Opens and validates {@code file}.
     *
     * @param maxHeaderLength the largest header (in bytes) to accept; the header is read into memory whole
     * @throws SafetensorsException if the file breaks the format
     * @throws IOException          if the file cannot be read
     */
    public static SafetensorsReader open(Path file, long maxHeaderLength) throws IOException {
        if (maxHeaderLength < 0) {
            throw new IllegalArgumentException("maxHeaderLength must be non-negative, got " + maxHeaderLength);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return validate(new FileSource(channel), maxHeaderLength);
        } catch (IOException | RuntimeException | Error e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Validates and reads the file held in {@code bytes} (not copied: do not change it while the reader is in use),
     * accepting headers of up to 100 MB.
     *
     * @throws SafetensorsException if the bytes break the format
     */
    public static SafetensorsReader of(byte[] bytes) {
        try {
            return validate(new BytesSource(bytes), SafetensorsHeader.DEFAULT_MAX_HEADER_LENGTH);
        } catch (IOException e) {
            throw new AssertionError("reading from memory cannot fail", e);
        }
    }

    private static SafetensorsReader validate(Source source, long maxHeaderLength) throws IOException {
        long size = source.size();
        if (size < 8) {
            throw SafetensorsException.of(Problem.HEADER_LENGTH, "the file has " + size
                    + " bytes; a safetensors file starts with an 8-byte header length");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        source.readFully(0, prefix, "the header length");
        long n = prefix.getLong(0);
        String shown = Long.toUnsignedString(n);
        if (Long.compareUnsigned(n, maxHeaderLength) > 0) {
            throw SafetensorsException.of(Problem.HEADER_LENGTH,
                    "header length " + shown + " exceeds the limit of " + maxHeaderLength + " bytes");
        }
        if (n > size - 8) {
            throw SafetensorsException.of(Problem.HEADER_LENGTH, "header length " + shown + " exceeds the file: only "
                    + (size - 8) + " bytes follow the length");
        }
        if (n > MAX_ARRAY) {
            throw SafetensorsException.of(Problem.HEADER_LENGTH,
                    "header length " + shown + " exceeds what one array holds (" + MAX_ARRAY + " bytes)");
        }
        ByteBuffer json = ByteBuffer.allocate((int) n);
        source.readFully(8, json, "the header");
        long dataStart = 8 + n;
        SafetensorsHeader header = SafetensorsHeader.parse(json.array(), size - dataStart);
        return new SafetensorsReader(source, header, dataStart);
    }

    /** The {@code __metadata__} pairs in file order (empty if the file has none). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** The tensors in the order of their data. */
    public List<TensorInfo> tensors() {
        return header.tensors();
    }

    /** The tensors' names in the order of their data. */
    public List<String> names() {
        return header.tensors().stream().map(TensorInfo::name).toList();
    }

    /** Whether the file has a tensor named {@code name}. */
    public boolean contains(String name) {
        return header.byName().containsKey(name);
    }

    /** The tensor named {@code name}, if there is one. */
    public Optional<TensorInfo> find(String name) {
        return Optional.ofNullable(header.byName().get(name));
    }

    /**
     * The tensor named {@code name}.
     *
     * @throws SafetensorsException ({@link Problem#NOT_FOUND}) naming the tensors the file has
     */
    public TensorInfo tensor(String name) {
        TensorInfo t = header.byName().get(name);
        if (t == null) {
            List<String> names = names();
            String have = names.stream().limit(20).map(Names::display).collect(Collectors.joining(", "));
            throw SafetensorsException.of(Problem.NOT_FOUND, name, "no such tensor; the file has "
                    + (names.isEmpty() ? "none" : have + (names.size() > 20 ? ", … (" + names.size() + " in all)" : "")));
        }
        return t;
    }

    /** The elements of an F32, F16 or BF16 tensor, in row-major order. */
    public float[] readFloats(String name) throws IOException {
        TensorInfo t = tensor(name);
        float[] out = new float[arrayLength(t, "float[]", DType.F32, DType.F16, DType.BF16)];
        readFloats(t, out, 0);
        return out;
    }

    /**
     * Reads an F32, F16 or BF16 tensor into {@code dst[offset, offset + elementCount)}.
     *
     * @param dst    the destination; modified in that region only
     * @param offset the index of the first element to write
     * @throws ShapeException if the region does not fit in {@code dst}
     */
    public void readFloats(String name, float[] dst, int offset) throws IOException {
        TensorInfo t = tensor(name);
        checkDtype(t, "float[]", DType.F32, DType.F16, DType.BF16);
        ShapeException.checkRegion("tensor " + Names.display(name) + " into float[]", dst.length, offset, t.elementCount());
        readFloats(t, dst, offset);
    }

    /** The elements of an F64, F32, F16 or BF16 tensor, in row-major order. */
    public double[] readDoubles(String name) throws IOException {
        TensorInfo t = tensor(name);
        double[] out = new double[arrayLength(t, "double[]", DType.F64, DType.F32, DType.F16, DType.BF16)];
        readDoubles(t, out, 0);
        return out;
    }

    /**
     * Reads an F64, F32, F16 or BF16 tensor into {@code dst[offset, offset + elementCount)}.
     *
     * @param dst    the destination; modified in that region only
     * @param offset the index of the first element to write
     * @throws ShapeException if the region does not fit in {@code dst}
     */
    public void readDoubles(String name, double[] dst, int offset) throws IOException {
        TensorInfo t = tensor(name);
        checkDtype(t, "double[]", DType.F64, DType.F32, DType.F16, DType.BF16);
        ShapeException.checkRegion("tensor " + Names.display(name) + " into double[]", dst.length, offset, t.elementCount());
        readDoubles(t, dst, offset);
    }

    /** The elements of an I32 tensor, in row-major order. */
    public int[] readInts(String name) throws IOException {
        TensorInfo t = tensor(name);
        int[] out = new int[arrayLength(t, "int[]", DType.I32)];
        int[] at = {0};
        forEachChunk(t, (buf, n) -> {
            buf.asIntBuffer().get(out, at[0], n);
            at[0] += n;
        });
        return out;
    }

    /** The elements of an I64 or I32 tensor, in row-major order. */
    public long[] readLongs(String name) throws IOException {
        TensorInfo t = tensor(name);
        long[] out = new long[arrayLength(t, "long[]", DType.I64, DType.I32)];
        int[] at = {0};
        forEachChunk(t, (buf, n) -> {
            if (t.dtype() == DType.I64) {
                buf.asLongBuffer().get(out, at[0], n);
            } else {
                for (int i = 0; i < n; i++) {
                    out[at[0] + i] = buf.getInt(4 * i);
                }
            }
            at[0] += n;
        });
        return out;
    }

    /** Closes the file (a no-op for a reader over bytes). */
    @Override
    public void close() throws IOException {
        source.close();
    }

    private void readFloats(TensorInfo t, float[] dst, int offset) throws IOException {
        int[] at = {offset};
        forEachChunk(t, (buf, n) -> {
            int o = at[0];
            switch (t.dtype()) {
                case F32 -> buf.asFloatBuffer().get(dst, o, n);
                case F16 -> {
                    for (int i = 0; i < n; i++) {
                        dst[o + i] = HalfFloats.f16ToFloat(buf.getShort(2 * i));
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < n; i++) {
                        dst[o + i] = HalfFloats.bf16ToFloat(buf.getShort(2 * i));
                    }
                }
                default -> throw new AssertionError(t.dtype());
            }
            at[0] += n;
        });
    }

    private void readDoubles(TensorInfo t, double[] dst, int offset) throws IOException {
        int[] at = {offset};
        forEachChunk(t, (buf, n) -> {
            int o = at[0];
            switch (t.dtype()) {
                case F64 -> buf.asDoubleBuffer().get(dst, o, n);
                case F32 -> {
                    for (int i = 0; i < n; i++) {
                        dst[o + i] = buf.getFloat(4 * i);
                    }
                }
                case F16 -> {
                    for (int i = 0; i < n; i++) {
                        dst[o + i] = HalfFloats.f16ToFloat(buf.getShort(2 * i));
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < n; i++) {
                        dst[o + i] = HalfFloats.bf16ToFloat(buf.getShort(2 * i));
                    }
                }
                default -> throw new AssertionError(t.dtype());
            }
            at[0] += n;
        });
    }

    /** Receives a little-endian buffer holding {@code n} whole elements from position 0. */
    private interface ChunkConsumer {
        void accept(ByteBuffer chunk, int n);
    }

    private void forEachChunk(TensorInfo t, ChunkConsumer consumer) throws IOException {
        int size = t.dtype().byteSize();
        long length = t.byteLength();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, length)).order(ByteOrder.LITTLE_ENDIAN);
        for (long done = 0; done < length; ) {
            int bytes = (int) Math.min(CHUNK, length - done);
            buf.clear().limit(bytes);
            source.readFully(dataStart + t.begin() + done, buf, "tensor " + Names.display(t.name()));
            buf.flip();
            consumer.accept(buf, bytes / size);
            done += bytes;
        }
    }

    private static int arrayLength(TensorInfo t, String type, DType... accepted) {
        checkDtype(t, type, accepted);
        long n = t.elementCount();
        if (n > MAX_ARRAY) {
            throw SafetensorsException.of(Problem.TOO_LARGE, t.name(),
                    n + " elements do not fit in one Java array (at most " + MAX_ARRAY + ")");
        }
        return (int) n;
    }

    private static void checkDtype(TensorInfo t, String type, DType... accepted) {
        for (DType d : accepted) {
            if (d == t.dtype()) {
                return;
            }
        }
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < accepted.length; i++) {
            list.append(i == 0 ? "" : i == accepted.length - 1 ? " or " : ", ").append(accepted[i]);
        }
        throw SafetensorsException.of(Problem.DTYPE_MISMATCH, t.name(),
                "dtype " + t.dtype() + " cannot be read as " + type + ", which takes " + list);
    }

    /** Where the bytes come from. */
    private interface Source extends Closeable {
        long size() throws IOException;

        /** Fills {@code dst} (position to limit) from byte {@code position}; {@link Problem#TRUNCATED} if the source ends first. */
        void readFully(long position, ByteBuffer dst, String what) throws IOException;
    }

    private static final class FileSource implements Source {
        private final FileChannel channel;

        FileSource(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void readFully(long position, ByteBuffer dst, String what) throws IOException {
            long p = position;
            while (dst.hasRemaining()) {
                int n = channel.read(dst, p);
                if (n < 0) {
                    throw SafetensorsException.of(Problem.TRUNCATED, "the file ended at byte " + p + " while reading "
                            + what + "; was it changed while open?");
                }
                p += n;
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private record BytesSource(byte[] bytes) implements Source {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public void readFully(long position, ByteBuffer dst, String what) {
            int n = dst.remaining();
            if (position + n > bytes.length) {
                throw new AssertionError("validated ranges lie inside the bytes");
            }
            dst.put(bytes, (int) position, n);
        }

        @Override
        public void close() {
        }
    }
}
