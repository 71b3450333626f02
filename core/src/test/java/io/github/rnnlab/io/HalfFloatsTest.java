package io.github.rnnlab.io;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The half-precision conversions against an independent oracle: values computed from the format's definition,
 * and rounding by searching for the nearest representable value (ties to the even bit pattern).
 */
class HalfFloatsTest {

    /** The binary16 value of non-negative bits {@code h <= 0x7c00} by definition; 0x7c00 stands for 2^16 here. */
    private static double f16Value(int h) {
        int exp = h >>> 10;
        int mant = h & 0x3ff;
        if (exp == 0) {
            return mant * Math.scalb(1.0, -24);
        }
        return (1 + mant / 1024.0) * Math.scalb(1.0, exp - 15);
    }

    /** The bfloat16 value of non-negative bits {@code h <= 0x7f80}; 0x7f80 stands for 2^128 here. */
    private static double bf16Value(int h) {
        int exp = h >>> 7;
        int mant = h & 0x7f;
        if (exp == 0) {
            return mant * Math.scalb(1.0, -133);
        }
        return (1 + mant / 128.0) * Math.scalb(1.0, exp - 127);
    }

    private interface Value {
        double of(int bits);
    }

    /** The bits nearest to {@code f} (ties to even) among 0..top, found by binary search; top means infinity. */
    private static short nearest(float f, int top, int signBit, Value value) {
        double a = Math.abs((double) f);
        int lo = 0;
        int hi = top;
        if (a >= value.of(top)) {
            lo = top;
        } else {
            while (hi - lo > 1) { // invariant: value(lo) <= a < value(hi)
                int mid = (lo + hi) >>> 1;
                if (value.of(mid) <= a) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            double below = a - value.of(lo);
            double above = value.of(hi) - a;
            if (above < below || above == below && (hi & 1) == 0) {
                lo = hi;
            }
        }
        int sign = Float.floatToRawIntBits(f) < 0 ? signBit : 0;
        return (short) (sign | lo);
    }

    private static short f16Oracle(float f) {
        return nearest(f, 0x7c00, 0x8000, HalfFloatsTest::f16Value);
    }

    private static short bf16Oracle(float f) {
        return nearest(f, 0x7f80, 0x8000, HalfFloatsTest::bf16Value);
    }

    @Test
    void everyF16WidensToItsDefinedValueAndNarrowsBack() {
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.f16ToFloat((short) h);
            int exp = (h >>> 10) & 0x1f;
            int mant = h & 0x3ff;
            if (exp == 0x1f && mant != 0) {
                assertTrue(Float.isNaN(f), Integer.toHexString(h));
                assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(f))), Integer.toHexString(h));
                continue;
            }
            double expected = exp == 0x1f ? Double.POSITIVE_INFINITY : f16Value(h & 0x7fff);
            if ((h & 0x8000) != 0) {
                expected = -expected;
            }
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(f), Integer.toHexString(h));
            assertEquals((short) h, HalfFloats.floatToF16(f), Integer.toHexString(h));
        }
    }

    @Test
    void everyBf16WidensToItsDefinedValueAndNarrowsBack() {
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.bf16ToFloat((short) h);
            int exp = (h >>> 7) & 0xff;
            int mant = h & 0x7f;
            if (exp == 0xff && mant != 0) {
                assertTrue(Float.isNaN(f), Integer.toHexString(h));
                assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(f))), Integer.toHexString(h));
                continue;
            }
            double expected = exp == 0xff ? Double.POSITIVE_INFINITY : bf16Value(h & 0x7fff);
            if ((h & 0x8000) != 0) {
                expected = -expected;
            }
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(f), Integer.toHexString(h));
            assertEquals((short) h, HalfFloats.floatToBf16(f), Integer.toHexString(h));
        }
    }

    /** At every midpoint between neighbours the even one wins; one float step either side decides. */
    @Test
    void f16MidpointsRoundToEven() {
        for (int h = 0; h < 0x7c00; h++) {
            float mid = (float) ((f16Value(h) + f16Value(h + 1)) / 2);
            assertEquals((f16Value(h) + f16Value(h + 1)) / 2, mid, 0.0, "midpoint must be exact in float");
            short even = (short) ((h & 1) == 0 ? h : h + 1);
            for (float sign : new float[] {1, -1}) {
                short s = (short) (sign < 0 ? 0x8000 : 0);
                assertEquals((short) (s | even), HalfFloats.floatToF16(sign * mid), "tie above " + Integer.toHexString(h));
                assertEquals((short) (s | h), HalfFloats.floatToF16(sign * Math.nextDown(mid)), Integer.toHexString(h));
                assertEquals((short) (s | (h + 1)), HalfFloats.floatToF16(sign * Math.nextUp(mid)), Integer.toHexString(h));
            }
        }
    }

    @Test
    void bf16MidpointsRoundToEven() {
        for (int h = 0; h < 0x7f80; h++) {
            float mid = (float) ((bf16Value(h) + bf16Value(h + 1)) / 2);
            assertEquals((bf16Value(h) + bf16Value(h + 1)) / 2, mid, 0.0, "midpoint must be exact in float");
            short even = (short) ((h & 1) == 0 ? h : h + 1);
            assertEquals(even, HalfFloats.floatToBf16(mid), "tie above " + Integer.toHexString(h));
            assertEquals((short) h, HalfFloats.floatToBf16(Math.nextDown(mid)), Integer.toHexString(h));
            assertEquals((short) (h + 1), HalfFloats.floatToBf16(Math.nextUp(mid)), Integer.toHexString(h));
            assertEquals((short) (0x8000 | even), HalfFloats.floatToBf16(-mid));
        }
    }

    @Test
    void namedCases() {
        assertEquals((short) 0x7bff, HalfFloats.floatToF16(65519.996f));
        assertEquals((short) 0x7c00, HalfFloats.floatToF16(65520f));
        assertEquals((short) 0xfc00, HalfFloats.floatToF16(Float.NEGATIVE_INFINITY));
        assertEquals((short) 0x0001, HalfFloats.floatToF16(0x1p-24f));
        assertEquals((short) 0x0000, HalfFloats.floatToF16(0x1p-25f)); // tie to even (zero)
        assertEquals((short) 0x0001, HalfFloats.floatToF16(Math.nextUp(0x1p-25f)));
        assertEquals((short) 0x8000, HalfFloats.floatToF16(-Float.MIN_VALUE));
        assertEquals((short) 0x3c00, HalfFloats.floatToF16(1f));
        assertEquals((short) 0x7f80, HalfFloats.floatToBf16(Float.MAX_VALUE));
        assertEquals((short) 0x3f80, HalfFloats.floatToBf16(1f));
        assertEquals((short) 0x7e00, HalfFloats.floatToF16(Float.NaN));
        assertEquals((short) 0x7fc0, HalfFloats.floatToBf16(Float.NaN));
        // a NaN whose payload sits only in low bits stays NaN
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.intBitsToFloat(0x7f800001)))));
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.intBitsToFloat(0xff800001)))));
    }

    @Property(tries = 5000)
    void f16RoundsEveryFloatToTheNearest(@ForAll int bits) {
        float f = Float.intBitsToFloat(bits);
        if (Float.isNaN(f)) {
            assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(f))));
            return;
        }
        assertEquals(f16Oracle(f), HalfFloats.floatToF16(f), () -> Float.toHexString(f));
    }

    /** Random bits rarely fall in binary16's range; these floats do (exponents 2^-27 … 2^16, every fraction). */
    @Property(tries = 5000)
    void f16RoundsFloatsInItsRangeToTheNearest(@ForAll @IntRange(min = -27, max = 16) int exponent,
                                               @ForAll @IntRange(min = 0, max = 0x7f_ffff) int fraction,
                                               @ForAll boolean negative) {
        float f = Float.intBitsToFloat((negative ? 0x8000_0000 : 0) | (exponent + 127) << 23 | fraction);
        assertEquals(f16Oracle(f), HalfFloats.floatToF16(f), () -> Float.toHexString(f));
    }

    @Property(tries = 5000)
    void bf16RoundsEveryFloatToTheNearest(@ForAll int bits) {
        float f = Float.intBitsToFloat(bits);
        if (Float.isNaN(f)) {
            assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(f))));
            return;
        }
        assertEquals(bf16Oracle(f), HalfFloats.floatToBf16(f), () -> Float.toHexString(f));
    }

    /** On JDK 20+, the JDK's own binary16 conversions are a second oracle (NaN payloads may differ; not compared). */
    @Test
    void agreesWithTheJdkWhereItHasBinary16() throws Throwable {
        java.lang.invoke.MethodHandle toHalf;
        java.lang.invoke.MethodHandle toFloat;
        try {
            var lookup = java.lang.invoke.MethodHandles.publicLookup();
            toHalf = lookup.findStatic(Float.class, "floatToFloat16", java.lang.invoke.MethodType.methodType(short.class, float.class));
            toFloat = lookup.findStatic(Float.class, "float16ToFloat", java.lang.invoke.MethodType.methodType(float.class, short.class));
        } catch (NoSuchMethodException e) {
            org.junit.jupiter.api.Assumptions.abort("this JDK (" + Runtime.version() + ") has no Float.floatToFloat16");
            return;
        }
        for (int h = 0; h < 0x10000; h++) {
            float jdk = (float) toFloat.invokeExact((short) h);
            float ours = HalfFloats.f16ToFloat((short) h);
            if (!Float.isNaN(jdk)) {
                assertEquals(Float.floatToRawIntBits(jdk), Float.floatToRawIntBits(ours), Integer.toHexString(h));
            }
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        for (int i = 0; i < 2_000_000; i++) {
            // half the draws in binary16's neighbourhood, half anywhere
            int bits = i % 2 == 0 ? r.nextInt() : r.nextInt(0x3000_0000, 0x4800_0000) | (r.nextBoolean() ? 0x8000_0000 : 0);
            float f = Float.intBitsToFloat(bits);
            if (Float.isNaN(f)) {
                continue;
            }
            short jdk = (short) toHalf.invokeExact(f);
            assertEquals(jdk, HalfFloats.floatToF16(f), () -> Float.toHexString(f));
        }
    }
}
