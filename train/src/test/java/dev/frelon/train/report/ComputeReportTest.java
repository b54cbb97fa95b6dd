package dev.frelon.train.report;

import dev.frelon.core.kernel.FlopCounter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComputeReportTest {

    @Test
    void anHourOfCpuAtTenWattsIsFourGramsAtFourHundred() {
        ComputeReport r = ComputeReport.builder().samples(60_000).wallSeconds(1200).cpuSeconds(3600)
                .flops(3_000_000_000_000L).wattsPerCore(10).gridIntensity(400).build();
        assertEquals(36_000, r.energyJoules(), 1e-9);
        assertEquals(0.01, r.energyKwh(), 1e-15);
        assertEquals(4.0, r.co2eGrams(), 1e-12);
        assertEquals(50.0, r.samplesPerSecond(), 1e-12);
        assertEquals(2.5, r.gflopsPerSecond(), 1e-12);
        assertEquals(3.0, r.averageBusyCores(), 1e-12);
        assertEquals(1200.0, r.wallSeconds(), 0);
        assertEquals(3600.0, r.cpuSeconds(), 0);
    }

    @Test
    void toStringIsAReadableBlock() {
        ComputeReport r = ComputeReport.builder().samples(60_000).wallSeconds(1200).cpuSeconds(3600)
                .flops(3_000_000_000_000L).wattsPerCore(10).gridIntensity(400).build();
        String s = r.toString();
        assertTrue(s.startsWith("Compute report\n"), s);
        assertTrue(s.contains("60,000 in 1200.000 s (50.0 samples/s)"), s);
        assertTrue(s.contains("3600.000 s (1 h 00 min) (3.00 cores busy on average)"), s);
        assertTrue(s.contains("3.00 TFLOP (2.50 GFLOP/s achieved"), s);
        assertTrue(s.contains("10.0 Wh = 0.0100 kWh (estimate, assuming 10.0 W per busy core)"), s);
        assertTrue(s.contains("4.00 g (estimate, assuming 400 gCO2e/kWh)"), s);
        assertEquals(6, s.split("\n").length, s);
    }

    @Test
    void assumptionsCanBeChangedAfterwards() {
        ComputeReport r = ComputeReport.builder().cpuSeconds(7200).wattsPerCore(10).gridIntensity(400).build();
        ComputeReport clean = r.toBuilder().wattsPerCore(5).gridIntensity(50).build();
        assertEquals(0.01, clean.energyKwh(), 1e-15);
        assertEquals(0.5, clean.co2eGrams(), 1e-12);
        assertEquals(7200.0, clean.cpuSeconds(), 0);
    }

    @Test
    void systemPropertiesOverrideTheDefaults() {
        String w = System.getProperty(ComputeReport.WATTS_PROPERTY);
        String g = System.getProperty(ComputeReport.GRID_PROPERTY);
        try {
            System.clearProperty(ComputeReport.WATTS_PROPERTY);
            System.clearProperty(ComputeReport.GRID_PROPERTY);
            ComputeReport d = ComputeReport.builder().cpuSeconds(3600).build();
            assertEquals(10.0, d.wattsPerCore(), 0);
            assertEquals(400.0, d.gridIntensity(), 0);
            assertEquals(4.0, d.co2eGrams(), 1e-12);
            System.setProperty(ComputeReport.WATTS_PROPERTY, "20");
            System.setProperty(ComputeReport.GRID_PROPERTY, " 100 ");
            ComputeReport p = ComputeReport.builder().cpuSeconds(3600).build();
            assertEquals(0.02, p.energyKwh(), 1e-15);
            assertEquals(2.0, p.co2eGrams(), 1e-12);
            // the builder wins over the properties
            assertEquals(4.0, ComputeReport.builder().cpuSeconds(3600).wattsPerCore(10).gridIntensity(400).build()
                    .co2eGrams(), 1e-12);
            System.setProperty(ComputeReport.WATTS_PROPERTY, "ten");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ComputeReport.builder().build());
            assertTrue(e.getMessage().contains("frelon.watts.per.core='ten'"), e.getMessage());
            System.setProperty(ComputeReport.WATTS_PROPERTY, "-1");
            assertThrows(IllegalArgumentException.class, ComputeReport::defaultWattsPerCore);
        } finally {
            restore(ComputeReport.WATTS_PROPERTY, w);
            restore(ComputeReport.GRID_PROPERTY, g);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void unknownCpuTimeGivesNaNAndSaysSo() {
        ComputeReport r = ComputeReport.builder().samples(10).wallSeconds(1).cpuNanos(-1).wattsPerCore(10)
                .gridIntensity(400).build();
        assertTrue(Double.isNaN(r.energyKwh()));
        assertTrue(Double.isNaN(r.co2eGrams()));
        assertTrue(r.toString().contains("CPU time     unknown"), r.toString());
        assertTrue(r.toString().contains("n/a g"), r.toString());
    }

    @Test
    void zeroWallTimeDoesNotDivideByZero() {
        ComputeReport r = ComputeReport.builder().samples(5).wattsPerCore(10).gridIntensity(400).build();
        assertTrue(Double.isNaN(r.samplesPerSecond()));
        assertTrue(r.toString().contains("(n/a samples/s)"), r.toString());
    }

    @Test
    void badValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ComputeReport.builder().samples(-1));
        assertThrows(IllegalArgumentException.class, () -> ComputeReport.builder().wallNanos(-5));
        assertThrows(IllegalArgumentException.class, () -> ComputeReport.builder().cpuNanos(-2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComputeReport.builder().wattsPerCore(Double.NaN));
        assertTrue(e.getMessage().contains("watts per core"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ComputeReport.builder().gridIntensity(-1));
    }

    @Test
    void snapshotsGiveDifferences() {
        ComputeMeter.Snapshot a = new ComputeMeter.Snapshot(1_000_000_000L, 5_000_000_000L, 1_000);
        ComputeMeter.Snapshot b = new ComputeMeter.Snapshot(3_000_000_000L, 9_000_000_000L, 4_001_000);
        ComputeReport r = ComputeReport.between(a, b, 100);
        assertEquals(2.0, r.wallSeconds(), 0);
        assertEquals(4.0, r.cpuSeconds(), 0);
        assertEquals(4_000_000, r.flops());
        assertEquals(50.0, r.samplesPerSecond(), 1e-12);
        ComputeMeter.Snapshot unknown = new ComputeMeter.Snapshot(3_000_000_000L, -1, 0);
        assertEquals(-1, ComputeReport.between(a, unknown, 1).cpuNanos());
    }

    @Test
    void meterCountsFlopsAndCpuTimeOfThisProcess() {
        ComputeMeter m = ComputeMeter.start();
        FlopCounter.addGemm(10, 20, 30);
        long busy = 0;
        for (int i = 0; i < 1_000_000; i++) {
            busy += i % 7;
        }
        ComputeReport r = m.stop(128);
        assertEquals(12_000, r.flops());
        assertEquals(128, r.samples());
        assertTrue(r.wallNanos() >= 0);
        assertTrue(r.cpuNanos() >= 0, "this JDK reports process CPU time");
        assertTrue(ComputeMeter.processCpuNanos() > 0);
        assertTrue(busy > 0);
    }
}
