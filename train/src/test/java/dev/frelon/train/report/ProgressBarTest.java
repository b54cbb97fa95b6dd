package dev.frelon.train.report;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarTest {
    private static final long SECOND = 1_000_000_000L;

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    private final AtomicLong now = new AtomicLong(1_000 * SECOND);

    private String output() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        return output().lines().toList();
    }

    @Test
    void logModePrintsALineEveryTenthWithRateAndEta() {
        ProgressBar bar = ProgressBar.builder(20).label("epoch 1").out(out).terminal(false).clock(now::get).build();
        assertFalse(bar.terminal());
        for (int i = 0; i < 20; i++) {
            now.addAndGet(SECOND / 2); // each step of 32 samples takes 0.5 s
            bar.step(32);
        }
        bar.close();
        List<String> l = lines();
        assertEquals(10, l.size(), output());
        assertEquals("epoch 1: 2/20 (10%) | 64.0 samples/s | elapsed 0:01 | ETA 0:09", l.get(0));
        assertEquals("epoch 1: 10/20 (50%) | 64.0 samples/s | elapsed 0:05 | ETA 0:05", l.get(4));
        assertEquals("epoch 1: 20/20 (100%) | 64.0 samples/s | elapsed 0:10 | ETA 0:00", l.get(9));
        assertEquals(20, bar.steps());
        assertEquals(640, bar.samples());
    }

    @Test
    void logModeAlsoLogsOnTheIntervalAndShowsStatus() {
        ProgressBar bar = ProgressBar.builder(1000).out(out).terminal(false).logInterval(60).clock(now::get).build();
        now.addAndGet(61 * SECOND);
        bar.status("loss 0.500");
        bar.step(10); // 0.1%: not a tenth, but a minute has passed
        bar.step(10); // no new line
        now.addAndGet(60 * SECOND);
        bar.advance(98, 980); // 10%: a tenth, and the interval too: one line
        bar.close(); // a final line, as the state changed since the last one? It did not: no line.
        List<String> l = lines();
        assertEquals(2, l.size(), output());
        assertEquals("1/1000 (0%) | 0.2 samples/s | elapsed 1:01 | ETA 16:55:39 | loss 0.500", l.get(0));
        assertEquals("100/1000 (10%) | 8.3 samples/s | elapsed 2:01 | ETA 18:09 | loss 0.500", l.get(1));
    }

    @Test
    void unknownTotalShowsStepsAndStepsPerSecond() {
        ProgressBar bar = ProgressBar.builder(0).label("eval").out(out).terminal(false).logInterval(10)
                .clock(now::get).build();
        now.addAndGet(4 * SECOND);
        bar.step(0);
        bar.step(0);
        bar.close();
        assertEquals(List.of("eval: 2 steps | 0.5 steps/s | elapsed 0:04"), lines());
    }

    @Test
    void terminalModeRedrawsOneLine() {
        ProgressBar bar = ProgressBar.builder(4).label("train").out(out).terminal(true).barWidth(8)
                .clock(now::get).build();
        now.addAndGet(SECOND);
        bar.step(1000);
        bar.step(1000); // within 0.1 s of the last redraw: skipped
        now.addAndGet(SECOND);
        bar.status("loss 1.2");
        bar.step(1000);
        now.addAndGet(SECOND);
        bar.step(1000); // the last step is always drawn
        bar.close();
        String s = output();
        String[] frames = s.split("\r", -1);
        assertEquals("", frames[0]);
        assertEquals(5, frames.length, s); // 3 redraws during the loop and one on close
        assertEquals("train [==>     ] 1/4  25%  1,000.0 samples/s  ETA 0:03", frames[1]);
        assertEquals("train [======> ] 3/4  75%  1,500.0 samples/s  ETA 0:01  loss 1.2", frames[2]);
        assertTrue(frames[3].startsWith("train [========] 4/4 100%  1,333.3 samples/s  ETA 0:00  loss 1.2"),
                frames[3]);
        assertTrue(frames[4].endsWith("\n"), "close ends the line");
    }

    @Test
    void shorterRedrawsEraseTheLongerLine() {
        ProgressBar bar = ProgressBar.builder(2).out(out).terminal(true).clock(now::get).build();
        now.addAndGet(SECOND);
        bar.status("a long status message");
        bar.step(1);
        now.addAndGet(SECOND);
        bar.status(null);
        bar.step(1);
        String[] frames = output().split("\r", -1);
        assertEquals(frames[1].length(), frames[2].length(), "padded with spaces: '" + frames[2] + "'");
        assertTrue(frames[2].endsWith("  "));
    }

    @Test
    void misuseIsRejected() {
        ProgressBar bar = ProgressBar.builder(3).out(out).terminal(false).clock(now::get).build();
        assertThrows(IllegalArgumentException.class, () -> bar.advance(-1, 0));
        bar.close();
        bar.close(); // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> bar.step(1));
        assertTrue(e.getMessage().contains("after close"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProgressBar.builder(-1));
        assertThrows(IllegalArgumentException.class, () -> ProgressBar.builder(5).logEvery(2));
        assertThrows(IllegalArgumentException.class, () -> ProgressBar.builder(5).barWidth(1));
    }

    @Test
    void formatsClockTimes() {
        assertEquals("0:00", ProgressBar.clockTime(0.2));
        assertEquals("1:05", ProgressBar.clockTime(65));
        assertEquals("2:00:01", ProgressBar.clockTime(7201));
    }

    @Test
    void testsDoNotRunOnATerminal() {
        // Under Maven the output is redirected: detection must say so.
        assertFalse(ProgressBar.isTerminal());
    }
}
