package io.github.rnnlab.task;

import io.github.rnnlab.numeric.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Reber grammar (Reber 1967) and its embedded form (Cleeremans, Servan-Schreiber &amp; McClelland
 * 1989; Hochreiter &amp; Schmidhuber 1997, experiment 1) as a deterministic finite automaton with
 * transition probabilities. Symbols are numbered in the order of {@link #SYMBOLS}: B=0 T=1 P=2 S=3 X=4
 * V=5 E=6.
 *
 * <pre>
 * Reber:     0 -B-> 1     1 -T-> 2   1 -P-> 3     2 -S-> 2   2 -X-> 4     3 -T-> 3   3 -V-> 5
 *            4 -X-> 3     4 -S-> 6   5 -P-> 4     5 -V-> 6   6 -E-> end
 * Embedded:  B, then T or P, then a Reber string, then the same T or P again, then E.
 * </pre>
 *
 * Where a state has two edges each is taken with probability ½. Every (state, symbol) pair has at
 * most one edge, so the state after any prefix — and with it the set of legal next symbols — is
 * determined. In the embedded grammar the symbol after the inner E repeats the second symbol of the
 * string: predicting it needs a memory of 5 or more steps back (the inner string's length).
 *
 * <p>Instances are immutable.
 */
public final class ReberGrammar {
    /** The 7 symbols, in id order. */
    public static final String SYMBOLS = "BTPSXVE";
    public static final int SYMBOL_COUNT = 7;
    static final int B = 0, T = 1, P = 2, S = 3, X = 4, V = 5, E = 6;

    /** Outgoing edges per state: symbol, target state, probability. A state without edges is final. */
    private final int[][] edgeSymbols;
    private final int[][] edgeTargets;
    private final double[][] edgeProbabilities;
    private final int start;
    private final String name;

    private ReberGrammar(String name, List<int[]> edges, int stateCount, int start) {
        this.name = name;
        this.start = start;
        List<List<int[]>> byState = new ArrayList<>();
        for (int i = 0; i < stateCount; i++) {
            byState.add(new ArrayList<>());
        }
        for (int[] e : edges) {
            byState.get(e[0]).add(e);
        }
        edgeSymbols = new int[stateCount][];
        edgeTargets = new int[stateCount][];
        edgeProbabilities = new double[stateCount][];
        for (int q = 0; q < stateCount; q++) {
            List<int[]> out = byState.get(q);
            edgeSymbols[q] = out.stream().mapToInt(e -> e[1]).toArray();
            edgeTargets[q] = out.stream().mapToInt(e -> e[2]).toArray();
            edgeProbabilities[q] = new double[out.size()];
            Arrays.fill(edgeProbabilities[q], out.isEmpty() ? 0 : 1.0 / out.size());
            if (Arrays.stream(edgeSymbols[q]).distinct().count() != out.size()) {
                throw new IllegalStateException("state " + q + " has two edges with one symbol");
            }
        }
    }

    /** The plain Reber grammar: 8 states, strings such as BTSSXXTVVE, BPVVE. */
    public static ReberGrammar plain() {
        List<int[]> edges = new ArrayList<>();
        addReber(edges, 0, 7);
        return new ReberGrammar("Reber", edges, 8, 0);
    }

    /** The embedded Reber grammar: strings such as BTBPVVETE, BPBTXSEPE. */
    public static ReberGrammar embedded() {
        // 0 -B-> 1; 1 -T-> 2 (upper copy, states 2..9, exit 9); 1 -P-> 10 (lower copy, 10..17, exit 17);
        // 9 -T-> 18; 17 -P-> 18; 18 -E-> 19 (final).
        List<int[]> edges = new ArrayList<>();
        edges.add(new int[] {0, B, 1});
        edges.add(new int[] {1, T, 2});
        edges.add(new int[] {1, P, 10});
        addReber(edges, 2, 9);
        addReber(edges, 10, 17);
        edges.add(new int[] {9, T, 18});
        edges.add(new int[] {17, P, 18});
        edges.add(new int[] {18, E, 19});
        return new ReberGrammar("embedded Reber", edges, 20, 0);
    }

    /** The Reber graph with its states numbered from {@code base}; its E leads to {@code exit}. */
    private static void addReber(List<int[]> edges, int base, int exit) {
        int[][] local = {{0, B, 1}, {1, T, 2}, {1, P, 3}, {2, S, 2}, {2, X, 4}, {3, T, 3}, {3, V, 5},
                {4, X, 3}, {4, S, 6}, {5, P, 4}, {5, V, 6}};
        for (int[] e : local) {
            edges.add(new int[] {base + e[0], e[1], base + e[2]});
        }
        edges.add(new int[] {base + 6, E, exit});
    }

    public String name() {
        return name;
    }

    public int stateCount() {
        return edgeSymbols.length;
    }

    /** The state before the first symbol. */
    public int start() {
        return start;
    }

    /** Whether {@code state} has no outgoing edges (the string is complete). */
    public boolean isFinal(int state) {
        return edgeSymbols[state].length == 0;
    }

    /** The state reached from {@code state} by {@code symbol}, or −1 if the grammar does not allow it. */
    public int next(int state, int symbol) {
        int[] syms = edgeSymbols[state];
        for (int i = 0; i < syms.length; i++) {
            if (syms[i] == symbol) {
                return edgeTargets[state][i];
            }
        }
        return -1;
    }

    /** The symbols allowed after reaching {@code state}, as a bit set (bit s = symbol s). */
    public int legalNext(int state) {
        int mask = 0;
        for (int s : edgeSymbols[state]) {
            mask |= 1 << s;
        }
        return mask;
    }

    /** Whether {@code symbols} is a complete string of this grammar. */
    public boolean accepts(int[] symbols) {
        int q = start;
        for (int s : symbols) {
            if (s < 0 || s >= SYMBOL_COUNT || isFinal(q)) {
                return false;
            }
            q = next(q, s);
            if (q < 0) {
                return false;
            }
        }
        return isFinal(q);
    }

    /** Whether the letters of {@code string} (from {@link #SYMBOLS}) form a complete string of this grammar. */
    public boolean accepts(String string) {
        int[] symbols = new int[string.length()];
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = SYMBOLS.indexOf(string.charAt(i));
        }
        return accepts(symbols);
    }

    /** A random complete string, as symbol ids: from each state one edge, chosen with one {@code rng.nextDouble()}. */
    public int[] sample(Rng rng) {
        int[] buf = new int[16];
        int n = 0, q = start;
        while (!isFinal(q)) {
            double u = rng.nextDouble(), acc = 0;
            int k = edgeSymbols[q].length - 1; // fall back to the last edge against rounding
            for (int i = 0; i < edgeSymbols[q].length; i++) {
                acc += edgeProbabilities[q][i];
                if (u < acc) {
                    k = i;
                    break;
                }
            }
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, 2 * n);
            }
            buf[n++] = edgeSymbols[q][k];
            q = edgeTargets[q][k];
        }
        return Arrays.copyOf(buf, n);
    }

    /** The shortest complete string's length (5 for Reber, 9 for embedded Reber). */
    public int minimumLength() {
        int[] dist = new int[stateCount()];
        Arrays.fill(dist, -1);
        dist[start] = 0;
        ArrayList<Integer> queue = new ArrayList<>(List.of(start));
        for (int i = 0; i < queue.size(); i++) {
            int q = queue.get(i);
            if (isFinal(q)) {
                return dist[q];
            }
            for (int t : edgeTargets[q]) {
                if (dist[t] < 0) {
                    dist[t] = dist[q] + 1;
                    queue.add(t);
                }
            }
        }
        throw new IllegalStateException("grammar has no finite string");
    }

    /** Letters for symbol ids. */
    public static String toLetters(int[] symbols) {
        StringBuilder sb = new StringBuilder(symbols.length);
        for (int s : symbols) {
            sb.append(SYMBOLS.charAt(s));
        }
        return sb.toString();
    }

    int[] edgeSymbols(int state) {
        return edgeSymbols[state];
    }

    int[] edgeTargets(int state) {
        return edgeTargets[state];
    }

    double[] edgeProbabilities(int state) {
        return edgeProbabilities[state];
    }
}
