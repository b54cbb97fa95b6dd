package dev.frelon.train.data;

import dev.frelon.core.Rng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Seeded train/validation splits and k-fold cross-validation. The same seed gives the same split on every
 * run and machine. Index arrays in the results are sorted ascending (a {@link DataLoader} shuffles anyway).
 */
public final class Splits {
    private Splits() {
    }

    /**
     * Indices split into a training and a validation part.
     *
     * @param train the training indices, sorted
     * @param validation the validation indices, sorted
     */
    public record IndexSplit(int[] train, int[] validation) {
    }

    /**
     * A dataset split into two {@link Subset} views.
     *
     * @param train the training examples
     * @param validation the validation examples
     */
    public record DatasetSplit(Dataset train, Dataset validation) {
    }

    /**
     * One fold of k-fold cross-validation.
     *
     * @param index the fold number, 0 to k-1
     * @param train the indices of the other folds, sorted
     * @param validation the indices of this fold, sorted
     */
    public record Fold(int index, int[] train, int[] validation) {
    }

    /**
     * Splits {@code 0 .. n-1} at random.
     *
     * @param n the number of examples, at least 0
     * @param validationFraction the share for validation, in [0, 1]; the validation size is
     *     {@code round(n * validationFraction)}
     * @param seed the seed
     * @return the split
     */
    public static IndexSplit trainValidation(int n, double validationFraction, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("Splits.trainValidation: n must be at least 0, got " + n);
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return trainValidation(all, validationFraction, seed);
    }

