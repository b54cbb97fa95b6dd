package dev.frelon.core;

/**
 * The element type of a {@link Tensor}, and PyTorch's rules for the type of a mixed operation.
 *
 * <p>Each dtype has one backing array type: {@code float[]} for {@link #FLOAT32} (the default, and the type every
 * layer computes in), {@code double[]} for {@link #FLOAT64}, {@code long[]} for {@link #INT64} (indices and labels),
 * {@code int[]} for {@link #INT32} and {@code boolean[]} for {@link #BOOL} (masks and comparison results). Half
 * precision (F16, BF16) is a file format, not a dtype: {@code Safetensors} widens it to float32 on load.
 *
 * <p><b>Promotion.</b> {@link #promote} orders the categories bool &lt; integer &lt; floating point and, within a
 * category, picks the wider type: int32 with int64 gives int64, float32 with float64 gives float64, and any integer
 * with any floating type gives that floating type. {@code Tensor.resultType} adds PyTorch's rule for 0-d tensors.
 */
public enum DType {
    /** 32-bit IEEE floating point, the default. */
    FLOAT32("float32", 2, 4),
    /** 64-bit IEEE floating point, for gradient checks and ill-conditioned fits. */
    FLOAT64("float64", 2, 8),
    /** 64-bit two's-complement integer: indices, labels, counts. */
    INT64("int64", 1, 8),
    /** 32-bit two's-complement integer. */
    INT32("int32", 1, 4),
    /** true or false: masks and the results of comparisons. */
    BOOL("bool", 0, 1);

    private final String label;
    private final int category;
    private final int bytes;

    DType(String label, int category, int bytes) {
        this.label = label;
        this.category = category;
        this.bytes = bytes;
    }

    /**
     * Whether this is float32 or float64, the dtypes that carry gradients.
     *
     * @return true for the floating dtypes
     */
    public boolean isFloatingPoint() { return category == 2; }

    /**
     * Whether this is int64 or int32.
     *
     * @return true for the integer dtypes
     */
    public boolean isIntegral() { return category == 1; }

    /**
     * The size of one element in bytes.
     *
     * @return 4 or 8, and 1 for bool
     */
    public int itemSize() { return bytes; }

    /** Orders bool, integer and floating point, so that promotion can compare categories. */
    int category() { return category; }

    /**
     * PyTorch's {@code promote_types}: the smallest dtype that can hold both operands' categories.
     *
     * @param a one dtype
     * @param b the other
     * @return the higher category, and within one category the wider type
     */
    public static DType promote(DType a, DType b) {
        if (a.category != b.category) {
            return a.category > b.category ? a : b;
        }
        return a.bytes >= b.bytes ? a : b;
    }

    /**
     * The lower-case name PyTorch uses.
     *
     * @return {@code float32}, {@code int64}, {@code bool}...
     */
    @Override
    public String toString() { return label; }
}
