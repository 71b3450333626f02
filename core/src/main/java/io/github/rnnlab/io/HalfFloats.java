package io.github.rnnlab.io;

/**
 * Conversions between {@code float} and the two 16-bit floating-point formats of model files, as raw bits in a
 * {@code short}: IEEE 754 binary16 ({@code F16}: 1 sign, 5 exponent, 10 fraction bits) and bfloat16
 * ({@code BF16}: the upper 16 bits of a binary32). Narrowing rounds to nearest, ties to even (as PyTorch does);
 * widening is exact. Infinities keep their sign; NaN stays NaN (quiet, high payload bits kept where they fit).
 */
public final class HalfFloats {
    private HalfFloats() {
    }

    /** The binary16 value {@code bits} as a float (exact). */
    public static float f16ToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            // zero or subnormal: mant · 2^-24, exact in float
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f80_0000 | mant << 13);
        }
        return Float.intBitsToFloat(sign | (exp - 15 + 127) << 23 | mant << 13);
    }

    /** {@code f} rounded to the nearest binary16 (ties to even); beyond ±65520 it becomes ±infinity. */
    public static short floatToF16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7f_ffff;
        if (exp == 0xff) {
            // infinity, or NaN made quiet with its top payload bits kept
            return (short) (mant == 0 ? sign | 0x7c00 : sign | 0x7e00 | mant >>> 13);
        }
        int e = exp - 127 + 15; // the binary16 biased exponent
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            // binary16 subnormal (or zero): the value in units of 2^-24 is full · 2^(e - 14)
            if (exp == 0) {
                return (short) sign; // float subnormals are far below 2^-25
            }
            int full = mant | 0x80_0000;
            int shift = 14 - e;
            if (shift > 25) {
                return (short) sign; // below a quarter unit
            }
            return (short) (sign | roundShift(full, shift));
        }
        // normal: keep 10 fraction bits; a carry out of the fraction correctly bumps the exponent (up to infinity)
        int m = (e << 10 | mant >>> 13) + roundUp(mant, 13, mant >>> 13);
        return (short) (sign | m);
    }

    /** The bfloat16 value {@code bits} as a float (exact). */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** {@code f} rounded to the nearest bfloat16 (ties to even). */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7f80_0000) == 0x7f80_0000 && (bits & 0x7f_ffff) != 0) {
            return (short) (bits >>> 16 | 0x40); // quiet NaN, sign and top payload kept
        }
        return (short) ((bits + 0x7fff + (bits >>> 16 & 1)) >>> 16);
    }

    /** {@code value >> shift} rounded to nearest, ties to even. */
    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        return kept + roundUp(value, shift, kept);
    }

    /** 1 if dropping the low {@code shift} bits of {@code value} (leaving {@code kept}) must round up, else 0. */
    private static int roundUp(int value, int shift, int kept) {
        int rest = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        return rest > half || rest == half && (kept & 1) == 1 ? 1 : 0;
    }
}
