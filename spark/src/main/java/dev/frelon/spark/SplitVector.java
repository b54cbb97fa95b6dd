package dev.frelon.spark;

import java.util.Arrays;

/**
 * One vector of floats kept as whole arrays laid end to end, so that an exchange can sum a model's gradients where
 * they lie instead of in a copy. Piece p holds elements {@code [start(p), start(p) + length(p))} of the vector, and
 * each piece's length is fixed when the vector is made; the arrays themselves may be swapped from call to call
 * ({@link #set}), as a step's gradients are new tensors.
 */
final class SplitVector {

    private final float[][] pieces;
    /** starts[p] is where piece p begins in the vector; starts[pieces] is the vector's length. */
    private final int[] starts;
    /** The gathered copy, for exchanges that need one array; made at the first {@link #gather}. */
    private float[] flat;

    /**
     * A vector of pieces of these lengths, each a new array of zeros until {@link #set} replaces it.
     *
     * @param lengths each piece's number of elements (not negative)
     * @throws IllegalArgumentException if a length is negative or the total exceeds an array's
     */
    SplitVector(int... lengths) {
        this(zeros(lengths));
    }

    /** A vector of one piece, {@code values} itself. */
    static SplitVector of(float[] values) {
        return new SplitVector(new float[][] {values});
    }

    /** A vector whose pieces are these arrays, in order (not copied); their total length fits an array. */
    private SplitVector(float[][] arrays) {
        pieces = arrays.clone();
        starts = new int[arrays.length + 1];
        for (int p = 0; p < arrays.length; p++) {
            starts[p + 1] = starts[p] + arrays[p].length;
        }
    }

    /** New arrays of zeros of these lengths, checked before any is made. */
    private static float[][] zeros(int[] lengths) {
        long total = 0;
        for (int p = 0; p < lengths.length; p++) {
            if (lengths[p] < 0) {
                throw new IllegalArgumentException("SplitVector: piece " + p + " has a negative length, " + lengths[p]);
            }
            total += lengths[p];
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("SplitVector: the pieces " + Arrays.toString(lengths)
                    + " hold more elements than an array can");
        }
        float[][] arrays = new float[lengths.length][];
        for (int p = 0; p < lengths.length; p++) {
            arrays[p] = new float[lengths[p]];
        }
        return arrays;
    }

    /**
     * Makes {@code array} piece {@code p}: the vector's elements there are now read from and written to it.
     *
     * @param p the piece
     * @param array exactly as long as the piece
     * @throws IllegalArgumentException if its length is not the piece's
     */
    void set(int p, float[] array) {
        if (array.length != length(p)) {
            throw new IllegalArgumentException("SplitVector: piece " + p + " holds " + length(p)
                    + " elements, got an array of " + array.length);
        }
        pieces[p] = array;
    }

    /** Piece {@code p}'s array (not a copy). */
    float[] piece(int p) {
        return pieces[p];
    }

    /** The number of pieces. */
    int pieces() {
        return pieces.length;
    }

    /** The number of elements of piece {@code p}. */
    int length(int p) {
        return starts[p + 1] - starts[p];
    }

    /** Where piece {@code p} begins in the vector. */
    int start(int p) {
        return starts[p];
    }

    /** The number of elements of the vector. */
    int length() {
        return starts[pieces.length];
    }

    /** Each piece's number of elements, in a new array. */
    int[] lengths() {
        int[] lengths = new int[pieces.length];
        for (int p = 0; p < lengths.length; p++) {
            lengths[p] = length(p);
        }
        return lengths;
    }

    /** Whether {@code other} has pieces of the same lengths, so that element i means the same in both. */
    boolean sameLayout(SplitVector other) {
        return Arrays.equals(starts, other.starts);
    }

    /**
     * The vector as one array, which is reused by the next call (written over).
     *
     * @return an array of {@link #length()} elements, owned by this vector
     */
    float[] gather() {
        if (flat == null) {
            flat = new float[length()];
        }
        for (int p = 0; p < pieces.length; p++) {
            System.arraycopy(pieces[p], 0, flat, starts[p], length(p));
        }
        return flat;
    }

    /**
     * Writes {@code values} over the pieces, the inverse of {@link #gather}.
     *
     * @param values at least {@link #length()} elements (not modified)
     */
    void scatter(float[] values) {
        for (int p = 0; p < pieces.length; p++) {
            System.arraycopy(values, starts[p], pieces[p], 0, length(p));
        }
    }
}
