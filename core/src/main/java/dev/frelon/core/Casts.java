package dev.frelon.core;

/**
 * Converts elements between dtypes, for {@link Tensor#to} and for every write whose source has another dtype than
 * its destination ({@link Tensor#copyFrom}, loading a file into a model).
 *
 * <p>The rules are PyTorch's, except that no conversion wraps or saturates silently: a floating value becomes an
 * integer by truncation toward zero and is refused when it is NaN, infinite or out of range; int64 to int32 is
 * refused out of range; anything becomes bool as {@code value != 0} (NaN is true); bool becomes 0 or 1; an
 * integer becomes the nearest float.
 */
final class Casts {

    private Casts() {
    }

    /** {@code x} as {@code dtype}: {@code x} itself when it already is, otherwise a new dense tensor. */
    static Tensor to(Tensor x, DType dtype) {
        return to("to", x, dtype);
    }

    /** {@link #to(Tensor, DType)} for the op named {@code op}, which a refused value's message gives. */
    static Tensor to(String op, Tensor x, DType dtype) {
        if (x.dtype == dtype) {
            return x;
        }
        Tensor out = Tensor.zeros(op, dtype, x.shape);
        write(op, x, out);
        return out;
    }

    /** Writes {@code src}'s elements into {@code dst}'s (same shape, any layouts), converting between dtypes. */
    static void write(String op, Tensor src, Tensor dst) {
        StridedLoop loop = new StridedLoop(dst.shape, src.strides, dst.strides);
        int is = loop.inner[0], id = loop.inner[1];
        loop.forEach(new int[] {src.offset, dst.offset},
                (o, n) -> convert(op, src.dtype, src.store, o[0], is, dst.dtype, dst.store, o[1], id, n));
    }

    /** Converts one strip of {@code n} elements from {@code src} (stride {@code ss}) into {@code dst} (stride {@code ds}). */
    static void convert(String op, DType from, Object src, int so, int ss, DType to, Object dst, int d0, int ds, int n) {
        if (from == to) {
            if (ss == 1 && ds == 1) {
                System.arraycopy(src, so, dst, d0, n);
                return;
            }
            copyStrided(from, src, so, ss, dst, d0, ds, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            int s = so + i * ss, d = d0 + i * ds;
            switch (to) {
                case FLOAT32 -> ((float[]) dst)[d] = Elements.getFloat(from, src, s);
                case FLOAT64 -> ((double[]) dst)[d] = Elements.getDouble(from, src, s);
                case BOOL -> ((boolean[]) dst)[d] = from.isFloatingPoint() ? Elements.getDouble(from, src, s) != 0
                        : Elements.getLong(from, src, s) != 0;
                case INT64, INT32 -> {
                    long v = from.isFloatingPoint() ? Elements.toIntegral(op, Elements.getDouble(from, src, s), to)
                            : Elements.getLong(from, src, s);
                    Elements.setLong(to, dst, d, to == DType.INT32 ? Elements.checkedInt32(op, v) : v);
                }
            }
        }
    }

    /** A same-dtype strided copy, one typed loop per array type (no per-element dispatch). */
    private static void copyStrided(DType dtype, Object src, int so, int ss, Object dst, int d0, int ds, int n) {
        switch (dtype) {
            case FLOAT32 -> {
                float[] s = (float[]) src, d = (float[]) dst;
                for (int i = 0; i < n; i++) {
                    d[d0 + i * ds] = s[so + i * ss];
                }
            }
            case FLOAT64 -> {
                double[] s = (double[]) src, d = (double[]) dst;
                for (int i = 0; i < n; i++) {
                    d[d0 + i * ds] = s[so + i * ss];
                }
            }
            case INT64 -> {
                long[] s = (long[]) src, d = (long[]) dst;
                for (int i = 0; i < n; i++) {
                    d[d0 + i * ds] = s[so + i * ss];
                }
            }
            case INT32 -> {
                int[] s = (int[]) src, d = (int[]) dst;
                for (int i = 0; i < n; i++) {
                    d[d0 + i * ds] = s[so + i * ss];
                }
            }
            case BOOL -> {
                boolean[] s = (boolean[]) src, d = (boolean[]) dst;
                for (int i = 0; i < n; i++) {
                    d[d0 + i * ds] = s[so + i * ss];
                }
            }
        }
    }
}
