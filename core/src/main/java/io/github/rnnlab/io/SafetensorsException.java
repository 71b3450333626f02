package io.github.rnnlab.io;

import io.github.rnnlab.RnnlabException;

import java.util.Optional;

/**
 * A safetensors file (or a request to read or write one) breaks the format's rules. {@link #problem()} says which
 * rule, {@link #tensor()} names the tensor concerned when there is one, and the message says what was expected and
 * what the file holds, e.g. "tensor weight_ih_l0: data_offsets [0, 92] span 92 bytes, expected 96 = 4 bytes (F32)
 * × 24 elements (shape [6, 4])".
 */
public class SafetensorsException extends RnnlabException {

    /** Which rule was broken. */
    public enum Problem {
        /** The 8-byte length prefix is missing, or the header length exceeds the limit or the file. */
        HEADER_LENGTH,
        /** The header is not valid UTF-8 (reading), or a string cannot be encoded as UTF-8 (writing). */
        HEADER_ENCODING,
        /** The header is not well-formed JSON, or has something other than whitespace after the JSON object. */
        HEADER_SYNTAX,
        /** The header is JSON but not of the expected shape: wrong value types, missing, unknown or repeated keys. */
        HEADER_STRUCTURE,
        /** Two tensors have the same name. */
        DUPLICATE_TENSOR,
        /** {@code __metadata__} is not an object of string values, or repeats a key. */
        METADATA,
        /** A dtype this library does not read or write. */
        DTYPE,
        /** A shape that is too deep or whose element count overflows. */
        SHAPE,
        /** {@code data_offsets} malformed, reversed, or inconsistent with dtype × shape. */
        DATA_OFFSETS,
        /** Two tensors' byte ranges overlap. */
        OVERLAP,
        /** Bytes of the data block that belong to no tensor, between tensors. */
        HOLE,
        /** Bytes of the data block after the last tensor. */
        TRAILING_BYTES,
        /** A tensor extends past the end of the file. */
        TRUNCATED,
        /** No tensor of the requested name. */
        NOT_FOUND,
        /** A tensor's dtype cannot be read into, or written from, the requested Java array type. */
        DTYPE_MISMATCH,
        /** More elements or bytes than a Java array can hold. */
        TOO_LARGE
    }

    private final Problem problem;
    private final String tensor;

    /**
     * @param problem the rule broken
     * @param tensor  the tensor concerned, or {@code null}
     * @param message the full message (already naming the tensor, if any)
     */
    public SafetensorsException(Problem problem, String tensor, String message) {
        super(message);
        this.problem = problem;
        this.tensor = tensor;
    }

    /** Which rule was broken. */
    public Problem problem() {
        return problem;
    }

    /** The tensor concerned, if the problem concerns one. */
    public Optional<String> tensor() {
        return Optional.ofNullable(tensor);
    }

    /** "tensor {name}: {detail}", with the name quoted and shortened if it is not plain. */
    static SafetensorsException of(Problem problem, String tensor, String detail) {
        return new SafetensorsException(problem, tensor, "tensor " + Names.display(tensor) + ": " + detail);
    }

    /** A problem that concerns no single tensor. */
    static SafetensorsException of(Problem problem, String detail) {
        return new SafetensorsException(problem, null, detail);
    }
}
