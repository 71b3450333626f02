package io.github.rnnlab.tck;

import java.util.List;
import java.util.Locale;

/**
 * The result of a finite-difference gradient check ({@link GradientCheck}): one entry per parameter
 * block, for the input sequence, and per initial state.
 *
 * @param cellId   the cell checked
 * @param scenario the case
 * @param entries  one per checked quantity, in the order parameters (layout order), input, states
 */
public record GradientReport(String cellId, Scenario scenario, List<Entry> entries) {

    public GradientReport {
        entries = List.copyOf(entries);
    }

    /**
     * How the analytic gradient of one quantity compares with central differences.
     *
     * @param name                  e.g. {@code weight_hh}, {@code input}, {@code initial h}
     * @param size                  elements checked
     * @param maxAbsError           max |a − n|
     * @param maxRelError           max |a − n| / |n| over elements with n ≠ 0 (0 if none)
     * @param maxSymmetricRelError  max DL4J relative error |a − n| / (|a| + |n|) (0 when both are 0)
     * @param worstIndex            the element with the largest |a − n| / (atol + rtol·|n|), or −1 if size 0
     * @param analyticAtWorst       a at that element
     * @param numericAtWorst        n at that element
     * @param failures              elements failing the PyTorch criterion |a − n| ≤ atol + rtol·|n|
     * @param symmetricFailures     elements failing DL4J's: relative error &gt; 1e-3 with |a − n| ≥ 1e-8
     */
    public record Entry(String name, int size, double maxAbsError, double maxRelError, double maxSymmetricRelError,
                        int worstIndex, double analyticAtWorst, double numericAtWorst, int failures,
                        int symmetricFailures) {
        /** Whether every element meets the PyTorch gradcheck criterion. */
        public boolean passed() {
            return failures == 0;
        }

        /** Whether every element meets DL4J's criterion (the second report). */
        public boolean symmetricPassed() {
            return symmetricFailures == 0;
        }
    }

    /** Whether every entry passes the PyTorch criterion (the one the contract enforces). */
    public boolean passed() {
        return entries.stream().allMatch(Entry::passed);
    }

    /** Whether every entry passes DL4J's criterion. */
    public boolean symmetricPassed() {
        return entries.stream().allMatch(Entry::symmetricPassed);
    }

    /** A fixed-width table, one line per entry, for {@code rnnlab check} and failure messages. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "gradient check of %s, %s (central differences, eps %.0e; pass: |a-n| <= %.0e + %.0e|n|)%n",
                cellId, scenario, GradientCheck.EPSILON, GradientCheck.ATOL, GradientCheck.RTOL));
        sb.append(String.format(Locale.ROOT, "%-16s %6s %11s %11s %11s %6s %6s  %s%n",
                "quantity", "size", "max abs", "max rel", "max sym rel", "pass", "dl4j", "worst (analytic vs numeric)"));
        for (Entry e : entries) {
            sb.append(String.format(Locale.ROOT, "%-16s %6d %11.3e %11.3e %11.3e %6s %6s  %s%n",
                    e.name(), e.size(), e.maxAbsError(), e.maxRelError(), e.maxSymmetricRelError(),
                    e.passed() ? "ok" : "FAIL(" + e.failures() + ")", e.symmetricPassed() ? "ok" : "FAIL",
                    e.worstIndex() < 0 ? "-" : String.format(Locale.ROOT, "[%d] %.9g vs %.9g", e.worstIndex(),
                            e.analyticAtWorst(), e.numericAtWorst())));
        }
        return sb.toString();
    }
}
