package io.github.rnnlab.io;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tensor for tests: name, stored dtype, shape and the Java array handed to the writer ({@code fromDouble} marks
 * a {@code double[]} stored as F32). Includes the jqwik generators the properties share.
 */
record TensorSpec(String name, DType dtype, int[] shape, Object data, boolean fromDouble) {

    /** Characters that stress the header's strings: escapes, controls, multi-byte UTF-8, a surrogate pair. */
    private static final List<String> PIECES = List.of("w", "b", "_", "0", "9", ".", "l0", "weight_ih", " ", "\"", "\\", "/",
            "\n", "\t", "\u0000", "\u001f", "\u007f", "é", "€", "\uffff", "😀", "__metadata__", "{", "}", ":", ",");

    static Arbitrary<String> strings() {
        return Arbitraries.of(PIECES).list().ofMaxSize(8).map(l -> String.join("", l));
    }

    static Arbitrary<int[]> shapes() {
        return shapes(5000);
    }

    /** Shapes of rank 0 to 4 with dimensions 0 … 6, 17 or 33, at most {@code maxElements} elements. */
    static Arbitrary<int[]> shapes(int maxElements) {
        Arbitrary<Integer> dim = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(1, 6)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(17, 33)));
        return dim.list().ofMaxSize(4).map(l -> l.stream().mapToInt(Integer::intValue).toArray())
                .filter(s -> count(s) <= maxElements);
    }

    static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** One tensor named {@code name}: any dtype, any shape, values including NaN, infinities, signed zeros, subnormals. */
    static Arbitrary<TensorSpec> tensor(String name, int maxElements) {
        return Combinators.combine(Arbitraries.of(DType.values()), shapes(maxElements), Arbitraries.longs(), Arbitraries.of(true, false))
                .as((dtype, shape, seed, fromDouble) -> make(name, dtype, shape, seed, fromDouble && dtype == DType.F32));
    }

    /** Up to {@code max} tensors with distinct names. */
    static Arbitrary<List<TensorSpec>> tensors(int max) {
        return tensors(max, 5000);
    }

    /** Up to {@code max} tensors with distinct names, each of at most {@code maxElements} elements. */
    static Arbitrary<List<TensorSpec>> tensors(int max, int maxElements) {
        return strings().list().ofMaxSize(max).flatMap(names -> {
            List<Arbitrary<TensorSpec>> specs = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                specs.add(tensor(names.get(i) + "#" + i, maxElements));
            }
            return Combinators.combine(specs).as(l -> l);
        });
    }

    static Arbitrary<Map<String, String>> metadata() {
        return Arbitraries.maps(strings(), strings()).ofMaxSize(4).map(LinkedHashMap::new);
    }

    /** Up to {@code max} tensors with distinct names drawn from {@code r} (cheaper than composing generators). */
    static List<TensorSpec> random(java.util.SplittableRandom r, int max, int maxElements) {
        List<TensorSpec> list = new ArrayList<>();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            int[] shape;
            do {
                shape = new int[r.nextInt(4)];
                for (int k = 0; k < shape.length; k++) {
                    shape[k] = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(6);
                }
            } while (count(shape) > maxElements);
            DType dtype = DType.values()[r.nextInt(DType.values().length)];
            list.add(make(randomString(r) + "#" + i, dtype, shape, r.nextLong(), dtype == DType.F32 && r.nextBoolean()));
        }
        return list;
    }

    static Map<String, String> randomMetadata(java.util.SplittableRandom r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            m.put(randomString(r), randomString(r));
        }
        return m;
    }

    private static String randomString(java.util.SplittableRandom r) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(5); i > 0; i--) {
            b.append(PIECES.get(r.nextInt(PIECES.size())));
        }
        return b.toString();
    }

    /** Deterministic contents from {@code seed}: special values first, then random bit patterns. */
    static TensorSpec make(String name, DType dtype, int[] shape, long seed, boolean fromDouble) {
        int n = count(shape);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        Object data = switch (dtype) {
            case F16, BF16 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    short bits = (short) r.nextInt(1 << 16);
                    a[i] = dtype == DType.F16 ? HalfFloats.f16ToFloat(bits) : HalfFloats.bf16ToFloat(bits);
                }
                yield a;
            }
            case F32 -> {
                if (fromDouble) {
                    double[] a = new double[n];
                    float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE};
                    for (int i = 0; i < n; i++) {
                        a[i] = i < special.length ? special[i] : r.nextDouble(-1e6, 1e6);
                    }
                    yield a;
                }
                float[] a = new float[n];
                float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE};
                for (int i = 0; i < n; i++) {
                    a[i] = i < special.length ? special[i] : Float.intBitsToFloat(r.nextInt());
                }
                yield a;
            }
            case F64 -> {
                double[] a = new double[n];
                double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE};
                for (int i = 0; i < n; i++) {
                    a[i] = i < special.length ? special[i] : Double.longBitsToDouble(r.nextLong());
                }
                yield a;
            }
            case I32 -> r.ints(n).toArray();
            case I64 -> r.longs(n).toArray();
        };
        return new TensorSpec(name, dtype, shape, data, fromDouble);
    }

    /** Adds this tensor to {@code w} through the writer method its array type calls for. */
    void addTo(SafetensorsWriter w) {
        switch (dtype) {
            case F16, BF16 -> w.add(name, dtype, shape, (float[]) data, 0);
            case F32 -> {
                if (fromDouble) {
                    w.add(name, DType.F32, shape, (double[]) data, 0);
                } else {
                    w.add(name, shape, (float[]) data);
                }
            }
            case F64 -> w.add(name, shape, (double[]) data);
            case I32 -> w.add(name, shape, (int[]) data);
            case I64 -> w.add(name, shape, (long[]) data);
        }
    }

    /** The file holding {@code tensors} and {@code metadata}. */
    static byte[] file(List<TensorSpec> tensors, Map<String, String> metadata) {
        SafetensorsWriter w = new SafetensorsWriter().metadata(metadata);
        tensors.forEach(t -> t.addTo(w));
        return w.toBytes();
    }

    @Override
    public String toString() {
        return Names.display(name) + " " + dtype + " " + Arrays.toString(shape) + (fromDouble ? " (from double[])" : "");
    }
}
