package io.github.rnnlab.io;

import io.github.rnnlab.io.SafetensorsException.Problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated safetensors header: the metadata, and the tensors in data-block order.
 *
 * @param metadata   the {@code __metadata__} pairs in file order (empty if absent)
 * @param tensors    the tensors sorted by offset; they tile {@code [0, dataLength)} exactly
 * @param byName     the same tensors by name
 * @param dataLength the length of the data block in bytes
 */
record SafetensorsHeader(Map<String, String> metadata, List<TensorInfo> tensors, Map<String, TensorInfo> byName,
                         long dataLength) {

    /** The largest header accepted unless the caller says otherwise (as the reference implementation). */
    static final long DEFAULT_MAX_HEADER_LENGTH = 100_000_000L;
    /** The deepest shape accepted: far beyond any real tensor, and bounds what a hostile shape array can cost. */
    static final int MAX_RANK = 64;
    static final String METADATA_KEY = "__metadata__";

    /**
     * Validates the header JSON {@code json} of a file whose data block is {@code dataLength} bytes long: UTF-8, JSON
     * syntax, the header's structure, every tensor's dtype, shape and offsets, and the tiling of the data block.
     *
     * @throws SafetensorsException at the first rule broken
     */
    static SafetensorsHeader parse(byte[] json, long dataLength) {
        JsonCursor.checkUtf8(json);
        JsonCursor in = new JsonCursor(json);
        JsonCursor.Kind top = in.peek();
        if (top != JsonCursor.Kind.OBJECT) {
            throw SafetensorsException.of(Problem.HEADER_STRUCTURE, "header must be a JSON object, got " + top.description);
        }
        Map<String, String> metadata = null;
        Map<String, TensorInfo> byName = new HashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        in.beginObject();
        while (in.hasNextMember()) {
            String key = in.nextName();
            if (key.equals(METADATA_KEY)) {
                if (metadata != null) {
                    throw SafetensorsException.of(Problem.METADATA, METADATA_KEY + " appears twice");
                }
                metadata = parseMetadata(in);
            } else {
                if (byName.containsKey(key)) {
                    throw SafetensorsException.of(Problem.DUPLICATE_TENSOR, key, "the name appears twice in the header");
                }
                TensorInfo t = parseTensor(in, key);
                byName.put(key, t);
                tensors.add(t);
            }
        }
        in.endDocument();
        tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        checkTiling(tensors, dataLength);
        return new SafetensorsHeader(
                metadata == null ? Map.of() : Collections.unmodifiableMap(metadata),
                List.copyOf(tensors), Collections.unmodifiableMap(byName), dataLength);
    }

    private static Map<String, String> parseMetadata(JsonCursor in) {
        JsonCursor.Kind kind = in.peek();
        if (kind != JsonCursor.Kind.OBJECT) {
            throw SafetensorsException.of(Problem.METADATA,
                    METADATA_KEY + " must be an object of string values, got " + kind.description);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        in.beginObject();
        while (in.hasNextMember()) {
            String key = in.nextName();
            JsonCursor.Kind vk = in.peek();
            if (vk != JsonCursor.Kind.STRING) {
                throw SafetensorsException.of(Problem.METADATA, METADATA_KEY + " key " + Names.quote(key)
                        + ": the value must be a string, got " + vk.description);
            }
            if (metadata.put(key, in.nextString()) != null) {
                throw SafetensorsException.of(Problem.METADATA, METADATA_KEY + " key " + Names.quote(key) + " appears twice");
            }
        }
        return metadata;
    }

    private static TensorInfo parseTensor(JsonCursor in, String name) {
        JsonCursor.Kind kind = in.peek();
        if (kind != JsonCursor.Kind.OBJECT) {
            throw SafetensorsException.of(Problem.HEADER_STRUCTURE, name,
                    "expected an object with dtype, shape and data_offsets, got " + kind.description);
        }
        DType dtype = null;
        long[] shape = null;
        long[] offsets = null;
        in.beginObject();
        while (in.hasNextMember()) {
            String key = in.nextName();
            switch (key) {
                case "dtype" -> {
                    once(dtype, name, key);
                    dtype = parseDtype(in, name);
                }
                case "shape" -> {
                    once(shape, name, key);
                    shape = parseShape(in, name);
                }
                case "data_offsets" -> {
                    once(offsets, name, key);
                    offsets = parseOffsets(in, name);
                }
                default -> throw SafetensorsException.of(Problem.HEADER_STRUCTURE, name,
                        "unexpected key " + Names.quote(key) + "; expected dtype, shape and data_offsets");
            }
        }
        missing(dtype, name, "dtype");
        missing(shape, name, "shape");
        missing(offsets, name, "data_offsets");

        long count = 1;
        boolean empty = false;
        for (long d : shape) {
            empty |= d == 0;
        }
        if (!empty) {
            for (long d : shape) {
                if (d > Long.MAX_VALUE / count) {
                    throw SafetensorsException.of(Problem.SHAPE, name,
                            "shape " + Arrays.toString(shape) + " has more than " + Long.MAX_VALUE + " elements");
                }
                count *= d;
            }
        } else {
            count = 0;
        }
        if (count > Long.MAX_VALUE / dtype.byteSize()) {
            throw SafetensorsException.of(Problem.SHAPE, name, "shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs more than " + Long.MAX_VALUE + " bytes");
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw SafetensorsException.of(Problem.DATA_OFFSETS, name,
                    "data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        long expected = count * dtype.byteSize();
        if (end - begin != expected) {
            throw SafetensorsException.of(Problem.DATA_OFFSETS, name, "data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin) + " bytes, expected " + expected + " = " + dtype.byteSize() + " bytes (" + dtype
                    + ") × " + count + " elements (shape " + Arrays.toString(shape) + ")");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static void once(Object seen, String name, String key) {
        if (seen != null) {
            throw SafetensorsException.of(Problem.HEADER_STRUCTURE, name, "key \"" + key + "\" appears twice");
        }
    }

    private static void missing(Object value, String name, String key) {
        if (value == null) {
            throw SafetensorsException.of(Problem.HEADER_STRUCTURE, name, "missing \"" + key + "\"");
        }
    }

    private static DType parseDtype(JsonCursor in, String name) {
        JsonCursor.Kind kind = in.peek();
        if (kind != JsonCursor.Kind.STRING) {
            throw SafetensorsException.of(Problem.DTYPE, name, "dtype must be a string, got " + kind.description);
        }
        String s = in.nextString();
        return DType.byName(s).orElseThrow(() -> SafetensorsException.of(Problem.DTYPE, name,
                "unsupported dtype " + Names.quote(s) + "; rnnlab reads " + DType.known()));
    }

    private static long[] parseShape(JsonCursor in, String name) {
        JsonCursor.Kind kind = in.peek();
        if (kind != JsonCursor.Kind.ARRAY) {
            throw SafetensorsException.of(Problem.SHAPE, name,
                    "shape must be an array of non-negative integers, got " + kind.description);
        }
        long[] dims = new long[4];
        int rank = 0;
        in.beginArray();
        while (in.hasNextElement()) {
            if (rank == MAX_RANK) {
                throw SafetensorsException.of(Problem.SHAPE, name, "shape has more than " + MAX_RANK + " dimensions");
            }
            long d = nonNegative(in, name, Problem.SHAPE, "shape");
            if (rank == dims.length) {
                dims = Arrays.copyOf(dims, 2 * rank);
            }
            dims[rank++] = d;
        }
        return Arrays.copyOf(dims, rank);
    }

    private static long[] parseOffsets(JsonCursor in, String name) {
        JsonCursor.Kind kind = in.peek();
        if (kind != JsonCursor.Kind.ARRAY) {
            throw SafetensorsException.of(Problem.DATA_OFFSETS, name,
                    "data_offsets must be an array of two non-negative integers, got " + kind.description);
        }
        long[] offsets = new long[2];
        int n = 0;
        in.beginArray();
        while (in.hasNextElement()) {
            if (n == 2) {
                throw SafetensorsException.of(Problem.DATA_OFFSETS, name, "data_offsets must hold 2 integers, got more");
            }
            offsets[n++] = nonNegative(in, name, Problem.DATA_OFFSETS, "data_offsets");
        }
        if (n != 2) {
            throw SafetensorsException.of(Problem.DATA_OFFSETS, name, "data_offsets must hold 2 integers, got " + n);
        }
        return offsets;
    }

    private static long nonNegative(JsonCursor in, String name, Problem problem, String what) {
        JsonCursor.Kind kind = in.peek();
        if (kind != JsonCursor.Kind.NUMBER) {
            throw SafetensorsException.of(problem, name, what + " must hold non-negative integers, got " + kind.description);
        }
        JsonCursor.Number v = in.nextNumber();
        if (!v.isNonNegativeLong()) {
            throw SafetensorsException.of(problem, name,
                    what + " must hold integers in [0, " + Long.MAX_VALUE + "], got " + v.text());
        }
        return v.value();
    }

    /** The tensors, sorted by (begin, end), must cover [0, dataLength) exactly once. */
    private static void checkTiling(List<TensorInfo> sorted, long dataLength) {
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < covered) {
                throw SafetensorsException.of(Problem.OVERLAP, t.name(), "data_offsets " + range(t)
                        + " overlap tensor " + Names.display(previous.name()) + "'s " + range(previous));
            }
            if (t.begin() > covered) {
                throw SafetensorsException.of(Problem.HOLE, t.name(), "data_offsets " + range(t) + " leave bytes ["
                        + covered + ", " + t.begin() + ") of the data block unused"
                        + (previous == null ? " at its start" : " after tensor " + Names.display(previous.name())));
            }
            if (t.end() > dataLength) {
                throw SafetensorsException.of(Problem.TRUNCATED, t.name(), "data_offsets " + range(t)
                        + " extend past the end of the data block, which has " + dataLength + " bytes (truncated file?)");
            }
            covered = t.end();
            previous = t;
        }
        if (covered < dataLength) {
            throw SafetensorsException.of(Problem.TRAILING_BYTES, "the data block has " + dataLength
                    + " bytes but the tensors cover only " + covered + ": " + (dataLength - covered) + " trailing bytes");
        }
    }

    private static String range(TensorInfo t) {
        return "[" + t.begin() + ", " + t.end() + "]";
    }
}