    /**
     * Splits a given set of indices at random (for example the training part of an earlier split).
     *
     * @param indices the indices to split (not modified)
     * @param validationFraction the share for validation, in [0, 1]; the validation size is
     *     {@code round(indices.length * validationFraction)}
     * @param seed the seed
     * @return the split; each input index lands in exactly one part
     */
    public static IndexSplit trainValidation(int[] indices, double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction <= 1)) {
            throw new IllegalArgumentException("Splits.trainValidation: validation fraction must be in [0, 1], got "
                    + validationFraction);
        }
        int n = indices.length;
        int nv = (int) Math.round(n * validationFraction);
        int[] p = new Rng(seed).permutation(n);
        int[] val = new int[nv];
        int[] train = new int[n - nv];
        for (int i = 0; i < nv; i++) {
            val[i] = indices[p[i]];
        }
        for (int i = nv; i < n; i++) {
            train[i - nv] = indices[p[i]];
        }
        Arrays.sort(val);
        Arrays.sort(train);
        return new IndexSplit(train, val);
    }

    /**
     * Splits a dataset at random into two views.
     *
     * @param dataset the dataset
     * @param validationFraction the share for validation, in [0, 1]
     * @param seed the seed
     * @return the two parts
     */
    public static DatasetSplit trainValidation(Dataset dataset, double validationFraction, long seed) {
        IndexSplit s = trainValidation(dataset.size(), validationFraction, seed);
        return new DatasetSplit(dataset.subset(s.train()), dataset.subset(s.validation()));
    }

    /**
     * Cuts a random permutation of {@code 0 .. n-1} into {@code k} folds: every index is in exactly one
     * validation fold and fold sizes differ by at most 1 (fold {@code f} takes positions
     * {@code floor(f·n/k)} to {@code floor((f+1)·n/k) - 1} of the permutation).
     *
     * @param n the number of examples
     * @param k the number of folds, from 2 to {@code n}
     * @param seed the seed
     * @return the {@code k} folds, in order
     */
    public static List<Fold> kFold(int n, int k, long seed) {
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("Splits.kFold: need 2 <= k <= n, got k = " + k + " and n = " + n);
        }
        int[] p = new Rng(seed).permutation(n);
        List<Fold> folds = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            int from = (int) ((long) f * n / k);
            int to = (int) ((long) (f + 1) * n / k);
            int[] val = Arrays.copyOfRange(p, from, to);
            int[] train = new int[n - val.length];
            System.arraycopy(p, 0, train, 0, from);
            System.arraycopy(p, to, train, from, n - to);
            Arrays.sort(val);
            Arrays.sort(train);
            folds.add(new Fold(f, train, val));
        }
        return Collections.unmodifiableList(folds);
    }

    /** The work done on one fold: train on one part, evaluate on the other. */
    @FunctionalInterface
    public interface FoldFunction {
        /**
         * Trains a fresh model on {@code train} and evaluates it on {@code validation}, returning its metrics;
         * called once per fold, in fold order.
         *
         * @param fold the fold number, 0 to k-1
         * @param train the training view of the dataset
         * @param validation the validation view of the dataset
         * @return named metrics of this fold, for example {@code Map.of("accuracy", 0.93)}; every fold must
         *     report the same names
         */
        Map<String, Double> run(int fold, Dataset train, Dataset validation);
    }

    /**
     * Metrics collected over the folds of a cross-validation.
     *
     * @param perFold the metrics of each fold, in fold order
     * @param mean the mean of each metric over the folds
     * @param std the population standard deviation (divided by k, as NumPy's default {@code np.std}) of each
     *     metric over the folds
     */
    public record CrossValidation(List<Map<String, Double>> perFold, Map<String, Double> mean,
                                  Map<String, Double> std) {

        /**
         * Copies every map and list into unmodifiable ones that keep the given iteration order.
         *
         * @param perFold per-fold metrics (copied)
         * @param mean means (copied)
         * @param std standard deviations (copied)
         */
        public CrossValidation {
            List<Map<String, Double>> folds = new ArrayList<>();
            for (Map<String, Double> m : perFold) {
                folds.add(Collections.unmodifiableMap(new LinkedHashMap<>(m)));
            }
            perFold = Collections.unmodifiableList(folds);
            mean = Collections.unmodifiableMap(new LinkedHashMap<>(mean));
            std = Collections.unmodifiableMap(new LinkedHashMap<>(std));
        }

        /** @return one line per metric: {@code name: mean ± std over k folds} */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (String name : mean.keySet()) {
                sb.append(String.format(Locale.ROOT, "%s: %.4f ± %.4f over %d folds%n", name, mean.get(name),
                        std.get(name), perFold.size()));
            }
            return sb.toString();
        }
    }

    /**
     * Runs {@code k}-fold cross-validation: calls {@code fn} on each fold of {@link #kFold} (in order, on this
     * thread) with {@link Subset} views of the dataset, and summarises the metrics.
     *
     * @param dataset the dataset
     * @param k the number of folds, from 2 to {@code dataset.size()}
     * @param seed the seed of the fold assignment
     * @param fn the per-fold work
     * @return the per-fold metrics with their means and standard deviations
     */
    public static CrossValidation crossValidate(Dataset dataset, int k, long seed, FoldFunction fn) {
        Objects.requireNonNull(fn, "Splits.crossValidate: fold function is null");
        List<Map<String, Double>> results = new ArrayList<>();
        for (Fold f : kFold(dataset.size(), k, seed)) {
            Map<String, Double> m = fn.run(f.index(), dataset.subset(f.train()), dataset.subset(f.validation()));
            if (m == null || m.isEmpty()) {
                throw new IllegalArgumentException("Splits.crossValidate: fold " + f.index() + " of " + k
                        + " returned no metrics; expected a map such as {accuracy=0.9}");
            }
            if (!results.isEmpty() && !m.keySet().equals(results.get(0).keySet())) {
                throw new IllegalArgumentException("Splits.crossValidate: fold " + f.index() + " reported metrics "
                        + m.keySet() + " but fold 0 reported " + results.get(0).keySet()
                        + "; every fold must report the same names");
            }
            results.add(new LinkedHashMap<>(m));
        }
        return summarise(results);
    }

    /**
     * Means and population standard deviations of per-fold metrics.
     *
     * @param perFold the metrics of each fold, all with the same names, at least one fold
     * @return the summary
     */
    public static CrossValidation summarise(List<Map<String, Double>> perFold) {
        if (perFold.isEmpty()) {
            throw new IllegalArgumentException("Splits.summarise: needs the metrics of at least one fold");
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        Map<String, Double> std = new LinkedHashMap<>();
        for (String name : perFold.get(0).keySet()) {
            double[] v = new double[perFold.size()];
            for (int i = 0; i < v.length; i++) {
                Double x = perFold.get(i).get(name);
                if (x == null) {
                    throw new IllegalArgumentException("Splits.summarise: fold " + i + " has no metric '" + name
                            + "' (it has " + perFold.get(i).keySet() + ")");
                }
                v[i] = x;
            }
            double m = 0;
            for (double x : v) {
                m += x;
            }
            m /= v.length;
            double ss = 0;
            for (double x : v) {
                ss += (x - m) * (x - m);
            }
            mean.put(name, m);
            std.put(name, Math.sqrt(ss / v.length));
        }
        return new CrossValidation(perFold, mean, std);
    }
}
