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
     * Creates a Mersenne Twister generator seeded with {@code seed}.
     *
     * @param seed the seed; equal seeds give equal sequences
     */
    public Rng(long seed) {
        this.gen = new MersenneTwister(seed);
    }

    /**
     * Draws the next float, uniform in [0, 1).
     *
     * @return a float uniformly distributed in [0, 1)
     */
    public float nextFloat() {
        return gen.nextFloat();
    }

    /**
     * Draws the next double, uniform in [0, 1).
     *
     * @return a double uniformly distributed in [0, 1)
     */
    public double nextDouble() {
        return gen.nextDouble();
    }

    /**
     * Draws a sample from the standard normal distribution N(0, 1).
     *
     * @return a standard normal sample (mean 0, standard deviation 1)
     */
    public double nextGaussian() {
        return gen.nextGaussian();
    }

    /**
     * Draws an int uniformly from [0, bound).
     *
     * @param bound exclusive upper bound, positive
     * @return an int uniformly distributed in [0, bound)
     * @throws IllegalArgumentException if {@code bound} is not positive
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("Rng.nextInt: bound must be positive, got " + bound);
        }
        return gen.nextInt(bound);
    }

    /**
     * Draws the next long over the whole range of {@code long}, e.g. to seed another generator.
     *
     * @return a long drawn from this generator
     */
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
     * Returns a uniformly random permutation of {@code 0..n-1}: the identity shuffled by {@link #shuffle(int[])}.
     *
     * @param n the size, at least 0
     * @return a new array holding a random permutation of 0..n-1
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
