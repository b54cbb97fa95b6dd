package dev.frelon.train.data;

import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitsTest {

    private static int[] concatSorted(int[] a, int[] b) {
        int[] all = IntStream.concat(Arrays.stream(a), Arrays.stream(b)).toArray();
        Arrays.sort(all);
        return all;
    }

    @Test
    void trainValidationSplitIsSeededAndPartitions() {
        Splits.IndexSplit s = Splits.trainValidation(10, 0.25, 5);
        assertEquals(3, s.validation().length); // round(2.5) = 3
        assertEquals(7, s.train().length);
        assertArrayEquals(IntStream.range(0, 10).toArray(), concatSorted(s.train(), s.validation()));
        Splits.IndexSplit again = Splits.trainValidation(10, 0.25, 5);
        assertArrayEquals(s.validation(), again.validation());
        boolean differs = false;
        for (long seed = 6; seed < 16 && !differs; seed++) {
            differs = !Arrays.equals(s.validation(), Splits.trainValidation(10, 0.25, seed).validation());
        }
        assertTrue(differs, "other seeds should give other splits");
        assertEquals(0, Splits.trainValidation(10, 0, 1).validation().length);
        assertEquals(10, Splits.trainValidation(10, 1, 1).validation().length);
    }

    @Test
    void splitsGivenIndexArrays() {
        int[] idx = {100, 7, 42, 9, 55};
        Splits.IndexSplit s = Splits.trainValidation(idx, 0.4, 1);
        assertEquals(2, s.validation().length);
        int[] sorted = idx.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, concatSorted(s.train(), s.validation()));
    }

    @Test
    void datasetSplitGivesViews() {
        TensorDataset ds = new TensorDataset(Tensor.arange(20).reshape(10, 2), Tensor.arange(10));
        Splits.DatasetSplit s = Splits.trainValidation(ds, 0.2, 9);
        assertEquals(8, s.train().size());
        assertEquals(2, s.validation().size());
        Splits.IndexSplit idx = Splits.trainValidation(10, 0.2, 9);
        assertEquals((float) idx.validation()[1], s.validation().get(1).y().item(), 0f);
    }

    @Test
    void kFoldPartitionsWithBalancedSizes() {
        int n = 23;
        int k = 5;
        List<Splits.Fold> folds = Splits.kFold(n, k, 11);
        assertEquals(k, folds.size());
        int[] seen = new int[n];
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (Splits.Fold f : folds) {
            for (int i : f.validation()) {
                seen[i]++;
            }
            min = Math.min(min, f.validation().length);
            max = Math.max(max, f.validation().length);
            assertArrayEquals(IntStream.range(0, n).toArray(), concatSorted(f.train(), f.validation()),
                    "fold " + f.index() + ": train is the complement of validation");
        }
        for (int i = 0; i < n; i++) {
            assertEquals(1, seen[i], "index " + i + " must be in exactly one validation fold");
        }
        assertEquals(4, min);
        assertEquals(5, max);
        assertArrayEquals(folds.get(2).validation(), Splits.kFold(n, k, 11).get(2).validation());
        assertFalse(Arrays.equals(folds.get(0).validation(), Splits.kFold(n, k, 12).get(0).validation()));
    }

    @Test
    void kFoldRejectsBadK() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Splits.kFold(3, 4, 0));
        assertTrue(e.getMessage().contains("k = 4") && e.getMessage().contains("n = 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Splits.kFold(10, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Splits.trainValidation(4, 1.5, 0));
        assertThrows(IllegalArgumentException.class, () -> Splits.trainValidation(4, Double.NaN, 0));
    }

    @Test
    void crossValidationCollectsMeanAndStd() {
        TensorDataset ds = new TensorDataset(Tensor.arange(8).reshape(8, 1), Tensor.arange(8));
        Splits.CrossValidation cv = Splits.crossValidate(ds, 4, 3, (fold, train, val) -> {
            assertEquals(6, train.size());
            assertEquals(2, val.size());
            return Map.of("score", (double) fold, "size", (double) val.size());
        });
        assertEquals(4, cv.perFold().size());
        assertEquals(1.5, cv.mean().get("score"), 1e-12);
        assertEquals(Math.sqrt(1.25), cv.std().get("score"), 1e-12); // population std of 0, 1, 2, 3
        assertEquals(0.0, cv.std().get("size"), 0.0);
        assertTrue(cv.toString().contains("score: 1.5000 ± 1.1180 over 4 folds"), cv.toString());
    }

    @Test
    void crossValidationChecksTheMetrics() {
        TensorDataset ds = new TensorDataset(Tensor.arange(6).reshape(6, 1), Tensor.arange(6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Splits.crossValidate(ds, 3, 0,
                (fold, tr, va) -> fold == 1 ? Map.of("loss", 1.0) : Map.of("acc", 1.0)));
        assertTrue(e.getMessage().contains("fold 1 reported metrics [loss]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Splits.crossValidate(ds, 3, 0, (f, tr, va) -> Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Splits.summarise(List.of()));
    }
}
