package io.github.rnnlab.tck;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TCK's laws hold for a correct cell and catch each defect they are about. */
class CellChecksTest {
    private static final Scenario MASKED = new Scenario(new CellConfig(3, 5), 3, 4, Scenario.Padding.RANDOM, 17);
    private static final Scenario PLAIN = new Scenario(new CellConfig(2, 3), 2, 3, Scenario.Padding.NONE, 5);

    private static CellProvider toy(ToyCell.Defect d) {
        return new ToyCell.Provider(d);
    }

    @Test
    void aCorrectCellPassesEveryLaw() {
        for (Scenario s : List.of(MASKED, PLAIN)) {
            for (CheckResult r : CellChecks.all(toy(ToyCell.Defect.NONE), s)) {
                assertTrue(r.passed(), r.toString());
            }
        }
    }

    @Test
    void theCommandLineCasesCoverEveryPadding() {
        List<Scenario> cases = CellChecks.scenarios(new CellConfig(4, 3), 9);
        assertEquals(List.of(Scenario.Padding.NONE, Scenario.Padding.RANDOM, Scenario.Padding.LENGTHS),
                cases.stream().map(Scenario::mask).toList());
        for (Scenario s : cases) {
            assertTrue(CellChecks.all(toy(ToyCell.Defect.NONE), s).stream().allMatch(CheckResult::passed));
            assertFalse(CellChecks.all(toy(ToyCell.Defect.WRONG_BACKWARD), s).stream().allMatch(CheckResult::passed));
        }
    }

    @Test
    void aWrongBackwardFailsTheGradientCheck() {
        CheckResult r = CellChecks.gradients(toy(ToyCell.Defect.WRONG_BACKWARD), PLAIN);
        assertFalse(r.passed());
        assertTrue(r.detail().contains("FAIL"), r.detail());
        // the gradient reaching the initial c only through c_{t-1} is wrong: its line of the table fails
        String line = r.detail().lines().filter(l -> l.startsWith("initial c")).findFirst().orElseThrow();
        assertTrue(line.contains("FAIL"), r.detail());
    }

    @Test
    void aSloppyFloatPathFailsThePrecisionLaw() {
        assertFalse(CellChecks.float32AgreesWithFloat64(toy(ToyCell.Defect.SLOPPY_FLOAT32), MASKED).passed());
        // ... while the float64 gradient check cannot see it
        assertTrue(CellChecks.gradients(toy(ToyCell.Defect.SLOPPY_FLOAT32), PLAIN).passed());
    }

    @Test
    void hiddenStateFailsDeterminism() {
        CheckResult r = CellChecks.deterministic(toy(ToyCell.Defect.STATEFUL), PLAIN);
        assertFalse(r.passed(), r.toString());
    }

    @Test
    void scribblingOnTheInputIsCaught() {
        CheckResult r = CellChecks.inputsUnmodified(toy(ToyCell.Defect.MODIFIES_INPUT), PLAIN);
        assertFalse(r.passed());
        assertTrue(r.detail().contains("modified its input"), r.detail());
    }

    @Test
    void writingOutsideTheOutputIsCaught() {
        CheckResult r = CellChecks.inputsUnmodified(toy(ToyCell.Defect.WRITES_OUTSIDE), PLAIN);
        assertFalse(r.passed());
        assertTrue(r.detail().contains("wrote outside the output region"), r.detail());
    }

    @Test
    void ignoringTheMaskIsCaught() {
        CheckResult r = CellChecks.paddedStepsAreSkippedSteps(toy(ToyCell.Defect.IGNORES_MASK), MASKED);
        assertFalse(r.passed());
        assertTrue(r.detail().contains("padded step"), r.detail());
    }

    @Test
    void theWrongExceptionTypeIsCaught() {
        CheckResult r = CellChecks.wrongInputSizeThrows(toy(ToyCell.Defect.WRONG_EXCEPTION), PLAIN);
        assertFalse(r.passed());
        assertTrue(r.detail().contains("IllegalArgumentException"), r.detail());
    }

    @Test
    void orthogonalityFailsForAnInitThatIsNotOrthogonal() {
        double[] notOrthogonal = {1, 0.5, 0, 1};
        double[] sv = Spectra.singularValues(notOrthogonal, 0, 2, 2);
        assertFalse(Math.abs(sv[0] - 1) < 1e-5 && Math.abs(sv[1] - 1) < 1e-5);
    }

    @Test
    void singularValuesOfKnownMatrices() {
        // diag(3, 2) rotated by 30° on the left: singular values 2 and 3
        double c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
        double[] a = {3 * c, -2 * s, 3 * s, 2 * c};
        double[] sv = Spectra.singularValues(a, 0, 2, 2);
        assertEquals(2, sv[0], 1e-14);
        assertEquals(3, sv[1], 1e-14);
        // a 2×3 matrix with orthogonal rows of norms 1 and 2
        double[] wide = {1, 0, 0, 0, 0, 2};
        double[] w = Spectra.singularValues(wide, 0, 2, 3);
        assertEquals(1, w[0], 1e-15);
        assertEquals(2, w[1], 1e-15);
        double[] ev = Spectra.symmetricEigenvalues(new double[]{2, 1, 0, 1, 2, 1, 0, 1, 2}, 3);
        assertEquals(2 - Math.sqrt(2), ev[0], 1e-14);
        assertEquals(2, ev[1], 1e-14);
        assertEquals(2 + Math.sqrt(2), ev[2], 1e-14);
    }

    @Test
    void gradientReportCriteria() {
        GradientReport.Entry ok = GradientCheck.compare("w", new double[]{1.0005, 0, 1e-6}, new double[]{1.0, 0, 0});
        assertTrue(ok.passed(), "|a − n| ≤ 1e-5 + 1e-3|n|");
        assertTrue(ok.symmetricPassed() == false, "DL4J: 1e-6 vs 0 has relative error 1 and abs error ≥ 1e-8");
        GradientReport.Entry bad = GradientCheck.compare("w", new double[]{1.002, Double.NaN}, new double[]{1.0, 0});
        assertEquals(2, bad.failures());
        assertEquals(1, bad.worstIndex());
    }

    @Test
    void orThrowRaisesAssertionErrorWithTheLaw() {
        AssertionError e = assertThrows(AssertionError.class, () -> CheckResult.fail("law x", "detail y").orThrow());
        assertEquals("law x: detail y", e.getMessage());
    }
}
