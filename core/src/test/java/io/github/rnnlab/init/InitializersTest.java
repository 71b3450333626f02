package io.github.rnnlab.init;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.Initializer;
import io.github.rnnlab.numeric.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitializersTest {
    private static final CellConfig CONFIG = new CellConfig(300, 64);

    private static double[] fill(Initializer init, int rows, int cols) {
        double[] v = new double[rows * cols];
        init.fill(v, new int[]{rows, cols}, CONFIG, new Rng(5));
        return v;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static double std(double[] v) {
        double s = 0, s2 = 0;
        for (double x : v) {
            s += x;
            s2 += x * x;
        }
        double mean = s / v.length;
        return Math.sqrt(s2 / v.length - mean * mean);
    }

    @Test
    void pytorchDefaultIsUniformOverOneOverRootH() {
        double[] v = fill(Initializers.pytorchDefault(), 256, 300);
        double k = 1 / Math.sqrt(64);
        assertTrue(maxAbs(v) <= k && maxAbs(v) > 0.999 * k);
        assertEquals(k / Math.sqrt(3), std(v), 0.01 * k);
    }

    @Test
    void xavierUniformBound() {
        double[] v = fill(Initializers.xavierUniform(2.0), 200, 300);
        double a = 2.0 * Math.sqrt(6.0 / 500);
        assertTrue(maxAbs(v) <= a && maxAbs(v) > 0.999 * a, "max " + maxAbs(v) + " bound " + a);
    }

    @Test
    void xavierNormalStandardDeviation() {
        double[] v = fill(Initializers.xavierNormal(0.5), 200, 300);
        assertEquals(0.5 * Math.sqrt(2.0 / 500), std(v), 0.02 * 0.5 * Math.sqrt(2.0 / 500));
    }

    @Test
    void xavierRejectsVectors() {
        var e = assertThrows(CellConfig.InvalidConfigException.class,
                () -> Initializers.xavierUniform(1).fill(new double[3], new int[]{3}, CONFIG, new Rng(1)));
        assertTrue(e.getMessage().contains("fan in and fan out"), e.getMessage());
    }

    @Test
    void constantAndUniform() {
        double[] c = fill(Initializers.constant(0.25), 3, 4);
        for (double x : c) {
            assertEquals(0.25, x);
        }
        double[] u = fill(Initializers.uniform(0.1), 100, 100);
        assertTrue(maxAbs(u) <= 0.1 && maxAbs(u) > 0.099);
    }

    @Test
    void textFormsParseBack() {
        for (Initializer i : List.of(Initializers.pytorchDefault(), Initializers.uniform(0.5), Initializers.xavierUniform(1.5),
                Initializers.xavierNormal(1.0), Initializers.orthogonal(0.9), Initializers.constant(-2.0), Initializers.zeros())) {
            assertEquals(i, Initializers.parse(i.toString()), i.toString());
        }
        assertEquals(new Orthogonal(1.0), Initializers.parse("orthogonal"));
        assertEquals(new XavierUniform(1.0), Initializers.parse(" Xavier_Uniform "));
    }

    @Test
    void badTextFormsSayWhatIsUnderstood() {
        var e = assertThrows(CellConfig.InvalidConfigException.class, () -> Initializers.parse("he_normal"));
        assertTrue(e.getMessage().contains("expected one of pytorch"), e.getMessage());
        e = assertThrows(CellConfig.InvalidConfigException.class, () -> Initializers.parse("uniform(abc)"));
        assertTrue(e.getMessage().contains("expected a number, got \"abc\""), e.getMessage());
        e = assertThrows(CellConfig.InvalidConfigException.class, () -> Initializers.parse("uniform"));
        assertTrue(e.getMessage().contains("needs a number"), e.getMessage());
        assertThrows(CellConfig.InvalidConfigException.class, () -> Initializers.parse("zeros(1)"));
    }
}
