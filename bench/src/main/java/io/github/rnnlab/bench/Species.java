package io.github.rnnlab.bench;

import io.github.rnnlab.kernel.Simd;

/**
 * Reports the vector species the kernels run with: once per benchmark trial into JMH's log (the
 * forked JVM's output), and as a command ({@code java --add-modules jdk.incubator.vector -cp
 * benchmarks.jar io.github.rnnlab.bench.Species}) that bench/compare-jdks runs on every JDK.
 */
public final class Species {
    private Species() {
    }

    /** One line: the JDK and {@link Simd#describe()}. */
    public static String line() {
        return "java=" + Runtime.version() + " " + Simd.describe();
    }

    static void log() {
        System.out.println("# rnnlab: " + line());
    }

    public static void main(String[] args) {
        System.out.println(line());
    }
}
