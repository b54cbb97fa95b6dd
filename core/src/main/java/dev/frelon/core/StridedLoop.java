package dev.frelon.core;

/**
 * Walks a shape in row-major order for several operands at once, handing the body one innermost strip at a
 * time (offsets of each operand at the strip's start). Adjacent dims that every operand lays out as one are
 * merged first, so dense operands make a single strip and the kernels see long runs.
 */
final class StridedLoop {

    /** Receives one strip: the operands' offsets at its start, and its length. */
    @FunctionalInterface
    interface Strip {
        void run(int[] offsets, int n);
    }

    final int[] shape;
    final int[][] strides;
    /** Stride of each operand along the innermost (merged) dim. */
    final int[] inner;

    StridedLoop(int[] shape, int[]... strides) {
        // Merge dims d and d+1 when, for every operand, stride[d] == stride[d+1] * shape[d+1].
        int r = shape.length;
        int[] sh = new int[r];
        int[][] st = new int[strides.length][r];
        int out = 0;
        for (int d = 0; d < r; d++) {
            if (shape[d] == 1 && r > 1) {
                continue; // size-1 dims never move an offset
            }
            if (out > 0 && mergeable(sh[out - 1], st, out - 1, strides, d, shape[d])) {
                sh[out - 1] *= shape[d];
                for (int k = 0; k < strides.length; k++) {
                    st[k][out - 1] = strides[k][d];
                }
            } else {
                sh[out] = shape[d];
                for (int k = 0; k < strides.length; k++) {
                    st[k][out] = strides[k][d];
                }
                out++;
            }
        }
        this.shape = java.util.Arrays.copyOf(sh, out);
        this.strides = new int[strides.length][];
        this.inner = new int[strides.length];
        for (int k = 0; k < strides.length; k++) {
            this.strides[k] = java.util.Arrays.copyOf(st[k], out);
            this.inner[k] = out == 0 ? 1 : this.strides[k][out - 1];
        }
    }

    private static boolean mergeable(int prevSize, int[][] st, int prev, int[][] strides, int d, int size) {
        for (int k = 0; k < strides.length; k++) {
            if (st[k][prev] != strides[k][d] * size) {
                return false;
            }
        }
        return true;
    }

    /** Runs the body over every strip, starting from the given base offsets. */
    void forEach(int[] base, Strip body) {
        int r = shape.length;
        int ops = base.length;
        int[] offs = base.clone();
        if (r == 0) {
            body.run(offs, 1);
            return;
        }
        for (int s : shape) {
            if (s == 0) {
                return;
            }
        }
        int n = shape[r - 1];
        int[] idx = new int[r];
        while (true) {
            body.run(offs, n);
            int d = r - 2;
            while (d >= 0) {
                idx[d]++;
                for (int k = 0; k < ops; k++) {
                    offs[k] += strides[k][d];
                }
                if (idx[d] < shape[d]) {
                    break;
                }
                for (int k = 0; k < ops; k++) {
                    offs[k] -= strides[k][d] * shape[d];
                }
                idx[d] = 0;
                d--;
            }
            if (d < 0) {
                return;
            }
        }
    }
}
