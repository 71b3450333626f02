package io.github.rnnlab.init;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellLayout;
import io.github.rnnlab.cell.ProbeProvider;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParameterInitTest {
    private final Cell cell = new ProbeProvider().create(new CellConfig(3, 5));
    private final CellLayout layout = cell.layout();

    private double[] block(double[] p, String name) {
        CellLayout.ParameterBlock b = layout.parameter(name);
        return Arrays.copyOfRange(p, b.offset(), b.offset() + b.size());
    }

    @Test
    void nameWinsOverRoleWinsOverDefault() {
        ParameterInit init = ParameterInit.defaults()
                .with(Role.INPUT_BIAS, Initializers.constant(1))
                .with(Role.RECURRENT_BIAS, Initializers.constant(2))
                .with("bias_hh", Initializers.constant(3));
        double[] p = init.initialize(cell, new Rng(1));
        for (double v : block(p, "bias_ih")) {
            assertEquals(1, v);
        }
        for (double v : block(p, "bias_hh")) {
            assertEquals(3, v);
        }
        double bound = 1 / Math.sqrt(5);
        for (double v : block(p, "weight_hh")) {
            assertTrue(Math.abs(v) <= bound);
        }
        assertEquals(Initializers.constant(3), init.initializerFor(layout.parameter("bias_hh").spec()));
    }

    @Test
    void sameSeedSameParametersAndBlocksAreIndependent() {
        double[] a = ParameterInit.defaults().initialize(cell, new Rng(42));
        double[] b = ParameterInit.defaults().initialize(cell, new Rng(42));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, ParameterInit.defaults().initialize(cell, new Rng(43))));
        // another initializer for weight_ih (drawing a different amount of randomness) leaves the others alone
        double[] c = ParameterInit.defaults().with("weight_ih", Initializers.orthogonal(1)).initialize(cell, new Rng(42));
        assertFalse(Arrays.equals(block(a, "weight_ih"), block(c, "weight_ih")));
        assertArrayEquals(block(a, "weight_hh"), block(c, "weight_hh"));
        assertArrayEquals(block(a, "bias_hh"), block(c, "bias_hh"));
    }

    @Test
    void unknownNameIsRejectedWithTheNamesAvailable() {
        var e = assertThrows(CellConfig.InvalidConfigException.class,
                () -> ParameterInit.defaults().with("weight_hhh", Initializers.zeros()).initialize(cell, new Rng(1)));
        assertEquals("no parameter named weight_hhh to initialise; the cell has [bias_hh, bias_ih, weight_hh, weight_ih]",
                e.getMessage());
    }

    @Test
    void anInitializerThatSkipsElementsIsCaught() {
        var e = assertThrows(IllegalStateException.class, () -> ParameterInit.defaults()
                .with("bias_ih", (values, shape, config, rng) -> values[0] = 1).initialize(cell, new Rng(1)));
        assertTrue(e.getMessage().contains("element 1 of bias_ih"), e.getMessage());
    }

    @Test
    void float32FillIsTheDoubleFillRounded() {
        double[] d = ParameterInit.defaults().initialize(cell, new Rng(9));
        float[] f = new float[d.length + 4];
        ParameterInit.defaults().fill(F32Ops.standard(), cell, f, 2, new Rng(9));
        for (int i = 0; i < d.length; i++) {
            assertEquals((float) d[i], f[i + 2]);
        }
        assertEquals(0f, f[0]);
        assertEquals(0f, f[d.length + 2]);
        assertThrows(io.github.rnnlab.ShapeException.class,
                () -> ParameterInit.defaults().fill(F32Ops.standard(), cell, new float[d.length], 1, new Rng(9)));
    }
}
