package io.github.rnnlab.numeric;

/** The floating-point precision a computation runs in. */
public enum Precision {
    /** float32 on the Vector API kernels: training and inference. */
    F32,
    /** float64 reference path: gradient checks and finite differences. */
    F64
}
