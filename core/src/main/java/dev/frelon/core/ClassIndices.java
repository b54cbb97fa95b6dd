package dev.frelon.core;

/**
 * Reads a tensor of indices (class labels, token ids) into an {@code int[]}, checking each one: the shared entry
 * of cross-entropy, nll, one-hot and embedding lookups.
 *
 * <p>Indices are int64 or int32 tensors, as in PyTorch. Floating tensors holding integers are accepted too (a
 * label column read from a file is float32): that is not ambiguous here, because these operations take class
 * indices of one shape and nothing else of it. Bool tensors are refused.
 */
public final class ClassIndices {

    private ClassIndices() {
    }

    /**
     * The indices of {@code t} in row-major order, each checked to be an integer in {@code [0, bound)} or equal to
     * {@code ignoreIndex}.
     *
     * @param op the operation, named in errors
     * @param what what an index is called in errors ("target", "index", "label")
     * @param t the indices, of any shape
     * @param bound one more than the largest valid index
     * @param ignoreIndex a value let through unchecked (PyTorch's {@code ignore_index})
     * @return the indices, as ints
     * @throws IllegalArgumentException if {@code t} is a bool tensor
     * @throws IndexOutOfBoundsException if an index is not an integer in range (naming its position and value)
     */
    public static int[] read(String op, String what, Tensor t, int bound, int ignoreIndex) {
        return read(op, what, t, bound, (long) ignoreIndex);
    }

    /**
     * {@link #read(String, String, Tensor, int, int)} without an ignore index: every index must be in range.
     *
     * @param op the operation, named in errors
     * @param what what an index is called in errors
     * @param t the indices, of any shape
     * @param bound one more than the largest valid index
     * @return the indices, as ints
     * @throws IllegalArgumentException if {@code t} is a bool tensor
     * @throws IndexOutOfBoundsException if an index is not an integer in [0, bound)
     */
    public static int[] read(String op, String what, Tensor t, int bound) {
        return read(op, what, t, bound, NO_IGNORE);
    }

    /** No int equals it, so no index is let through unchecked. */
    private static final long NO_IGNORE = Long.MIN_VALUE;

    private static int[] read(String op, String what, Tensor t, int bound, long ignoreIndex) {
        if (t.dtype == DType.BOOL) {
            throw new IllegalArgumentException(op + ": " + what + "s must be int64, int32 or integer-valued floats,"
                    + " got bool of shape " + Shape.str(t.shape));
        }
        int[] out = new int[t.numel()];
        if (t.dtype.isIntegral()) {
            long[] v = t.toLongArray();
            for (int i = 0; i < v.length; i++) {
                if (v[i] != ignoreIndex && (v[i] < 0 || v[i] >= bound)) {
                    throw outOfRange(op, what, Long.toString(v[i]), i, bound);
                }
                out[i] = (int) v[i];
            }
            return out;
        }
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            int k = (int) v[i];
            if (k != v[i] || (k != ignoreIndex && (k < 0 || k >= bound))) {
                throw outOfRange(op, what, Double.toString(v[i]), i, bound);
            }
            out[i] = k;
        }
        return out;
    }

    private static IndexOutOfBoundsException outOfRange(String op, String what, String value, int at, int bound) {
        return new IndexOutOfBoundsException(op + ": " + what + " " + value + " at position " + at
                + " is not an integer in [0, " + bound + ")");
    }
}
