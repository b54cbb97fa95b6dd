package dev.frelon.core;

import java.util.Arrays;

/** Shape arithmetic shared by the tensor operations: sizes, strides, broadcasting and dim checks. */
final class Shape {
    private Shape() {
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** The most elements one tensor may have: a Java array's limit (HotSpot reserves a few header words). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /**
     * The product of the dims, computed in long arithmetic and checked against {@link #MAX_ELEMENTS}, for every
     * shape a tensor or a view may take (an expanded view counts its elements as a dense tensor would, so that
     * {@code numel()} and every loop over it stay in int range). A dim of 0 anywhere gives 0 elements, whatever the
     * other dims, as in PyTorch.
     */
    static int numel(String op, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in shape " + str(shape));
            }
            n = Math.min(n * d, MAX_ELEMENTS + 1); // saturated: n * d stays below 2^62, and a later 0 still gives 0
        }
        if (n > MAX_ELEMENTS) {
            throw new IllegalArgumentException(op + ": shape " + str(shape) + " has more than " + MAX_ELEMENTS
                    + " elements, the limit of one tensor (2^31 − 9: a Java array's)");
        }
        return (int) n;
    }

    /** Checks that a count computed in floating point (arange, a geometry) fits one tensor, and returns it. */
    static int count(String op, double n, String what) {
        if (!(n <= MAX_ELEMENTS)) {
            throw new IllegalArgumentException(op + ": " + what + " gives " + (Double.isNaN(n) ? "NaN" : String.format("%.0f", n))
                    + " elements, more than " + MAX_ELEMENTS + ", the limit of one tensor");
        }
        return (int) Math.max(0, n);
    }

    static int[] contiguousStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= Math.max(shape[d], 1);
        }
        return s;
    }

    /** Resolves a possibly negative dim against a rank, with a clear message on failure. */
    static int dim(String op, int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException(op + ": dim " + dim + " is out of range for a tensor of rank " + rank
                    + " (expected " + (-r) + " <= dim < " + r + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    /**
     * Like {@link #dim}, for operations that index into a dim, which a 0-d tensor does not have ({@link #dim}
     * lets dims 0 and -1 stand for a scalar itself, as reductions and squeeze allow).
     */
    static int existingDim(String op, int dim, int rank) {
        if (rank == 0) {
            throw new IndexOutOfBoundsException(op + ": dim " + dim + " is out of range for a 0-d tensor, which has no dims");
        }
        return dim(op, dim, rank);
    }

    /** NumPy broadcasting of two shapes. */
    static int[] broadcast(String op, int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast (dim " + i + " of the result: " + da + " vs " + db + ")");
            }
        }
        return out;
    }

    /** Strides that view a tensor of {@code shape}/{@code strides} as the broadcast {@code target} shape. */
    static int[] broadcastStrides(String op, int[] shape, int[] strides, int[] target) {
        int lead = target.length - shape.length;
        if (lead < 0) {
            throw new IllegalArgumentException(op + ": cannot broadcast shape " + str(shape) + " to " + str(target)
                    + " (target has fewer dims)");
        }
        int[] s = new int[target.length];
        for (int i = 0; i < shape.length; i++) {
            int d = shape[i];
            int t = target[lead + i];
            if (d == t) {
                s[lead + i] = d == 1 ? 0 : strides[i];
            } else if (d == 1) {
                s[lead + i] = 0;
            } else {
                throw new IllegalArgumentException(op + ": cannot broadcast shape " + str(shape) + " to " + str(target)
                        + " (dim " + i + ": " + d + " vs " + t + ")");
            }
        }
        return s;
    }

    /** Normalises and checks a list of dims: in range, no repeats. Returns a boolean mask over the rank. */
    static boolean[] dimMask(String op, int[] dims, int rank) {
        boolean[] mask = new boolean[rank];
        for (int d : dims) {
            int n = dim(op, d, rank);
            if (rank == 0) {
                continue;
            }
            if (mask[n]) {
                throw new IllegalArgumentException(op + ": dim " + d + " appears more than once in " + Arrays.toString(dims));
            }
            mask[n] = true;
        }
        return mask;
    }
}
