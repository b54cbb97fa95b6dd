package dev.frelon.train.data;

import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class DataLoaderTest {

    /** N examples whose feature row is (i, -i) and target is i. */
    static TensorDataset indexed(int n) {
        float[] x = new float[2 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i;
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    static List<int[]> targets(Iterable<Batch> batches) {
        List<int[]> out = new ArrayList<>();
        for (Batch b : batches) {
            float[] y = b.y().toArray();
            float[] x = b.x().toArray();
            int[] ids = new int[y.length];
            for (int k = 0; k < y.length; k++) {
                ids[k] = (int) y[k];
                assertEquals(y[k], x[2 * k], 0f, "feature row must travel with its target");
                assertEquals(-y[k], x[2 * k + 1], 0f);
            }
            out.add(ids);
        }
        return out;
    }

    static int[] flatten(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void inOrderBatchesKeepTheLastPartialBatch() {
        DataLoader loader = DataLoader.builder(indexed(10)).batchSize(4).build();
        assertEquals(3, loader.numBatches());
        List<int[]> b = targets(loader);
        assertEquals(3, b.size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, b.get(0));
        assertArrayEquals(new int[] {4, 5, 6, 7}, b.get(1));
        assertArrayEquals(new int[] {8, 9}, b.get(2));
    }

    @Test
    void dropLastDropsTheSmallBatch() {
        DataLoader loader = DataLoader.builder(indexed(10)).batchSize(4).dropLast(true).build();
        assertEquals(2, loader.numBatches());
        List<int[]> b = targets(loader);
        assertEquals(2, b.size());
        assertArrayEquals(new int[] {4, 5, 6, 7}, b.get(1));
        DataLoader tiny = DataLoader.builder(indexed(3)).batchSize(4).dropLast(true).build();
        assertEquals(0, tiny.numBatches());
        assertFalse(tiny.iterator().hasNext());
    }

    @Test
    void shuffleIsSeededPerEpochAndCoversEveryExampleOnce() {
        DataLoader a = DataLoader.builder(indexed(50)).batchSize(8).shuffle(42).build();
        DataLoader b = DataLoader.builder(indexed(50)).batchSize(8).shuffle(42).build();
        int[] a0 = flatten(targets(a));
        int[] a1 = flatten(targets(a));
        int[] b0 = flatten(targets(b));
        int[] b1 = flatten(targets(b));
        assertArrayEquals(a0, b0, "same seed, same epoch: same order");
        assertArrayEquals(a1, b1);
        assertFalse(Arrays.equals(a0, a1), "different epochs must give different orders");
        int[] identity = new int[50];
        Arrays.setAll(identity, i -> i);
        assertFalse(Arrays.equals(identity, a0), "a shuffle of 50 should not be the identity");
        for (int[] epoch : List.of(a0, a1)) {
            int[] sorted = epoch.clone();
            Arrays.sort(sorted);
            assertArrayEquals(identity, sorted, "each epoch visits every example exactly once");
        }
        assertArrayEquals(a.order(1), a1);
        assertEquals(2, a.nextEpoch());
        DataLoader other = DataLoader.builder(indexed(50)).batchSize(8).shuffle(43).build();
        assertFalse(Arrays.equals(a0, flatten(targets(other))), "another seed gives another order");
    }

    @Test
    void explicitEpochDoesNotMoveTheCounter() {
        DataLoader loader = DataLoader.builder(indexed(20)).batchSize(5).shuffle(7).build();
        int[] e3 = flatten(targets(() -> loader.iterator(3)));
        assertEquals(0, loader.nextEpoch());
        assertArrayEquals(loader.order(3), e3);
        try (DataLoader.BatchIterator it = loader.iterator(3)) {
            assertEquals(3, it.epoch());
        }
    }

    @Test
    void prefetchAndSynchronousLoadingGiveTheSameBatches() {
        for (int prefetch : new int[] {0, 1, 2, 5}) {
            DataLoader loader = DataLoader.builder(indexed(23)).batchSize(5).shuffle(3).prefetch(prefetch).build();
            DataLoader reference = DataLoader.builder(indexed(23)).batchSize(5).shuffle(3).prefetch(0).build();
            List<int[]> got = targets(loader);
            List<int[]> want = targets(reference);
            assertEquals(want.size(), got.size());
            for (int i = 0; i < want.size(); i++) {
                assertArrayEquals(want.get(i), got.get(i), "prefetch " + prefetch + ", batch " + i);
            }
        }
    }

    @Test
    void nextPastTheEndThrows() {
        DataLoader.BatchIterator it = DataLoader.builder(indexed(3)).batchSize(2).build().iterator();
        it.next();
        it.next();
        assertFalse(it.hasNext());
        NoSuchElementException e = assertThrows(NoSuchElementException.class, it::next);
        assertTrue(e.getMessage().contains("2 delivered"), e.getMessage());
    }

    /** A dataset whose example 7 cannot be loaded. */
    static Dataset failingAt7() {
        TensorDataset base = indexed(12);
        return new Dataset() {
            @Override
            public int size() {
                return base.size();
            }

            @Override
            public Example get(int i) {
                if (i == 7) {
                    throw new IllegalStateException("example 7 is corrupt");
                }
                return base.get(i);
            }
        };
    }

    @Test
    void loaderThreadExceptionsReachTheConsumer() {
        DataLoader loader = DataLoader.builder(failingAt7()).batchSize(4).prefetch(2).build();
        DataLoader.BatchIterator it = loader.iterator();
        assertEquals(4, it.next().size()); // examples 0..3
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            while (it.hasNext()) {
                it.next();
            }
        });
        assertEquals("example 7 is corrupt", e.getMessage());
        assertTrue(e.getSuppressed().length == 1 && e.getSuppressed()[0].getMessage().contains("batch 1 of epoch 0"),
                Arrays.toString(e.getSuppressed()));
        assertFalse(it.hasNext(), "a failed iterator is finished");
        Thread t = it.loaderThread();
        assertNotNull(t);
        joinQuietly(t);
        assertFalse(t.isAlive());
    }

    @Test
    void synchronousLoadingThrowsDirectly() {
        DataLoader loader = DataLoader.builder(failingAt7()).batchSize(4).prefetch(0).build();
        DataLoader.BatchIterator it = loader.iterator();
        assertNull(it.loaderThread());
        it.next();
        IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
        assertEquals("example 7 is corrupt", e.getMessage());
    }

    @Test
    void loaderThreadIsADaemonAndEndsWithTheEpoch() {
        DataLoader loader = DataLoader.builder(indexed(9)).batchSize(2).prefetch(1).build();
        DataLoader.BatchIterator it = loader.iterator();
        Thread t = it.loaderThread();
        assertTrue(t.isDaemon());
        assertTrue(t.getName().startsWith("frelon-dataloader-"), t.getName());
        int n = 0;
        while (it.hasNext()) {
            it.next();
            n++;
        }
        assertEquals(5, n);
        assertEquals(5, it.delivered());
        joinQuietly(t);
        assertFalse(t.isAlive());
    }

    @Test
    void closingEarlyStopsABlockedLoaderThread() {
        DataLoader loader = DataLoader.builder(indexed(100)).batchSize(2).prefetch(1).build();
        Thread t;
        try (DataLoader.BatchIterator it = loader.iterator()) {
            it.next();
            t = it.loaderThread();
        }
        joinQuietly(t);
        assertFalse(t.isAlive(), "close() must end the loader thread");
    }

    @Test
    void abandonedIteratorsDoNotLeakThreads() throws InterruptedException {
        DataLoader loader = DataLoader.builder(indexed(1000)).batchSize(2).prefetch(1).build();
        Thread t = startAndAbandon(loader);
        // The loader thread is blocked on a full queue; once the iterator is collected, its cleaner stops it.
        for (int i = 0; i < 200 && t.isAlive(); i++) {
            System.gc();
            t.join(50);
        }
        assertFalse(t.isAlive(), "the loader thread of an unreachable iterator must end");
    }

    private static Thread startAndAbandon(DataLoader loader) {
        DataLoader.BatchIterator it = loader.iterator();
        it.next();
        return it.loaderThread();
    }

    @Test
    void genericDatasetsAreStacked() {
        Dataset ds = new Dataset() {
            @Override
            public int size() {
                return 3;
            }

            @Override
            public Example get(int i) {
                return new Example(Tensor.full(i, 2, 2), Tensor.of(new float[] {i, 2 * i}));
            }
        };
        List<Batch> batches = new ArrayList<>();
        DataLoader.builder(ds).batchSize(2).build().forEach(batches::add);
        assertEquals(2, batches.size());
        assertArrayEquals(new int[] {2, 2, 2}, batches.get(0).x().shape());
        assertArrayEquals(new float[] {0, 0, 1, 2}, batches.get(0).y().toArray(), 0f);
        assertArrayEquals(new int[] {1, 2}, batches.get(1).y().shape());
    }

    @Test
    void genericDatasetsWithUnequalShapesCannotBeBatched() {
        Dataset ds = new Dataset() {
            @Override
            public int size() {
                return 2;
            }

            @Override
            public Example get(int i) {
                return new Example(Tensor.zeros(2 + i), Tensor.scalar(i));
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ds.gather(new int[] {0, 1}));
        assertTrue(e.getMessage().contains("example 1 has x shape [3]")
                && e.getMessage().contains("example 0 has x shape [2]"), e.getMessage());
        IndexOutOfBoundsException o = assertThrows(IndexOutOfBoundsException.class,
                () -> ds.subset(new int[] {1}).get(1));
        assertTrue(o.getMessage().contains("Subset.get: index 1") && o.getMessage().contains("1 examples"),
                o.getMessage());
    }

    @Test
    void emptyDatasetGivesNoBatchesAndNoThread() {
        DataLoader loader = DataLoader.builder(new TensorDataset(Tensor.zeros(0, 3), Tensor.zeros(0))).build();
        assertEquals(0, loader.numBatches());
        DataLoader.BatchIterator it = loader.iterator();
        assertNull(it.loaderThread());
        assertFalse(it.hasNext());
    }

    @Test
    void badSettingsAreRejected() {
        TensorDataset ds = indexed(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(ds).batchSize(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).prefetch(-1));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).prefetch(17));
        assertThrows(NullPointerException.class, () -> DataLoader.builder(null));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).build().order(-1));
        assertTrue(DataLoader.builder(ds).shuffle(1).dropLast(true).build().toString().contains("seed 1"));
    }

    @Test
    void epochSeedsAreWellMixed() {
        assertTrue(DataLoader.mix(0, 0) != DataLoader.mix(0, 1));
        assertTrue(DataLoader.mix(1, 0) != DataLoader.mix(0, 1));
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(60_000); // a guard against hanging the build, not a timing assertion
        } catch (InterruptedException e) {
            fail(e);
        }
    }

    @Test
    void batchRejectsMismatchedSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Batch(Tensor.zeros(3, 2), Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("[3, 2]"), e.getMessage());
        Batch ok = new Batch(Tensor.zeros(2, 2), Tensor.zeros(2));
        assertSame(ok.x(), ok.x());
    }
}
