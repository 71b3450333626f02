package io.github.rnnlab.tck;

/**
 * The outcome of one law on one case.
 *
 * @param law    the law's name, e.g. {@code float32 agrees with float64}
 * @param passed whether it held
 * @param detail one or more lines: the figures measured, or what went wrong
 */
public record CheckResult(String law, boolean passed, String detail) {

    static CheckResult pass(String law, String detail) {
        return new CheckResult(law, true, detail);
    }

    static CheckResult fail(String law, String detail) {
        return new CheckResult(law, false, detail);
    }

    /** Throws {@link AssertionError} with the law and detail unless it passed (for test frameworks). */
    public CheckResult orThrow() {
        if (!passed) {
            throw new AssertionError(law + ": " + detail);
        }
        return this;
    }

    @Override
    public String toString() {
        return (passed ? "ok   " : "FAIL ") + law + (detail.isEmpty() ? "" : ": " + detail);
    }
}
