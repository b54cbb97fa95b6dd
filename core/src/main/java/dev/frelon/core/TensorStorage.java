package dev.frelon.core;

import java.util.Arrays;

/**
 * The low-level door to a float32 tensor's storage: the backing {@code float[]} shared by every view of it, where a
 * tensor's elements lie in it, and the hook that records a write made there. For kernels, optimizers, file writers and
 * data loaders that must read or update dense float32 tensors without going through {@link Tensor}'s operations;
 * everything else (and every other dtype) should use those operations, which keep views, broadcasting and the
 * version counter right by themselves.
 *
 * <p>Element {@code (i0, i1, ...)} of {@code t} lives at
 * {@code array(t)[offset(t) + i0*strides(t)[0] + i1*strides(t)[1] + ...]}. A caller that writes into
 * {@link #array} must then call {@link #markWritten}, so that autodiff can tell that a tensor it saved for the
 * backward pass has changed (see {@link Tensor#version()}).
 */
public final class TensorStorage {

    private TensorStorage() {
    }

    /**
     * The backing storage of a tensor, shared with every view of it; a writer must call {@link #markWritten}.
     *
     * @param t a float32 tensor
     * @return the storage array (not a copy)
     * @throws IllegalArgumentException if the tensor is not float32
     */
    public static float[] array(Tensor t) {
        if (t.data == null) {
            throw new IllegalArgumentException("TensorStorage.array: the tensor is " + t.dtype + " (shape "
                    + Shape.str(t.shape) + "); only a float32 tensor is backed by a float[]");
        }
        return t.data;
    }

    /**
     * Where the first element of a tensor lies in {@link #array}: 0 for a new tensor, possibly more for views such as
     * {@link Tensor#narrow} or {@link Tensor#select}.
     *
     * @param t the tensor
     * @return the storage index of the first element
     */
    public static int offset(Tensor t) {
        return t.offset;
    }

    /**
     * How far apart in {@link #array} consecutive indices of each dim lie: row-major for a dense tensor, permuted by
     * {@link Tensor#transpose}, 0 along the dims stretched by {@link Tensor#expand}.
     *
     * @param t the tensor
     * @return a copy of the strides, in elements
     */
    public static int[] strides(Tensor t) {
        return t.strides.clone();
    }

    /**
     * A new array holding {@code n} elements of a storage array from {@code from}: of the storage's own type.
     *
     * @param store a float[], double[], long[], int[] or boolean[]
     * @param from the first element
     * @param n how many
     * @return the copy
     */
    static Object copyRun(Object store, int from, int n) {
        return switch (store) {
            case float[] f -> Arrays.copyOfRange(f, from, from + n);
            case double[] d -> Arrays.copyOfRange(d, from, from + n);
            case long[] l -> Arrays.copyOfRange(l, from, from + n);
            case int[] i -> Arrays.copyOfRange(i, from, from + n);
            case boolean[] b -> Arrays.copyOfRange(b, from, from + n);
            default -> throw new IllegalStateException("TensorStorage.copyRun: unknown storage " + store.getClass());
        };
    }

    /**
     * Records an in-place write made directly to {@link #array}: bumps the version counter that the tensor shares with
     * every view of its storage.
     *
     * @param t the tensor written to (or any view of the same storage)
     */
    public static void markWritten(Tensor t) {
        t.markWritten();
    }

    /**
     * Whether some elements of {@code t} alias each other: a stride of 0 on a dim of more than one element, as an
     * {@link Tensor#expand} gives. Such a view cannot be written element by element.
     *
     * @param t any tensor
     * @return true for an expanded view
     */
    public static boolean isExpanded(Tensor t) {
        for (int d = 0; d < t.strides.length; d++) {
            // Stride 0 on a dim of size 1 aliases nothing (expand() gives such dims stride 0 too).
            if (t.strides[d] == 0 && t.shape[d] > 1) {
                return true;
            }
        }
        return false;
    }
}
