package dev.frelon.core;

import dev.frelon.core.kernel.ElementwiseKernels;

/**
 * Runs the writes into an existing tensor ({@link Tensor#copyFrom}, {@link Tensor#fill}, the {@code ...InPlace}
 * operations) and the checks they share: an expanded view refuses writes, an operand that aliases the destination
 * is copied first, and every write marks the storage's version. Kept in one place so that no writer can forget one
 * of the three.
 */
final class InPlaceWrites {

    private InPlaceWrites() {
    }

    /** Refuses a write into a view whose elements alias each other. */
    static void checkWritable(Tensor t, String op) {
        for (int d = 0; d < t.strides.length; d++) {
            // Stride 0 on a dim of size 1 aliases nothing (expand() gives such dims stride 0 too).
            if (t.strides[d] == 0 && t.shape[d] > 1) {
                throw new IllegalArgumentException(op + ": cannot write to an expanded view (stride 0 in "
                        + Shape.str(t.strides) + "); call contiguous() first");
            }
        }
    }

    /** Writes {@code src} (already shaped like {@code dst}) into {@code dst}'s elements and marks the write. */
    static void writeFrom(Tensor dst, Tensor src) {
        StridedLoop loop = new StridedLoop(dst.shape, src.strides, dst.strides);
        int is = loop.inner[0], id = loop.inner[1];
        loop.forEach(new int[] {src.offset, dst.offset}, (o, n) -> {
            if (is == 1 && id == 1) {
                System.arraycopy(src.data, o[0], dst.data, o[1], n);
            } else {
                for (int i = 0; i < n; i++) {
                    dst.data[o[1] + i * id] = src.data[o[0] + i * is];
                }
            }
        });
        dst.markWritten();
    }

    /** Broadcasts {@code other} to {@code dst}'s shape, copying it first if it shares {@code dst}'s storage. */
    private static Tensor operand(Tensor dst, String op, Tensor other) {
        Tensor o = other.data == dst.data ? other.copy() : other;
        int[] st = Shape.broadcastStrides(op, o.shape, o.strides, dst.shape);
        return o.viewOf(dst.shape, st, o.offset);
    }

    static Tensor copyFrom(Tensor dst, Tensor src) {
        checkWritable(dst, "copyFrom");
        writeFrom(dst, operand(dst, "copyFrom", src));
        return dst;
    }

    static Tensor fill(Tensor dst, float value) {
        checkWritable(dst, "fill");
        StridedLoop loop = new StridedLoop(dst.shape, dst.strides);
        int s = loop.inner[0];
        float[] data = dst.data;
        loop.forEach(new int[] {dst.offset}, (o, n) -> {
            for (int i = 0; i < n; i++) {
                data[o[0] + i * s] = value;
            }
        });
        dst.markWritten();
        return dst;
    }

    static Tensor addInPlace(Tensor dst, Tensor other, float alpha) {
        checkWritable(dst, "addInPlace");
        Tensor o = operand(dst, "addInPlace", other);
        if (dst.isContiguous() && o.isContiguous()) {
            ElementwiseKernels.CHOSEN.axpy(alpha, o.data, o.offset, dst.data, dst.offset, dst.numel());
            dst.markWritten();
            return dst;
        }
        return copyFrom(dst, dst.add(o.mul(alpha)));
    }

    static Tensor mulInPlace(Tensor dst, float value) {
        checkWritable(dst, "mulInPlace");
        if (dst.isContiguous()) {
            ElementwiseKernels.CHOSEN.affine(dst.data, dst.offset, 1, value, 0f, dst.data, dst.offset, dst.numel());
            dst.markWritten();
            return dst;
        }
        return copyFrom(dst, dst.mul(value));
    }

    static Tensor mulInPlace(Tensor dst, Tensor other) {
        checkWritable(dst, "mulInPlace");
        return copyFrom(dst, dst.mul(operand(dst, "mulInPlace", other)));
    }
}
