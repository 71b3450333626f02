package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    @Test
    void distanceCountsEditsAndSwaps() {
        assertEquals(0, Suggestions.distance("lstm", "lstm"));
        assertEquals(1, Suggestions.distance("lstn", "lstm"));
        assertEquals(1, Suggestions.distance("lsmt", "lstm"), "a swap of neighbours is one edit");
        assertEquals(1, Suggestions.distance("gr", "gru"));
        assertEquals(4, Suggestions.distance("", "info"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
    }

    @Test
    void closestNamesFirstWithinALimit() {
        List<String> cells = List.of("lstm", "gru", "rnn_tanh", "rnn_relu", "mingru");
        assertEquals(List.of("lstm"), Suggestions.closest("LSTN", cells));
        assertEquals(List.of("rnn_tanh"), Suggestions.closest("rnn_tan", cells));
        assertEquals(List.of("lsta", "lstm"), Suggestions.closest("lst", List.of("lstm", "gru", "lsta")), "ties in name order");
        assertEquals(List.of(), Suggestions.closest("transformer", cells));
        assertEquals(List.of("gru"), Suggestions.closest("gu", cells));
        assertEquals(List.of(), Suggestions.closest("xyz", cells), "short names get one edit at most");
    }
}
