package io.github.rnnlab.interop;

import io.github.rnnlab.interop.StateDictException.Problem;
import io.github.rnnlab.io.DType;
import io.github.rnnlab.io.SafetensorsReader;
import io.github.rnnlab.io.SafetensorsWriter;
import io.github.rnnlab.io.TensorInfo;
import io.github.rnnlab.nn.Parameters;
import io.github.rnnlab.numeric.Precision;

import java.io.IOException;
import java.util.Arrays;

/**
 * The parameters of a model as named tensors, the way PyTorch's {@code state_dict} holds them: every
 * block of a {@link Parameters} that is not {@linkplain Parameters.Block#absent() absent}, under its name
 * (with an optional prefix), with its shape.
 *
 * <p>Values move between the flat vectors and the files without an intermediate copy when the
 * precisions match (float32 parameters as {@code F32}, float64 as {@code F64}); otherwise they are
 * converted (narrowing to float32 rounds to nearest).
 */
public final class StateDict {
    private StateDict() {
    }

    /**
     * Adds every present block of {@code parameters} to {@code writer} as {@code prefix + name}, stored as
     * {@code dtype}. The writer holds the parameter vector by reference: write the file before changing it.
     *
     * @param dtype F32 or F64 (F16 and BF16 too for float32 parameters)
     * @return {@code writer}
     */
    public static <A> SafetensorsWriter add(SafetensorsWriter writer, Parameters<A> parameters, String prefix, DType dtype) {
        boolean f32 = parameters.ops().precision() == Precision.F32;
        for (Parameters.Block b : parameters.blocks()) {
            if (b.absent()) {
                continue;
            }
            String name = prefix + b.name();
            if (f32 && dtype != DType.F64) {
                writer.add(name, dtype, b.shape(), (float[]) parameters.values(), b.offset());
            } else if (!f32 && (dtype == DType.F64 || dtype == DType.F32)) {
                writer.add(name, dtype, b.shape(), (double[]) parameters.values(), b.offset());
            } else {
                writer.add(name, dtype, b.shape(), parameters.get(b.name()), 0);
            }
        }
        return writer;
    }

    /**
     * Reads every present block of {@code parameters} from the tensor {@code prefix + name} of
     * {@code reader} (F64, F32, F16 or BF16). Absent blocks are set to zero. Tensors of the file that
     * are not blocks are not looked at: {@link TorchModule#infer} checks for them.
     *
     * @throws StateDictException if a tensor is missing or has another shape or a non-float dtype
     */
    public static <A> void read(SafetensorsReader reader, Parameters<A> parameters, String prefix) throws IOException {
        boolean f32 = parameters.ops().precision() == Precision.F32;
        A values = parameters.values();
        for (Parameters.Block b : parameters.blocks()) {
            if (b.absent()) {
                parameters.ops().fill(b.size(), 0, values, b.offset());
                continue;
            }
            String name = prefix + b.name();
            TensorInfo t = reader.find(name).orElseThrow(() -> new StateDictException(Problem.MISSING_TENSOR, name,
                    name + ": expected a tensor of shape " + Arrays.toString(b.shape()) + ", got none"));
            TorchModule.checkFloat(t);
            if (!t.hasShape(b.shape())) {
                throw new StateDictException(Problem.SHAPE, name, name + ": expected shape " + Arrays.toString(b.shape())
                        + ", got " + Arrays.toString(t.shape()));
            }
            if (f32 && t.dtype() != DType.F64) {
                reader.readFloats(name, (float[]) values, b.offset());
            } else if (!f32) {
                reader.readDoubles(name, (double[]) values, b.offset());
            } else {
                parameters.set(b.name(), reader.readDoubles(name));
            }
        }
    }
}
