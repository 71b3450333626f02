package io.github.rnnlab.train.optim;

import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Optimizer steps and schedules against numbers from PyTorch 1.13 (float32), produced by:
 * <pre>
 * def run(make, steps=3):
 *     p = torch.nn.Parameter(torch.tensor([0.5, -1.2, 3.0, 0.0, -0.01], dtype=torch.float32))
 *     opt = make([p])
 *     for t in range(steps):
 *         p.grad = torch.tensor([math.sin(1.3*t + i) for i in range(5)], dtype=torch.float32)
 *         opt.step()
 *     return [float(v) for v in p.detach()]
 * </pre>
 * PyTorch's vectorised CPU kernels may fuse multiply-adds, so results are compared to a few float32
 * ulps (relative 2e-6), not bit for bit.
 */
class OptimizerTest {

    private static float[] run(Supplier<Optimizer> make, double lr) {
        float[] p = {0.5f, -1.2f, 3.0f, 0.0f, -0.01f};
        Optimizer opt = make.get();
        for (int t = 0; t < 3; t++) {
            float[] g = new float[5];
            for (int i = 0; i < 5; i++) {
                g[i] = (float) Math.sin(1.3 * t + i);
            }
            opt.step(p, g, lr);
        }
        assertEquals(3, opt.steps());
        return p;
    }

    private static void near(double[] expected, float[] got) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 2e-6 * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }

    @Test
    void sgdMatchesTorch() {
        // torch.optim.SGD(ps, lr=0.1)
        near(new double[]{0.35209402441978455, -1.3144656419754028, 3.0242137908935547, 0.14063125848770142, 0.11775285750627518},
                run(() -> new Sgd(Sgd.Config.plain()), 0.1));
        // torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)
        near(new double[]{0.2862566113471985, -1.5090004205703735, 2.8543379306793213, 0.1752088963985443, 0.3090994954109192},
                run(() -> new Sgd(new Sgd.Config(0.9, 0.1, false, 0.01)), 0.1));
        // torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.05)
        near(new double[]{0.12272060662508011, -1.5538469552993774, 2.803530216217041, 0.31876102089881897, 0.41162896156311035},
                run(() -> new Sgd(new Sgd.Config(0.9, 0, true, 0.05)), 0.1));
    }

    @Test
    void adamAndAdamWMatchTorch() {
        // torch.optim.Adam(ps, lr=0.01)
        near(new double[]{0.4844725728034973, -1.2247658967971802, 2.986551523208618, 0.003979093860834837, 0.015766577795147896},
                run(() -> new Adam(Adam.Config.adam()), 0.01));
        // torch.optim.Adam(ps, lr=0.01, weight_decay=0.1, betas=(0.8, 0.99), eps=1e-3)
        near(new double[]{0.47349074482917786, -1.2224094867706299, 2.9818735122680664, 0.004891770891845226, 0.015108180232346058},
                run(() -> new Adam(new Adam.Config(0.8, 0.99, 1e-3, 0.1, false)), 0.01));
        // torch.optim.AdamW(ps, lr=0.01)
        near(new double[]{0.48432329297065735, -1.224402904510498, 2.98565411567688, 0.003980460576713085, 0.015766577795147896},
                run(() -> new Adam(Adam.Config.adamW()), 0.01));
        // torch.optim.AdamW(ps, lr=0.05, weight_decay=0.5)
        near(new double[]{0.3867228627204895, -1.2323482036590576, 2.7164716720581055, 0.021572329103946686, 0.11584385484457016},
                run(() -> new Adam(Adam.Config.adamW().withWeightDecay(0.5)), 0.05));
    }

    @Test
    void firstAdamStepIsLrTimesSignForLargeGradients() {
        // Hand-derived: after one step m̂ = g, v̂ = g², so Δp = −lr·g/(|g| + ε) ≈ −lr·sign(g).
        float[] p = {1f, 1f};
        new Adam(Adam.Config.adam()).step(p, new float[]{3f, -0.5f}, 0.1);
        assertEquals(0.9f, p[0], 1e-6f);
        assertEquals(1.1f, p[1], 1e-6f);
    }

    @Test
    void stateRoundTripsBitForBit() {
        for (Supplier<Optimizer> make : java.util.List.<Supplier<Optimizer>>of(
                () -> new Adam(Adam.Config.adamW()), () -> new Sgd(new Sgd.Config(0.9, 0, true, 0.01)))) {
            float[] p1 = {0.5f, -1f, 2f};
            Optimizer a = make.get();
            a.step(p1, new float[]{0.1f, 0.2f, -0.3f}, 0.01);
            OptimizerState saved = a.state();
            float[] p2 = p1.clone();
            Optimizer b = make.get();
            b.restore(saved);
            a.step(p1, new float[]{0.4f, -0.2f, 0.3f}, 0.01);
            b.step(p2, new float[]{0.4f, -0.2f, 0.3f}, 0.01);
            assertArrayEquals(p1, p2, 0f);
            assertEquals(a.steps(), b.steps());
            assertThrows(IllegalArgumentException.class, () -> new Sgd(Sgd.Config.plain()).restore(new Adam(Adam.Config.adam()).state()));
        }
    }

    @Test
    void schedulesMatchTorch() {
        // StepLR(o, step_size=3, gamma=0.5), lr=0.1
        double[] step = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025};
        // CosineAnnealingLR(o, T_max=6, eta_min=0.01), lr=0.1
        double[] cos = {0.1, 0.09397114317029975, 0.07750000000000001, 0.055000000000000014, 0.032500000000000015, 0.01602885682970026, 0.01};
        // SequentialLR([LinearLR(start_factor=0.25, total_iters=4), CosineAnnealingLR(T_max=5, eta_min=0)], milestones=[4]), lr=0.1
        double[] warm = {0.025, 0.043750000000000004, 0.06250000000000001, 0.08125000000000002, 0.1, 0.09045084971874738, 0.06545084971874737,
                0.03454915028125263, 0.009549150281252633, 0.0};
        LearningRate s = new LearningRate.StepDecay(0.1, 3, 0.5);
        LearningRate c = new LearningRate.Cosine(0.1, 6, 0.01);
        LearningRate w = new LearningRate.Warmup(4, 0.25, new LearningRate.Cosine(0.1, 5, 0));
        for (int i = 0; i < step.length; i++) {
            assertEquals(step[i], s.at(i), 1e-15);
        }
        for (int i = 0; i < cos.length; i++) {
            assertEquals(cos[i], c.at(i), 1e-15);
        }
        for (int i = 0; i < warm.length; i++) {
            assertEquals(warm[i], w.at(i), 1e-15);
        }
        assertEquals(0.003, new LearningRate.Constant(0.003).at(12345), 0);
        assertThrows(io.github.rnnlab.RnnlabException.class, () -> new LearningRate.Constant(Double.NaN));
    }
}
