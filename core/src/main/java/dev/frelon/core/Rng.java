package dev.frelon.core;

import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * A seeded random number generator: the same seed gives the same sequence on every machine and JDK.
 * Backed by Commons Math's Mersenne Twister; not thread-safe (give each thread its own).
 */
public final class Rng {
    private final RandomGenerator gen;

    /**
     * @param seed the seed; equal seeds give equal sequences
     */
    public Rng(long seed) {
        this.gen = new MersenneTwister(seed);
    }

    /** @return a float uniformly distributed in [0, 1) */
    public float nextFloat() {
        return gen.nextFloat();
    }

    /** @return a double uniformly distributed in [0, 1) */
    public double nextDouble() {
        return gen.nextDouble();
    }

    /** @return a standard normal sample (mean 0, standard deviation 1) */
    public double nextGaussian() {
        return gen.nextGaussian();
    }

    /**
     * @param bound exclusive upper bound, positive
     * @return an int uniformly distributed in [0, bound)
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("Rng.nextInt: bound must be positive, got " + bound);
        }
        return gen.nextInt(bound);
    }

    /** @return a long drawn from this generator, e.g. to seed another one */
    public long nextLong() {
        return gen.nextLong();
    }

    /**
     * Shuffles the array in place (Fisher-Yates).
     *
     * @param a the values to permute
     */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = gen.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * @param n the size
     * @return a random permutation of 0..n-1
     */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }
}
