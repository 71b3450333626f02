package io.github.rnnlab.train;

import io.github.rnnlab.cell.Role;
import io.github.rnnlab.nn.Parameters;
import io.github.rnnlab.numeric.F32Ops;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * clip_grad_norm_ against PyTorch 1.13:
 * <pre>
 * pa.grad = torch.tensor([3.0, -4.0]); pb.grad = torch.tensor([12.0])
 * torch.nn.utils.clip_grad_norm_([pa, pb], 6.5)  → 13.0; pa.grad [1.4999998807907104, -1.9999998807907104], pb.grad [5.999999523162842]
 * torch.nn.utils.clip_grad_norm_([pa, pb], 13.0) → 13.0; pa.grad [2.999999761581421, -3.999999761581421], pb.grad [11.999999046325684]
 * </pre>
 * (the second: max_norm equal to the norm still scales, by 13/(13 + 1e-6)).
 */
class GradientClippingTest {

    private static Parameters<float[]> params() {
        Parameters<float[]> p = new Parameters<>(F32Ops.standard());
        p.add("a", new int[]{2}, Role.OTHER, null, null, (v, s, r) -> { });
        p.add("b", new int[]{1}, Role.OTHER, null, null, (v, s, r) -> { });
        p.allocate();
        float[] g = p.gradients();
        g[0] = 3f;
        g[1] = -4f;
        g[2] = 12f;
        return p;
    }

    @Test
    void clipGradNormMatchesTorch() {
        Parameters<float[]> p = params();
        assertEquals(13.0, GradientClipping.clipGradNorm(p, 6.5), 0);
        assertArrayEquals(new float[]{1.4999998807907104f, -1.9999998807907104f, 5.999999523162842f}, p.gradients(), 1e-7f);
        Parameters<float[]> q = params();
        assertEquals(13.0, GradientClipping.clipGradNorm(q, 13.0), 0);
        assertArrayEquals(new float[]{2.999999761581421f, -3.999999761581421f, 11.999999046325684f}, q.gradients(), 1e-7f);
        Parameters<float[]> r = params();
        assertEquals(13.0, GradientClipping.clipGradNorm(r, 100), 0);
        assertArrayEquals(new float[]{3f, -4f, 12f}, r.gradients(), 0f);

        float[] a = {3f, -4f}, b = {12f};
        assertEquals(13.0, GradientClipping.clipGradNorm(6.5, a, b), 0);
        assertArrayEquals(new float[]{1.4999998807907104f, -1.9999998807907104f}, a, 1e-7f);
    }

    @Test
    void clipGradValueClamps() {
        Parameters<float[]> p = params();
        GradientClipping.clipGradValue(p, 3.5);
        assertArrayEquals(new float[]{3f, -3.5f, 3.5f}, p.gradients(), 0f);
        float[] a = {-9f, 0.25f};
        GradientClipping.clipGradValue(1, a);
        assertArrayEquals(new float[]{-1f, 0.25f}, a, 0f);
    }

    @Test
    void nonFiniteNormThrowsAndLeavesGradientsAlone() {
        Parameters<float[]> p = params();
        p.gradients()[1] = Float.NaN;
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> GradientClipping.clipGradNorm(p, 1));
        assertEquals(3f, p.gradients()[0]);
        assertEquals(true, e.getMessage().contains("NaN"), e.getMessage());
        p.gradients()[1] = Float.POSITIVE_INFINITY;
        assertThrows(NonFiniteException.class, () -> GradientClipping.clipGradNorm(p, 1));
    }
}
