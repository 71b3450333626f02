package io.github.rnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressTest {
    /** A clock the test moves by hand. */
    private static final class FakeClock {
        long nanos = 1_000_000_000L; // not zero: nothing may assume the clock starts there

        void advanceMillis(long ms) {
            nanos += TimeUnit.MILLISECONDS.toNanos(ms);
        }
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final FakeClock clock = new FakeClock();

    private Terminal terminal(boolean interactive, int columns) {
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        return Terminal.of(out, out).withInteractive(interactive, columns).withClock(() -> clock.nanos);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void linesModePrintsAtThePeriodAndTheLastStep() {
        Progress p = Progress.start(terminal(false, 80), ProgressMode.AUTO, new Progress.Plan(10, 0, "chars", 3));
        assertInstanceOf(Progress.Lines.class, p);
        for (int step = 1; step <= 10; step++) {
            clock.advanceMillis(1000);
            p.update(step, 2.0, 100L * step);
        }
        p.finish();
        List<String> lines = output().lines().toList();
        assertEquals(List.of(
                "step  3/10  loss 2.000  100 chars/s  elapsed 3.0s  ETA 7.0s",
                "step  6/10  loss 2.000  100 chars/s  elapsed 6.0s  ETA 4.0s",
                "step  9/10  loss 2.000  100 chars/s  elapsed 9.0s  ETA 1.0s",
                "step 10/10  loss 2.000  100 chars/s  elapsed 10s  ETA 0.00s"), lines);
        assertFalse(output().contains("\r"));
    }

    @Test
    void finishPrintsTheLastStateIfItWasNotPrinted() {
        Progress p = Progress.start(terminal(false, 80), ProgressMode.LINES, new Progress.Plan(100, 0, "tokens", 50));
        clock.advanceMillis(2000);
        p.update(20, 1.5, 4000);
        assertEquals("", output());
        p.finish();
        p.finish(); // idempotent
        assertEquals(List.of("step  20/100  loss 1.500  2.00k tokens/s  elapsed 2.0s  ETA 8.0s"), output().lines().toList());
    }

    @Test
    void aResumedRunCountsFromItsStartStep() {
        Progress p = Progress.start(terminal(false, 80), ProgressMode.LINES, new Progress.Plan(1000, 600, "chars", 100));
        clock.advanceMillis(4000);
        p.update(700, 1.25, 5000);
        assertEquals(List.of("step  700/1000  loss 1.250  1.25k chars/s  elapsed 4.0s  ETA 12s"), output().lines().toList());
        assertThrows(IllegalArgumentException.class, () -> p.update(650, 1, 6000), "steps may not go backwards");
        assertThrows(IllegalArgumentException.class, () -> p.update(1001, 1, 6000), "nor past the total");
    }

    @Test
    void messagesPrintInEveryMode() {
        for (ProgressMode mode : new ProgressMode[] {ProgressMode.LINES, ProgressMode.NONE}) {
            bytes.reset();
            Progress p = Progress.start(terminal(false, 80), mode, new Progress.Plan(4, 0, "chars", 1));
            p.message("sample: To be, or not");
            p.finish();
            assertEquals("sample: To be, or not" + System.lineSeparator(), output(), mode.toString());
        }
    }

    @Test
    void noneModePrintsNoProgress() {
        Progress p = Progress.start(terminal(true, 80), ProgressMode.NONE, new Progress.Plan(4, 0, "chars", 1));
        for (int s = 1; s <= 4; s++) {
            clock.advanceMillis(500);
            p.update(s, 1, s);
        }
        p.finish();
        assertEquals("", output());
    }

    @Test
    void autoIsABarOnAnInteractiveTerminal() {
        assertInstanceOf(Progress.Bar.class, Progress.start(terminal(true, 80), ProgressMode.AUTO, new Progress.Plan(1, 0, "c", 1)));
        assertInstanceOf(Progress.Bar.class, Progress.start(terminal(false, 80), ProgressMode.BAR, new Progress.Plan(1, 0, "c", 1)));
        assertInstanceOf(Progress.Lines.class, Progress.start(terminal(true, 80), ProgressMode.LINES, new Progress.Plan(1, 0, "c", 1)));
    }

    @Test
    void theBarRedrawsInPlaceAndEndsWithANewline() {
        Progress p = Progress.start(terminal(true, 80), ProgressMode.AUTO, new Progress.Plan(50, 0, "chars", 1));
        for (int s = 1; s <= 50; s++) {
            clock.advanceMillis(200);
            p.update(s, 1.0, 1000L * s);
        }
        p.finish();
        String out = output();
        assertTrue(out.endsWith(System.lineSeparator()), "ends the bar's line");
        String body = out.substring(0, out.length() - System.lineSeparator().length());
        assertFalse(body.contains("\n"), "no newline while the bar runs");
        String[] frames = body.split("\r", -1);
        assertEquals("", frames[0]);
        assertEquals(52, frames.length, "one frame per update (each 200 ms apart) plus the final one");
        for (int i = 1; i < frames.length; i++) {
            assertTrue(frames[i].length() <= 79, "frame " + i + " fits 79 columns: " + frames[i].length());
        }
        assertEquals("[" + "=".repeat(33) + "] 50/50  loss 1.000  5.00k chars/s  ETA 0.00s", frames[frames.length - 1].stripTrailing());
    }

    @Test
    void theBarIsNotRedrawnMoreOftenThanItsPeriod() {
        Progress p = Progress.start(terminal(true, 80), ProgressMode.BAR, new Progress.Plan(1000, 0, "chars", 1));
        for (int s = 1; s <= 100; s++) {
            clock.advanceMillis(10); // 100 updates in one second
            p.update(s, 1.0, s);
        }
        long frames = output().chars().filter(c -> c == '\r').count();
        assertEquals(10, frames, "the first update, then one every 100 ms");
    }

    @Test
    void theBarFitsNarrowTerminalsAndDropsTheBarWhenThereIsNoRoom() {
        Progress.Bar wide = (Progress.Bar) Progress.start(terminal(true, 120), ProgressMode.BAR, new Progress.Plan(10, 0, "chars", 1));
        clock.advanceMillis(1000);
        wide.update(5, 0.5, 500);
        String w = wide.render();
        assertEquals(119, w.length());
        assertTrue(w.startsWith("[" + "=".repeat((119 - 2 - w.substring(w.indexOf(']') + 1).length()) / 2) + ">"), w);

        Progress.Bar narrow = (Progress.Bar) Progress.start(terminal(true, 40), ProgressMode.BAR, new Progress.Plan(10, 0, "chars", 1));
        clock.advanceMillis(1000);
        narrow.update(5, 0.5, 500);
        String n = narrow.render();
        assertTrue(n.length() <= 39, n);
        assertTrue(n.startsWith(" 5/10  loss 0.5000"), n);
    }

    @Test
    void aMessageClearsTheBarAndTheBarComesBackBelowIt() {
        Progress p = Progress.start(terminal(true, 80), ProgressMode.BAR, new Progress.Plan(10, 0, "chars", 1));
        clock.advanceMillis(1000);
        p.update(1, 3.0, 100);
        bytes.reset();
        p.message("sample: hello");
        String out = output();
        String[] parts = out.split("\r", -1);
        // "", blanks over the old bar, "sample...\n", the redrawn bar
        assertEquals(4, parts.length, out);
        assertTrue(parts[1].isBlank() && parts[1].length() > 40, "the old bar is overwritten with spaces");
        assertEquals("sample: hello" + System.lineSeparator(), parts[2]);
        assertTrue(parts[3].startsWith("[=="), parts[3]);
    }

    @Test
    void rateAndEtaFollowTheRecentSpeedNotTheSlowStart() {
        Progress p = Progress.start(terminal(false, 80), ProgressMode.LINES, new Progress.Plan(1000, 0, "chars", 1000));
        long chars = 0;
        for (int s = 1; s <= 10; s++) { // slow start: 1 step/s
            clock.advanceMillis(1000);
            chars += 100;
            p.update(s, 1, chars);
        }
        for (int s = 11; s <= 500; s++) { // then 20 steps/s
            clock.advanceMillis(50);
            chars += 100;
            p.update(s, 1, chars);
        }
        p.finish();
        assertEquals(List.of("step  500/1000  loss 1.000  2.00k chars/s  elapsed 35s  ETA 25s"), output().lines().toList());
    }

    @Test
    void nanLossAndUnknownRatesPrintAsSuch() {
        Progress p = Progress.start(terminal(false, 80), ProgressMode.LINES, new Progress.Plan(2, 0, "chars", 1));
        p.update(1, Double.NaN, 0); // no time has passed: no rate yet
        assertEquals(List.of("step 1/2  loss nan  -- chars/s  elapsed 0.00s  ETA --"), output().lines().toList());
    }

    @Test
    void plansRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Progress.Plan(0, 0, "c", 1));
        assertThrows(IllegalArgumentException.class, () -> new Progress.Plan(10, 11, "c", 1));
        assertThrows(IllegalArgumentException.class, () -> new Progress.Plan(10, 0, "c", 0));
    }
}
