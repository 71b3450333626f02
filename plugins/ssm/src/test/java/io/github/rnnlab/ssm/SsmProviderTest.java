package io.github.rnnlab.ssm;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellLayout;
import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.cell.OptionSpec;
import io.github.rnnlab.cell.ParameterSpec;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.init.ParameterInit;
import io.github.rnnlab.numeric.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The descriptor (names, shapes and roles of REFERENCE.md §2, options, preview), option errors and the default init. */
class SsmProviderTest {
    private final SsmProvider provider = new SsmProvider();

    @Test
    void describesAPreviewCellWithTheReferenceParameterBlocks() {
        assertEquals("ssm", provider.id());
        assertTrue(provider.preview());
        assertEquals(0, provider.gateCount());
        Cell cell = provider.create(new CellConfig(5, 3, Map.of("state_size", "4")));
        List<String> blocks = cell.layout().parameters().stream()
                .map(b -> b.name() + Arrays.toString(b.shape()) + " " + b.spec().role()).toList();
        assertEquals(List.of("weight_u[3, 5] INPUT_WEIGHT", "bias_u[3] INPUT_BIAS", "weight_dt[3, 5] INPUT_WEIGHT",
                "bias_dt[3] OTHER", "weight_B[4, 5] INPUT_WEIGHT", "weight_C[4, 5] INPUT_WEIGHT", "weight_z[3, 5] INPUT_WEIGHT",
                "bias_z[3] INPUT_BIAS", "A_log[3, 4] OTHER", "D[3] OTHER"), blocks);
        assertEquals(List.of("(H, in)", "(H)", "(H, in)", "(H)", "(N, in)", "(N, in)", "(H, in)", "(H)", "(H, N)", "(H)"),
                provider.parameters().stream().map(ParameterSpec::shapeSymbol).toList());
        assertEquals(1, cell.layout().states().size());
        assertEquals("h", cell.layout().states().get(0).name());
        assertEquals("H·N", provider.states().get(0).size().symbol());
        assertEquals(12, cell.layout().stateSize());
        assertEquals(3, cell.outputSize());
        assertEquals(5 * (3 * 3 + 2 * 4) + 3 * 3 + 3 * 4 + 3, cell.layout().parameterCount());
    }

    @Test
    void stateSizeDefaultsTo16AndScanToAuto() {
        assertEquals(List.of("state_size=16", "scan=auto"), provider.options().stream()
                .map(o -> o.name() + "=" + o.defaultValue()).toList());
        Ssm cell = (Ssm) provider.create(new CellConfig(2, 7));
        assertEquals(7 * 16, cell.layout().stateSize());
        assertEquals(16, cell.stateSizePerChannel());
        assertEquals(ScanMode.AUTO, cell.scanMode());
        assertEquals(Map.of("state_size", "16", "scan", "auto"), cell.config().options());
        assertEquals(ScanMode.PARALLEL, ((Ssm) provider.create(new CellConfig(2, 7, Map.of("scan", "Parallel")))).scanMode());
        for (OptionSpec o : provider.options()) {
            assertFalse(o.description().isBlank());
        }
    }

    @Test
    void badOptionsAreRejectedWithWhatWasExpected() {
        var zero = assertThrows(CellConfig.InvalidConfigException.class,
                () -> provider.create(new CellConfig(2, 3, Map.of("state_size", "0"))));
        assertTrue(zero.getMessage().contains("state_size") && zero.getMessage().contains("0"), zero.getMessage());
        var text = assertThrows(CellConfig.InvalidConfigException.class,
                () -> provider.create(new CellConfig(2, 3, Map.of("state_size", "sixteen"))));
        assertTrue(text.getMessage().contains("sixteen"), text.getMessage());
        var scan = assertThrows(CellConfig.InvalidConfigException.class,
                () -> provider.create(new CellConfig(2, 3, Map.of("scan", "fast"))));
        assertEquals("option scan of ssm: expected one of auto, sequential, parallel, got \"fast\"", scan.getMessage());
        var huge = assertThrows(CellConfig.InvalidConfigException.class,
                () -> provider.create(new CellConfig(2, 100_000, Map.of("state_size", "100000"))));
        assertTrue(huge.getMessage().contains("100000 × 100000"), huge.getMessage());
        var unknown = assertThrows(CellConfig.InvalidConfigException.class,
                () -> provider.create(new CellConfig(2, 3, Map.of("states", "4"))));
        assertTrue(unknown.getMessage().contains("states"), unknown.getMessage());
    }

    /** Mamba / S4D-real init: A_log = log(s+1), D = 1, Δ = softplus(b_dt) log-uniform in [1e-3, 1e-1], weights U(±1/√in), other biases 0. */
    @Test
    void defaultInitIsMambasInit() {
        int in = 9, h = 400, n = 5;
        Cell cell = provider.create(new CellConfig(in, h, Map.of("state_size", Integer.toString(n))));
        double[] p = ParameterInit.defaults().initialize(cell, new Rng(11));
        CellLayout l = cell.layout();
        CellLayout.ParameterBlock aLog = l.parameter("A_log");
        for (int c = 0; c < h; c++) {
            for (int s = 0; s < n; s++) {
                assertEquals(Math.log(s + 1), p[aLog.offset() + c * n + s], 0.0);
            }
        }
        assertBlock(p, l.parameter("D"), 1, 1);
        assertBlock(p, l.parameter("bias_u"), 0, 0);
        assertBlock(p, l.parameter("bias_z"), 0, 0);
        double bound = 1 / Math.sqrt(in);
        for (String w : List.of("weight_u", "weight_dt", "weight_B", "weight_C", "weight_z")) {
            CellLayout.ParameterBlock b = l.parameter(w);
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < b.size(); i++) {
                lo = Math.min(lo, p[b.offset() + i]);
                hi = Math.max(hi, p[b.offset() + i]);
            }
            assertTrue(lo >= -bound && hi <= bound, w + " in [" + lo + ", " + hi + "], bound " + bound);
            if (b.size() > 40) {
                assertTrue(lo < -0.8 * bound && hi > 0.8 * bound, w + " spans its range: [" + lo + ", " + hi + "]");
            }
        }
        CellLayout.ParameterBlock dt = l.parameter("bias_dt");
        int below = 0;
        for (int c = 0; c < h; c++) {
            double v = p[dt.offset() + c];
            double delta = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
            assertTrue(delta >= 1e-3 * (1 - 1e-12) && delta <= 1e-1 * (1 + 1e-12), "softplus(bias_dt) = " + delta);
            below += delta < 1e-2 ? 1 : 0;
        }
        // log-uniform: half of them below the geometric mean 1e-2
        assertTrue(below > h * 0.4 && below < h * 0.6, below + " of " + h + " time steps below 1e-2");
    }

    private static void assertBlock(double[] p, CellLayout.ParameterBlock b, double lo, double hi) {
        for (int i = 0; i < b.size(); i++) {
            double v = p[b.offset() + i];
            assertTrue(v >= lo && v <= hi, b.name() + "[" + i + "] = " + v);
        }
    }

    @Test
    void theRegistryFindsItOnTheClassPathAsAPreview() {
        try (CellRegistry registry = CellRegistry.load(getClass().getClassLoader())) {
            CellRegistry.Entry e = registry.find("ssm").orElseThrow();
            assertEquals(CellRegistry.Origin.CLASS_PATH, e.origin());
            assertTrue(e.provider().preview());
            assertEquals(Role.OTHER, e.provider().parameters().get(8).role());
        }
    }
}
