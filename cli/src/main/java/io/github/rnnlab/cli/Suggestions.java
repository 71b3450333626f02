package io.github.rnnlab.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean": the known names closest to a mistyped one, by edit distance (insertions, deletions,
 * substitutions and swaps of neighbours each count one). For unknown commands here; phase-2 commands use it
 * for unknown cell ids and tasks.
 */
public final class Suggestions {
    private Suggestions() {
    }

    /**
     * The names in {@code known} within a small edit distance of {@code typed} (one edit for names of up to four
     * characters, two beyond), closest first, at most three; case is ignored.
     */
    public static List<String> closest(String typed, Collection<String> known) {
        String t = typed.toLowerCase(Locale.ROOT);
        int limit = t.length() <= 4 ? 1 : 2;
        List<String> hits = new ArrayList<>();
        for (String name : known) {
            if (distance(t, name.toLowerCase(Locale.ROOT)) <= limit) {
                hits.add(name);
            }
        }
        hits.sort(Comparator.comparingInt((String name) -> distance(t, name.toLowerCase(Locale.ROOT)))
                .thenComparing(Comparator.naturalOrder()));
        return hits.size() > 3 ? List.copyOf(hits.subList(0, 3)) : List.copyOf(hits);
    }

    /** The optimal-string-alignment distance between {@code a} and {@code b}. */
    static int distance(String a, String b) {
        int n = a.length();
        int m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[n][m];
    }
}
