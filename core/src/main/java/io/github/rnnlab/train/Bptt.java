package io.github.rnnlab.train;

import io.github.rnnlab.cell.CellConfig;

/**
 * How far gradients are propagated back through time.
 *
 * <p>Full BPTT back-propagates through each whole sequence. Truncated BPTT(k1, k2) (Williams &amp; Peng
 * 1990, "BPTT(h; h')" with h = k2, h' = k1) runs the sequence forward k1 steps at a time, carrying the
 * state across, and after each k1 steps back-propagates the losses of those k1 steps through the last
 * k2 steps only; the gradient is cut at the window start. k1 = k2 = K is the usual "cut every K
 * steps" ({@code --bptt K}).
 *
 * @param forwardSteps  k1 ≥ 1, or 0 for full BPTT
 * @param backwardSteps k2 ≥ k1, or 0 for full BPTT
 */
public record Bptt(int forwardSteps, int backwardSteps) {

    public Bptt {
        boolean full = forwardSteps == 0 && backwardSteps == 0;
        if (!full && (forwardSteps < 1 || backwardSteps < forwardSteps)) {
            throw new CellConfig.InvalidConfigException("truncated BPTT needs 1 ≤ k1 ≤ k2 (every loss back-propagated once),"
                    + " got k1=" + forwardSteps + " k2=" + backwardSteps);
        }
    }

    /** Full BPTT through each whole sequence. */
    public static Bptt full() {
        return new Bptt(0, 0);
    }

    /** Truncated BPTT with k1 = k2 = {@code k}. */
    public static Bptt truncated(int k) {
        return truncated(k, k);
    }

    /** Truncated BPTT(k1, k2). */
    public static Bptt truncated(int k1, int k2) {
        if (k1 < 1) {
            throw new CellConfig.InvalidConfigException("truncated BPTT needs k1 ≥ 1, got " + k1);
        }
        return new Bptt(k1, k2);
    }

    /** {@code "full"}, {@code "K"} (k1 = k2 = K) or {@code "K1,K2"}. */
    public static Bptt parse(String s) {
        String t = s.trim();
        if (t.equalsIgnoreCase("full")) {
            return full();
        }
        try {
            int comma = t.indexOf(',');
            if (comma < 0) {
                return truncated(Integer.parseInt(t));
            }
            return truncated(Integer.parseInt(t.substring(0, comma).trim()), Integer.parseInt(t.substring(comma + 1).trim()));
        } catch (NumberFormatException e) {
            throw new CellConfig.InvalidConfigException("bptt: expected full, K or K1,K2, got \"" + s + "\"");
        }
    }

    public boolean isFull() {
        return forwardSteps == 0;
    }

    @Override
    public String toString() {
        return isFull() ? "full" : forwardSteps == backwardSteps ? Integer.toString(forwardSteps) : forwardSteps + "," + backwardSteps;
    }
}
