package dev.frelon.core;

/**
 * Reads and writes single elements of any dtype's backing array, and allocates those arrays: the plain-Java
 * access that the integer and bool paths (and the conversions between dtypes) are written with. The float32 and
 * float64 hot paths do not come here; they hand their arrays to the kernels.
 */
final class Elements {

    private Elements() {
    }

    /** A zeroed array of {@code n} elements of {@code dtype}'s array type. */
    static Object allocate(DType dtype, int n) {
        return switch (dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT64 -> new long[n];
            case INT32 -> new int[n];
            case BOOL -> new boolean[n];
        };
    }

    /** Element {@code i} of the array as a double (exact for every dtype but int64 beyond 2^53; bool gives 0 or 1). */
    static double getDouble(DType dtype, Object array, int i) {
        return switch (dtype) {
            case FLOAT32 -> ((float[]) array)[i];
            case FLOAT64 -> ((double[]) array)[i];
            case INT64 -> ((long[]) array)[i];
            case INT32 -> ((int[]) array)[i];
            case BOOL -> ((boolean[]) array)[i] ? 1 : 0;
        };
    }

    /** Element {@code i} as a float, rounded once (an int64 straight to float, not through double, as {@code to}). */
    static float getFloat(DType dtype, Object array, int i) {
        return dtype == DType.INT64 ? (float) ((long[]) array)[i] : (float) getDouble(dtype, array, i);
    }

    /** Element {@code i} of an integer or bool array as a long; floating values must not come here. */
    static long getLong(DType dtype, Object array, int i) {
        return switch (dtype) {
            case INT64 -> ((long[]) array)[i];
            case INT32 -> ((int[]) array)[i];
            case BOOL -> ((boolean[]) array)[i] ? 1 : 0;
            case FLOAT32, FLOAT64 -> throw new IllegalStateException("getLong on a " + dtype + " array");
        };
    }

    /** Writes {@code v} as element {@code i} of a floating array (rounded to nearest for float32). */
    static void setDouble(DType dtype, Object array, int i, double v) {
        switch (dtype) {
            case FLOAT32 -> ((float[]) array)[i] = (float) v;
            case FLOAT64 -> ((double[]) array)[i] = v;
            default -> throw new IllegalStateException("setDouble on a " + dtype + " array");
        }
    }

    /** Writes {@code v} as element {@code i} of an integer or bool array: int32 wraps as Java's cast does. */
    static void setLong(DType dtype, Object array, int i, long v) {
        switch (dtype) {
            case INT64 -> ((long[]) array)[i] = v;
            case INT32 -> ((int[]) array)[i] = (int) v;
            case BOOL -> ((boolean[]) array)[i] = v != 0;
            default -> throw new IllegalStateException("setLong on a " + dtype + " array");
        }
    }

    /**
     * {@code v} as a value of an integer dtype, for conversions: truncated toward zero as PyTorch converts, and
     * refused when it is NaN, infinite or out of the dtype's range (PyTorch's result is then undefined).
     */
    static long toIntegral(String op, double v, DType dtype) {
        double t = v < 0 ? Math.ceil(v) : Math.floor(v);
        boolean fits = dtype == DType.INT32 ? t >= Integer.MIN_VALUE && t <= Integer.MAX_VALUE
                : t >= -0x1p63 && t < 0x1p63;
        if (!fits) {
            throw new IllegalArgumentException(op + ": " + v + " cannot be converted to " + dtype
                    + " (NaN, infinite or out of its range)");
        }
        return (long) t;
    }

    /** {@code v} as an int32 value, refused when out of range (a narrowing conversion never wraps silently). */
    static long checkedInt32(String op, long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + v + " is out of the range of int32");
        }
        return v;
    }

    /**
     * Refuses a scalar with a fractional part for an integer dtype: a fill or a single write should not truncate
     * silently the way a whole-tensor conversion ({@code to}) is documented to.
     */
    static void checkWholeNumber(String op, double value, DType dtype) {
        if (dtype.isIntegral() && !(value == Math.rint(value) && Double.isFinite(value))) {
            throw new IllegalArgumentException(op + ": " + value + " is not a whole number, so an " + dtype
                    + " tensor cannot hold it");
        }
    }

    /** Throws unless {@code t} is float32: for the operations whose kernels exist in float32 only. */
    static void requireFloat32(String op, Tensor t) {
        if (t.dtype != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": expected a float32 tensor, got " + t.dtype + " of shape "
                    + Shape.str(t.shape) + " (this operation computes in float32 only; convert with to(DType.FLOAT32))");
        }
    }

    /** Throws unless {@code t} is float32 or float64: for operations defined on real numbers only. */
    static void requireFloatingPoint(String op, Tensor t) {
        if (!t.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a float32 or float64 tensor, got " + t.dtype
                    + " of shape " + Shape.str(t.shape));
        }
    }
}
