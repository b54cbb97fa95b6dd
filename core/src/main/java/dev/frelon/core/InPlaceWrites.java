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
        if (TensorStorage.isExpanded(t)) {
            throw new IllegalArgumentException(op + ": cannot write to an expanded view (stride 0 in "
                    + Shape.str(t.strides) + "); call contiguous() first");
        }
    }

    /**
     * Writes {@code src} (already shaped like {@code dst}) into {@code dst}'s elements, converting between dtypes
     * as {@link Casts} does, and marks the write.
     */
    static void writeFrom(Tensor dst, Tensor src) {
        // Converted first, into a tensor of its own: a value the destination's dtype cannot hold is refused before
        // any element of the destination is written.
        Tensor same = Casts.to("copyFrom", src, dst.dtype);
        Casts.write("copyFrom", same, dst);
        dst.markWritten();
    }

    /** Broadcasts {@code other} to {@code dst}'s shape, copying it first if it shares {@code dst}'s storage. */
    private static Tensor operand(Tensor dst, String op, Tensor other) {
        Tensor o = other.store == dst.store ? other.copy() : other;
        int[] st = Shape.broadcastStrides(op, o.shape, o.strides, dst.shape);
        return o.viewOf(dst.shape, st, o.offset);
    }

    static Tensor copyFrom(Tensor dst, Tensor src) {
        checkWritable(dst, "copyFrom");
        writeFrom(dst, operand(dst, "copyFrom", src));
        return dst;
    }

    /** Sets every element of {@code dst} to {@code value}, converted to its dtype as {@link Casts} converts. */
    static Tensor fill(Tensor dst, double value) {
        return fill("fill", dst, value);
    }

    /** {@link #fill(Tensor, double)} for the op named {@code op} ({@code full}, {@code maskedFill}...). */
    static Tensor fill(String op, Tensor dst, double value) {
        checkWritable(dst, op);
        Elements.checkWholeNumber(op, value, dst.dtype);
        Tensor v = Tensor.dense(DType.FLOAT64, new double[] {value}, new int[0]);
        Tensor one = Tensor.zeros(op, dst.dtype, new int[0]);
        Casts.write(op, v, one); // converts (and checks) the value once
        writeFrom(dst, one.viewOf(dst.shape, new int[dst.shape.length], 0));
        return dst;
    }

    static Tensor addInPlace(Tensor dst, Tensor other, float alpha) {
        checkWritable(dst, "addInPlace");
        Tensor o = operand(dst, "addInPlace", other);
        if (dst.dtype == DType.FLOAT32 && o.dtype == DType.FLOAT32) {
            axpy(alpha, o, dst);
            dst.markWritten();
            return dst;
        }
        checkCastable("addInPlace", TypedElementwise.resultType(dst, o), dst);
        checkScalar("addInPlace", alpha, dst);
        // Scaled in the destination's own arithmetic: an integer alpha keeps int64 exact.
        Tensor scaled = alpha == 1f ? o : dst.dtype.isFloatingPoint() ? o.mul((double) alpha) : o.mul((long) alpha);
        return copyFrom(dst, dst.add(scaled));
    }

    /**
     * {@code dst += alpha * o} for float32 tensors of one shape and any strides, in place: the kernel's axpy on each
     * dense strip (one call for dense operands; one per row for a bias added to every row of a batch, as
     * {@code Linear} does), a plain loop on strided ones, with the same arithmetic. It allocates nothing: the
     * general path's temporary sum of the whole destination made a layer's forward allocate its output twice.
     */
    private static void axpy(float alpha, Tensor o, Tensor dst) {
        ElementwiseKernels k = ElementwiseKernels.CHOSEN;
        float[] x = o.data, y = dst.data;
        if (dst.isContiguous() && o.isContiguous()) {
            k.axpy(alpha, x, o.offset, y, dst.offset, dst.numel());
            return;
        }
        StridedLoop loop = new StridedLoop(dst.shape, o.strides, dst.strides);
        int xs = loop.inner[0], ys = loop.inner[1];
        loop.forEach(new int[] {o.offset, dst.offset}, (at, n) -> {
            if (xs == 1 && ys == 1) {
                k.axpy(alpha, x, at[0], y, at[1], n);
            } else {
                for (int i = 0; i < n; i++) {
                    y[at[1] + i * ys] += alpha * x[at[0] + i * xs];
                }
            }
        });
    }

    /**
     * Refuses a scalar factor the destination cannot take in place: a fraction (or NaN, an infinity) for an integer
     * tensor, and any factor for a bool one, whose product PyTorch refuses to cast back to bool.
     */
    private static void checkScalar(String op, double value, Tensor dst) {
        if (dst.dtype == DType.BOOL && value != 1) {
            throw new IllegalArgumentException(op + ": a bool tensor (shape " + Shape.str(dst.shape)
                    + ") cannot be scaled in place by " + value);
        }
        Elements.checkWholeNumber(op, value, dst.dtype);
    }

    /**
     * Refuses an in-place result that the destination's dtype cannot hold without losing its category (a float
     * written into an integer tensor, say), as PyTorch refuses it, instead of truncating.
     */
    static void checkCastable(String op, DType result, Tensor dst) {
        if (result.category() > dst.dtype.category()) {
            throw new IllegalArgumentException(op + ": the result is " + result + ", which cannot be written into the "
                    + dst.dtype + " tensor of shape " + Shape.str(dst.shape));
        }
    }

    static Tensor mulInPlace(Tensor dst, float value) {
        checkWritable(dst, "mulInPlace");
        if (dst.dtype == DType.FLOAT32 && dst.isContiguous()) {
            ElementwiseKernels.CHOSEN.affine(dst.data, dst.offset, 1, value, 0f, dst.data, dst.offset, dst.numel());
            dst.markWritten();
            return dst;
        }
        checkScalar("mulInPlace", value, dst);
        return copyFrom(dst, dst.dtype.isFloatingPoint() ? dst.mul((double) value) : dst.mul((long) value));
    }

    static Tensor mulInPlace(Tensor dst, Tensor other) {
        checkWritable(dst, "mulInPlace");
        Tensor o = operand(dst, "mulInPlace", other);
        checkCastable("mulInPlace", TypedElementwise.resultType(dst, o), dst);
        return copyFrom(dst, dst.mul(o));
    }
}
