package io.github.rnnlab.io;

import java.util.Optional;

/**
 * The element types rnnlab reads and writes in safetensors files, with their names as the header spells them.
 * Other safetensors dtypes ({@code BOOL}, {@code U8}, {@code I8}, {@code F8_E4M3}, …) are rejected on reading.
 */
public enum DType {
    /** IEEE 754 binary16; read as {@code float}. */
    F16(2),
    /** bfloat16 (the upper half of a binary32); read as {@code float}. */
    BF16(2),
    /** IEEE 754 binary32. */
    F32(4),
    /** IEEE 754 binary64. */
    F64(8),
    /** Two's-complement 32-bit integer. */
    I32(4),
    /** Two's-complement 64-bit integer. */
    I64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The dtype the header calls {@code name} (case-sensitive, as the format requires), if rnnlab knows it. */
    public static Optional<DType> byName(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** "F16, BF16, F32, F64, I32, I64": for messages. */
    static String known() {
        StringBuilder b = new StringBuilder();
        for (DType d : values()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(d.name());
        }
        return b.toString();
    }
}
