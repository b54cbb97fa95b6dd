package dev.frelon.core;

import dev.frelon.core.kernel.BinaryOp;
import dev.frelon.core.kernel.UnaryOp;

import java.util.Arrays;

/**
 * An n-dimensional array of one {@link DType}: a shape, strides and an offset over a heap array of that type
 * ({@code float[]} for float32, the default; {@code double[]}, {@code long[]}, {@code int[]}, {@code boolean[]}).
 *
 * <p><b>Dtypes.</b> Factories without a dtype make float32 tensors, the type every layer computes in; float64 is
 * there for gradient checks and ill-conditioned fits, int64 for indices and labels, bool for masks. Elementwise
 * operations on mixed dtypes follow PyTorch's promotion ({@link #resultType}); comparisons give bool;
 * {@link #argmax}, {@link #argmin}, {@link #topk} and {@link #sort} give int64 positions; sums of integers and bools
 * are int64. {@link #to} converts. The float32 hot paths (convolution, pooling, attention, cross-entropy) refuse
 * other dtypes by name; elementwise operations, reductions, softmax, matmul, indexing and views work in float64 too.
 *
 * <p><b>Values and views.</b> Operations return new tensors and leave their operands unchanged. The view
 * operations ({@link #reshape} when possible, {@link #view}, {@link #transpose}, {@link #permute},
 * {@link #narrow}, {@link #slice}, {@link #select}, {@link #squeeze}, {@link #unsqueeze}, {@link #expand},
 * {@link #flatten}) share storage with their base: a write through a view is seen in the base. Only the
 * methods named {@code ...InPlace}, {@link #set}, {@link #fill}, {@link #zero} and {@link #copyFrom} write.
 * Each write bumps a version counter shared by all views of the storage, which lets autodiff detect a saved
 * tensor modified before backward.
 *
 * <p><b>Storage.</b> The backing array, offset and strides are not part of this API: kernels, optimizers and file
 * writers that must reach them use {@link TensorStorage}, and {@link #toArray} gives everyone else a copy.
 *
 * <p><b>Broadcasting</b> follows NumPy: shapes are aligned at the right; a dim of size 1 (or a missing one)
 * stretches to the other operand's size.
 *
 * <p><b>Rank 0 and size 0.</b> A 0-d tensor holds one value ({@link #scalar}); dims of size 0 are allowed and
 * give empty tensors.
 *
 * <p><b>Errors.</b> Shape, dim and index problems throw {@link IllegalArgumentException} or
 * {@link IndexOutOfBoundsException} naming the operation, the shapes or indices, and what was expected.
 *
 * <p><b>Indices</b> (results of {@link #argmax}, arguments of {@link #gather}) are int64 tensors; an index argument
 * may also be int32 or a float tensor holding integers.
 *
 * <p><b>Equality.</b> {@link #equals} is value equality: same dtype, same shape and the same values compared as
 * {@link Float#equals} does (NaN equals NaN, 0.0 differs from -0.0). Use {@link #allClose} for tolerances.
 */
public final class Tensor {

    /** The element type; {@link #store} is the array type it names. */
    final DType dtype;
    /** The backing array: {@code float[]}, {@code double[]}, {@code long[]}, {@code int[]} or {@code boolean[]}. */
    final Object store;
    /** {@link #store} as a {@code float[]} when the dtype is float32 (the kernels' type), otherwise null. */
    final float[] data;
    final int[] shape;
    final int[] strides;
    final int offset;
    /** One counter per storage, shared by every view of it; bumped on each in-place write. */
    private final int[] version;

    Tensor(DType dtype, Object store, int[] shape, int[] strides, int offset, int[] version) {
        this.dtype = dtype;
        this.store = store;
        this.data = dtype == DType.FLOAT32 ? (float[]) store : null;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.version = version;
    }

    /** A new dense tensor over {@code data}, which the caller hands over. */
    static Tensor dense(float[] data, int[] shape) {
        return new Tensor(DType.FLOAT32, data, shape, Shape.contiguousStrides(shape), 0, new int[1]);
    }

    /** A new dense tensor of {@code dtype} over {@code store}, an array of its type that the caller hands over. */
    static Tensor dense(DType dtype, Object store, int[] shape) {
        return new Tensor(dtype, store, shape, Shape.contiguousStrides(shape), 0, new int[1]);
    }

    /** A view of this storage with another layout; it shares the version counter, as every view does. */
    Tensor viewOf(int[] newShape, int[] newStrides, int newOffset) {
        return new Tensor(dtype, store, newShape, newStrides, newOffset, version);
    }

    /** Records an in-place write: bumps the version counter this storage shares with all its views. */
    void markWritten() {
        version[0]++;
    }

    // ------------------------------------------------------------------------------------------ creation

    /**
     * Creates a dense tensor of the given shape filled with zeros; no dims give a 0-d tensor.
     *
     * @param shape the dims, each at least 0
     * @return a new dense tensor of zeros
     * @throws IllegalArgumentException if a dim is negative or the shape has too many elements for one array
     */
    public static Tensor zeros(int... shape) { return zeros("zeros", shape); }

    /** {@link #zeros(int...)} for the op named {@code op}, whose name a refused shape's message gives. */
    static Tensor zeros(String op, int[] shape) {
        int[] s = shape.clone();
        return dense(new float[Shape.numel(op, s)], s);
    }

    /**
     * Creates a dense tensor of the given dtype and shape filled with zeros ({@code false} for bool).
     *
     * @param dtype the element type
     * @param shape the dims, each at least 0
     * @return a new dense tensor of zeros
     * @throws IllegalArgumentException if a dim is negative or the shape has too many elements for one array
     */
    public static Tensor zeros(DType dtype, int... shape) { return zeros("zeros", dtype, shape); }

    /** {@link #zeros(DType, int...)} for the op named {@code op}. */
    static Tensor zeros(String op, DType dtype, int[] shape) {
        int[] s = shape.clone();
        return dense(dtype, Elements.allocate(dtype, Shape.numel(op, s)), s);
    }

    /**
     * Creates a dense tensor of the given dtype and shape filled with ones ({@code true} for bool).
     *
     * @param dtype the element type
     * @param shape the dims
     * @return a new dense tensor of ones
     */
    public static Tensor ones(DType dtype, int... shape) {
        return InPlaceWrites.fill("ones", zeros("ones", dtype, shape), 1);
    }

    /**
     * Creates a dense tensor of the given dtype and shape with every element set to {@code value}, converted as
     * {@link #to} converts.
     *
     * @param value the fill value
     * @param dtype the element type
     * @param shape the dims
     * @return a new dense tensor
     * @throws IllegalArgumentException if the value does not fit an integer dtype, or the shape is invalid
     */
    public static Tensor full(double value, DType dtype, int... shape) {
        return InPlaceWrites.fill("full", zeros("full", dtype, shape), value);
    }

    /**
     * Creates a 0-d tensor of the given dtype, its value converted as {@link #to} converts.
     *
     * @param value the value
     * @param dtype the element type
     * @return a new 0-d tensor
     */
    public static Tensor scalar(double value, DType dtype) {
        return InPlaceWrites.fill("scalar", zeros("scalar", dtype, new int[0]), value);
    }

    /**
     * Creates a dense tensor of the given shape filled with ones.
     *
     * @param shape the dims
     * @return a new dense tensor of ones
     * @throws IllegalArgumentException if a dim is negative or the shape has too many elements for one array
     */
    public static Tensor ones(int... shape) { return Factories.full("ones", 1f, shape); }

    /**
     * Creates a dense tensor of the given shape with every element set to {@code value}.
     *
     * @param value the fill value
     * @param shape the dims
     * @return a new dense tensor with every element equal to {@code value}
     * @throws IllegalArgumentException if a dim is negative or the shape has too many elements for one array
     */
    public static Tensor full(float value, int... shape) { return Factories.full("full", value, shape); }

    /**
     * Creates a 0-d tensor: shape {@code []}, one element.
     *
     * @param value the value
     * @return a new 0-d tensor holding {@code value}
     */
    public static Tensor scalar(float value) { return dense(new float[] {value}, new int[0]); }

    /**
     * Copies {@code values} into a new dense tensor of the given shape.
     *
     * @param values the elements in row-major order
     * @param shape the dims; their product must equal {@code values.length}. With no dims, a 1-d tensor.
     * @return the tensor
     */
    public static Tensor of(float[] values, int... shape) {
        int[] s = shape.length == 0 ? new int[] {values.length} : shape.clone();
        int n = Shape.numel("Tensor.of", s);
        if (n != values.length) {
            throw new IllegalArgumentException("Tensor.of: " + values.length + " values do not fill shape "
                    + Shape.str(s) + " (" + n + " elements expected)");
        }
        return dense(values.clone(), s);
    }

    /**
     * Like {@link #of} but without copying: the tensor uses {@code values} as its storage, so later writes
     * to the array are seen by the tensor and the other way round.
     *
     * @param values the storage, row-major
     * @param shape the dims; their product must equal {@code values.length}
     * @return the tensor
     */
    public static Tensor wrap(float[] values, int... shape) {
        int[] s = shape.clone();
        int n = Shape.numel("Tensor.wrap", s);
        if (n != values.length) {
            throw new IllegalArgumentException("Tensor.wrap: " + values.length + " values do not fill shape "
                    + Shape.str(s) + " (" + n + " elements expected)");
        }
        return dense(values, s);
    }

    /**
     * Copies nested rows into a new dense 2-d tensor; an empty array gives shape [0, 0].
     *
     * @param rows nested rows, all of the same length
     * @return a 2-d tensor of shape [rows.length, rows[0].length]
     * @throws IllegalArgumentException if the rows differ in length
     */
    public static Tensor of(float[][] rows) { return Factories.of(rows); }

    /**
     * Copies {@code values} into a new dense float64 tensor.
     *
     * @param values the elements in row-major order
     * @param shape the dims; their product must equal {@code values.length}. With no dims, a 1-d tensor.
     * @return the tensor
     */
    public static Tensor of(double[] values, int... shape) { return typed(DType.FLOAT64, values.clone(), values.length, shape); }

    /**
     * Copies {@code values} into a new dense int64 tensor (indices, labels).
     *
     * @param values the elements in row-major order
     * @param shape the dims; their product must equal {@code values.length}. With no dims, a 1-d tensor.
     * @return the tensor
     */
    public static Tensor of(long[] values, int... shape) { return typed(DType.INT64, values.clone(), values.length, shape); }

    /**
     * Copies {@code values} into a new dense int32 tensor.
     *
     * @param values the elements in row-major order
     * @param shape the dims; their product must equal {@code values.length}. With no dims, a 1-d tensor.
     * @return the tensor
     */
    public static Tensor of(int[] values, int... shape) { return typed(DType.INT32, values.clone(), values.length, shape); }

    /**
     * Copies {@code values} into a new dense bool tensor (a mask).
     *
     * @param values the elements in row-major order
     * @param shape the dims; their product must equal {@code values.length}. With no dims, a 1-d tensor.
     * @return the tensor
     */
    public static Tensor of(boolean[] values, int... shape) { return typed(DType.BOOL, values.clone(), values.length, shape); }

    private static Tensor typed(DType dtype, Object copy, int length, int[] shape) {
        int[] s = shape.length == 0 ? new int[] {length} : shape.clone();
        int n = Shape.numel("Tensor.of", s);
        if (n != length) {
            throw new IllegalArgumentException("Tensor.of: " + length + " values do not fill shape " + Shape.str(s)
                    + " (" + n + " elements expected)");
        }
        return dense(dtype, copy, s);
    }

    /**
     * The values {@code 0, 1, 2, ...} strictly below {@code end}, as NumPy's {@code arange(end)}: the same as
     * {@code arange(0, end, 1)}.
     *
     * @param end exclusive end
     * @return {@code [0, 1, ..., ceil(end)-1]} as a new 1-d tensor, empty when {@code end <= 0}
     * @throws IllegalArgumentException if {@code end} is not finite
     */
    public static Tensor arange(float end) { return arange(0, end, 1); }

    /**
     * Values {@code start, start+step, ...} strictly before {@code end}, as NumPy's {@code arange}.
     *
     * @param start first value
     * @param end exclusive bound
     * @param step non-zero increment
     * @return a 1-d tensor
     */
    public static Tensor arange(float start, float end, float step) { return Factories.arange(start, end, step); }

    /**
     * {@code arange} in a given dtype, as PyTorch's {@code arange(start, end, step, dtype=...)}: float64 values are
     * computed in double, integer ones exactly (start and step must then be whole numbers).
     *
     * @param dtype the element type (not bool)
     * @param start first value
     * @param end exclusive bound
     * @param step non-zero increment
     * @return a 1-d tensor of that dtype
     * @throws IllegalArgumentException for a zero or non-finite step, fractional integer bounds, or too many values
     */
    public static Tensor arange(DType dtype, double start, double end, double step) {
        return Factories.arange(dtype, start, end, step);
    }

    /**
     * {@code arange} with whole-number bounds, exact for int64 beyond 2^53 (where doubles would round them).
     *
     * @param dtype the element type (not bool)
     * @param start first value
     * @param end exclusive bound
     * @param step non-zero increment
     * @return a 1-d tensor of that dtype
     * @throws IllegalArgumentException for a zero step or too many values
     */
    public static Tensor arange(DType dtype, long start, long end, long step) {
        return Factories.arange(dtype, start, end, step);
    }

    /**
     * {@code steps} evenly spaced values from {@code start} to {@code end}, both included, as NumPy's {@code linspace}.
     *
     * @param start first value
     * @param end last value (included when steps &gt; 1)
     * @param steps number of values, at least 0
     * @return a new 1-d tensor of {@code steps} values ({@code [start]} when steps is 1)
     * @throws IllegalArgumentException if {@code steps} is negative
     */
    public static Tensor linspace(float start, float end, int steps) { return Factories.linspace(start, end, steps); }

    /**
     * Creates the identity matrix: ones on the diagonal, zeros elsewhere.
     *
     * @param n size
     * @return the n×n identity matrix, a new dense {@code [n, n]} tensor
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public static Tensor eye(int n) { return Factories.eye(n); }

    /**
     * Fills a new dense tensor with values drawn uniformly from [0, 1) by {@code rng}, in row-major order.
     *
     * @param rng the generator
     * @param shape the dims
     * @return values uniform in [0, 1)
     */
    public static Tensor rand(Rng rng, int... shape) { return Factories.uniform("rand", rng, 0f, 1f, shape); }

    /**
     * Uniform values in [0, 1) from a fresh generator: {@code Tensor.rand(new int[] {3, 4}, 42)}. The shape
     * comes first so that no list of ints can be read as a seed.
     *
     * @param shape the dims
     * @param seed seed of a new {@link Rng}
     * @return values uniform in [0, 1), the same for the same seed on every machine
     */
    public static Tensor rand(int[] shape, long seed) { return rand(new Rng(seed), shape); }

    /**
     * Fills a new dense tensor with values drawn uniformly from [low, high) by {@code rng}, in row-major order (all
     * {@code low} when {@code low == high}).
     *
     * @param rng the generator
     * @param low inclusive lower bound
     * @param high exclusive upper bound
     * @param shape the dims
     * @return values uniform in [low, high)
     * @throws IllegalArgumentException unless low and high are finite and {@code low <= high}
     */
    public static Tensor uniform(Rng rng, float low, float high, int... shape) {
        return Factories.uniform("uniform", rng, low, high, shape);
    }

    /**
     * Fills a new dense tensor with standard normal values N(0, 1) drawn by {@code rng}, in row-major order.
     *
     * @param rng the generator
     * @param shape the dims
     * @return standard normal values
     */
    public static Tensor randn(Rng rng, int... shape) { return Factories.normal("randn", rng, 0f, 1f, shape); }

    /**
     * Standard normal values from a fresh generator: {@code Tensor.randn(new int[] {3, 4}, 42)}. The shape
     * comes first so that no list of ints can be read as a seed.
     *
     * @param shape the dims
     * @param seed seed of a new {@link Rng}
     * @return standard normal values, the same for the same seed on every machine
     */
    public static Tensor randn(int[] shape, long seed) { return randn(new Rng(seed), shape); }

    /**
     * Fills a new dense tensor with normal values N(mean, std²) drawn by {@code rng}, in row-major order.
     *
     * @param rng the generator
     * @param mean the mean
     * @param std the standard deviation, at least 0
     * @param shape the dims
     * @return normal values
     * @throws IllegalArgumentException if {@code std} is negative or NaN
     */
    public static Tensor normal(Rng rng, float mean, float std, int... shape) {
        return Factories.normal("normal", rng, mean, std, shape);
    }

    /**
     * A random 0/1 mask: each element is independently 1 with probability {@code p}, else 0 (drawn by {@code rng}).
     *
     * @param rng the generator
     * @param p probability of a 1, in [0, 1]
     * @param shape the dims
     * @return a new dense mask of 1s (with probability p) and 0s
     * @throws IllegalArgumentException if {@code p} is outside [0, 1]
     */
    public static Tensor bernoulli(Rng rng, float p, int... shape) { return Factories.bernoulli(rng, p, shape); }

    /**
     * Copies the elements into a new dense row-major tensor with its own storage and version counter; works on any
     * view, expanded ones included.
     *
     * @return a dense copy that shares nothing with this tensor
     */
    public Tensor copy() {
        if (isContiguous()) {
            // One run of the storage: a single array copy, which the JIT allocates without zeroing it first (a
            // 6.4 MB gradient copied by the autodiff engine was written twice before, zeros and then the values).
            return dense(dtype, TensorStorage.copyRun(store, numel() == 0 ? 0 : offset, numel()), shape.clone());
        }
        Tensor out = zeros("copy", dtype, shape);
        InPlaceWrites.writeFrom(out, this);
        return out;
    }

    // ------------------------------------------------------------------------------------------ accessors

    /**
     * The size of each dim, outermost first; empty for a 0-d tensor.
     *
     * @return a copy of the dims
     */
    public int[] shape() { return shape.clone(); }

    /**
     * The size of one dim.
     *
     * @param dim a dim, negative counts from the end
     * @return the size of that dim
     * @throws IndexOutOfBoundsException if {@code dim} is out of range (a 0-d tensor has no dims)
     */
    public int size(int dim) { return shape[Shape.existingDim("size", dim, shape.length)]; }

    /**
     * The rank: how many dims the shape has.
     *
     * @return the number of dims (0 for a scalar)
     */
    public int dim() { return shape.length; }

    /**
     * The number of elements: the product of the dims (1 for a 0-d tensor, 0 when a dim is 0).
     *
     * @return the number of elements
     */
    public int numel() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * The version counter shared by this storage and all its views, bumped by every in-place write; autodiff compares
     * it with the value it recorded to detect a saved tensor modified before backward.
     *
     * @return the version counter of the storage: how many in-place writes it has seen
     */
    public int version() { return version[0]; }

    /**
     * Whether the elements lie densely in row-major order from the first element on, so that kernels can read them as
     * one run (the strides of size-1 dims do not matter).
     *
     * @return true when the elements are laid out densely in row-major order (always, when there are none)
     */
    public boolean isContiguous() {
        if (numel() == 0) {
            return true; // e.g. zeros(3, 0): its strides [1, 1] skip nothing
        }
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return shape[d] == 0;
            }
            expected *= shape[d];
        }
        return true;
    }

    /**
     * A dense row-major version of this tensor: the tensor itself (sharing storage, not copied) when it already is one,
     * else a new dense copy.
     *
     * @return this tensor if it is contiguous, otherwise a dense copy
     */
    public Tensor contiguous() { return isContiguous() ? this : copy(); }

    /**
     * Whether the two tensors are views of the same storage array, so that a write through one may be seen through the
     * other.
     *
     * @param other another tensor
     * @return true when this tensor and {@code other} share storage
     */
    public boolean sharesStorageWith(Tensor other) { return store == other.store; }

    /**
     * The value of a tensor holding exactly one element, whatever its rank (e.g. a 0-d loss or a [1, 1] tensor).
     *
     * A float64 value is rounded to the nearest float, an integer converted as {@code (float)} does, and bool gives
     * 1 or 0; {@link #itemDouble}, {@link #itemLong} and {@link #itemBoolean} give other dtypes exactly.
     *
     * @return the value of a one-element tensor
     * @throws IllegalArgumentException if the tensor does not hold exactly one element
     */
    public float item() {
        int i = itemIndex("item");
        return data != null ? data[i] : Elements.getFloat(dtype, store, i);
    }

    /**
     * The value of a one-element tensor as a double: exact for float32, float64 and int32, and for int64 up to
     * 2^53; bool gives 1 or 0.
     *
     * @return the value
     * @throws IllegalArgumentException if the tensor does not hold exactly one element
     */
    public double itemDouble() { return Elements.getDouble(dtype, store, itemIndex("itemDouble")); }

    /**
     * The value of a one-element integer or bool tensor, exactly (bool gives 1 or 0).
     *
     * @return the value
     * @throws IllegalArgumentException if the tensor does not hold exactly one element or is floating point
     */
    public long itemLong() {
        int i = itemIndex("itemLong");
        if (dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("itemLong: the tensor is " + dtype + "; use item() or itemDouble()");
        }
        return Elements.getLong(dtype, store, i);
    }

    /**
     * The value of a one-element tensor as a truth value: a bool as it is, any other dtype as {@code value != 0}.
     *
     * @return the value
     * @throws IllegalArgumentException if the tensor does not hold exactly one element
     */
    public boolean itemBoolean() {
        int i = itemIndex("itemBoolean");
        return dtype == DType.BOOL ? ((boolean[]) store)[i] : itemDouble() != 0;
    }

    private int itemIndex(String op) {
        if (numel() != 1) {
            throw new IllegalArgumentException(op + ": needs exactly one element, got shape " + Shape.str(shape));
        }
        return offset;
    }

    /**
     * The element type.
     *
     * @return this tensor's dtype
     */
    public DType dtype() { return dtype; }

    /**
     * This tensor's elements as {@code dtype}: this tensor itself when it already has that dtype, otherwise a new
     * dense tensor. Floating values become integers by truncation toward zero (NaN, infinities and values out of
     * range are refused rather than wrapped), any value becomes bool as {@code value != 0}, and bool becomes 0 or 1.
     *
     * @param dtype the element type wanted
     * @return a tensor of that dtype with this tensor's shape and values
     * @throws IllegalArgumentException if a value cannot be represented in an integer dtype
     */
    public Tensor to(DType dtype) { return Casts.to(this, dtype); }

    private int index(String op, int[] idx) {
        if (idx.length != shape.length) {
            throw new IllegalArgumentException(op + ": " + idx.length + " indices for a tensor of rank " + shape.length
                    + " (shape " + Shape.str(shape) + ")");
        }
        int off = offset;
        for (int d = 0; d < idx.length; d++) {
            int i = idx[d] < 0 ? idx[d] + shape[d] : idx[d];
            if (i < 0 || i >= shape[d]) {
                throw new IndexOutOfBoundsException(op + ": index " + idx[d] + " is out of range for dim " + d
                        + " of size " + shape[d] + " (shape " + Shape.str(shape) + ")");
            }
            off += i * strides[d];
        }
        return off;
    }

    /**
     * Reads one element.
     *
     * @param idx one index per dim (negative counts from the end)
     * @return the element
     * @throws IllegalArgumentException if the number of indices differs from the rank
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public float get(int... idx) {
        int i = index("get", idx);
        return data != null ? data[i] : Elements.getFloat(dtype, store, i);
    }

    /**
     * Reads one element as a double (see {@link #itemDouble} for what is exact).
     *
     * @param idx one index per dim (negative counts from the end)
     * @return the element
     */
    public double getDouble(int... idx) { return Elements.getDouble(dtype, store, index("getDouble", idx)); }

    /**
     * Reads one element of an integer or bool tensor exactly.
     *
     * @param idx one index per dim (negative counts from the end)
     * @return the element (bool gives 1 or 0)
     * @throws IllegalArgumentException if the tensor is floating point
     */
    public long getLong(int... idx) {
        if (dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("getLong: the tensor is " + dtype + "; use get() or getDouble()");
        }
        return Elements.getLong(dtype, store, index("getLong", idx));
    }

    /**
     * Writes one element (in place).
     *
     * @param value the new value
     * @param idx one index per dim (negative counts from the end)
     * @throws IllegalArgumentException on an expanded view, whose elements alias each other
     */
    public void set(float value, int... idx) {
        if (data == null) {
            set((double) value, idx);
            return;
        }
        InPlaceWrites.checkWritable(this, "set");
        data[index("set", idx)] = value;
        markWritten();
    }

    /**
     * Writes one element (in place), converted to this tensor's dtype as {@link #to} converts.
     *
     * @param value the new value
     * @param idx one index per dim (negative counts from the end)
     * @throws IllegalArgumentException on an expanded view, or if the value does not fit an integer dtype
     */
    public void set(double value, int... idx) {
        int i = index("set", idx);
        InPlaceWrites.checkWritable(this, "set");
        Elements.checkWholeNumber("set", value, dtype);
        Casts.convert("set", DType.FLOAT64, new double[] {value}, 0, 0, dtype, store, i, 0, 1);
        markWritten();
    }

    /**
     * Writes one element of an integer or bool tensor (in place) exactly; an int32 tensor refuses a value out of
     * its range.
     *
     * @param value the new value
     * @param idx one index per dim (negative counts from the end)
     * @throws IllegalArgumentException on an expanded view, a floating tensor, or a value out of range
     */
    public void set(long value, int... idx) {
        if (dtype.isFloatingPoint()) {
            set((double) value, idx);
            return;
        }
        int i = index("set", idx);
        InPlaceWrites.checkWritable(this, "set");
        Casts.convert("set", DType.INT64, new long[] {value}, 0, 0, dtype, store, i, 0, 1);
        markWritten();
    }

    /**
     * Copies the elements into a new array in row-major order; never returns the storage itself.
     *
     * @return the elements in row-major order, as a new array
     */
    public float[] toArray() {
        if (data == null) {
            return to(DType.FLOAT32).toArray();
        }
        return contiguous() == this && offset == 0 && data.length == numel() ? data.clone() : copy().data;
    }

    /**
     * Copies the elements into a new double array in row-major order (see {@link #itemDouble} for what is exact).
     *
     * @return the elements in row-major order
     */
    public double[] toDoubleArray() { return (double[]) denseCopy(DType.FLOAT64); }

    /**
     * Copies the elements of an integer or bool tensor into a new long array in row-major order, exactly.
     *
     * @return the elements in row-major order
     * @throws IllegalArgumentException if the tensor is floating point (convert with {@link #to} first)
     */
    public long[] toLongArray() {
        if (dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("toLongArray: the tensor is " + dtype + "; convert with to(DType.INT64)");
        }
        return (long[]) denseCopy(DType.INT64);
    }

    /**
     * Copies the elements into a new boolean array in row-major order, each as {@code value != 0}.
     *
     * @return the elements in row-major order
     */
    public boolean[] toBooleanArray() { return (boolean[]) denseCopy(DType.BOOL); }

    /** A new dense array of this tensor's elements as {@code type}. */
    private Object denseCopy(DType type) {
        Tensor out = zeros("toArray", type, shape);
        Casts.write("toArray", this, out);
        return out.store;
    }

    // ------------------------------------------------------------------------------------------ views

    /**
     * Gives this tensor a new shape with the same elements in row-major order. Returns a view when the
     * strides allow it (always for contiguous tensors), otherwise a copy. One dim may be -1 (inferred).
     *
     * @param newShape the dims
     * @return a view or a copy
     */
    public Tensor reshape(int... newShape) { return Views.reshape(this, newShape); }

    /**
     * Like {@link #reshape} but never copies.
     *
     * @param newShape the dims, one may be -1
     * @return a view
     * @throws IllegalArgumentException when the strides make a view impossible (call {@link #contiguous()} first)
     */
    public Tensor view(int... newShape) { return Views.view(this, newShape); }

    /**
     * All elements in one dim of length {@link #numel()}, in row-major order; a 0-d tensor gives shape [1].
     *
     * @return a 1-d view (or copy, when the strides demand it) of all elements
     */
    public Tensor flatten() { return reshape(-1); }

    /**
     * Merges dims {@code startDim..endDim} (inclusive) into one.
     *
     * @param startDim first dim merged
     * @param endDim last dim merged
     * @return a view when possible, else a copy
     */
    public Tensor flatten(int startDim, int endDim) { return Views.flatten(this, startDim, endDim); }

    /**
     * Swaps two dims (a view).
     *
     * @param dim0 a dim
     * @param dim1 another dim
     * @return the view (a 0-d tensor, whose dims are 0 and -1, itself)
     * @throws IndexOutOfBoundsException if a dim is out of range
     */
    public Tensor transpose(int dim0, int dim1) { return Views.transpose(this, dim0, dim1); }

    /**
     * Matrix transpose: swaps the two dims of a 2-d tensor (a view sharing storage); 0-d and 1-d tensors are returned
     * as they are.
     *
     * @return the transpose of a 2-d tensor (a view); 0-d and 1-d tensors are returned as they are
     * @throws IllegalArgumentException if the rank is above 2 (use {@link #transpose(int, int)} or {@link #mT()})
     */
    public Tensor t() {
        if (shape.length > 2) {
            throw new IllegalArgumentException("t: expects a tensor of rank <= 2, got shape " + Shape.str(shape)
                    + "; use transpose(dim0, dim1) or mT()");
        }
        return shape.length < 2 ? this : transpose(0, 1);
    }

    /**
     * Batched matrix transpose: swaps the last two dims (a view sharing storage), [..., M, N] becoming [..., N, M].
     *
     * @return the last two dims swapped (a view): the matrix transpose of every matrix in a batch
     * @throws IllegalArgumentException if the rank is below 2
     */
    public Tensor mT() {
        if (shape.length < 2) {
            throw new IllegalArgumentException("mT: expects a tensor of rank >= 2, got shape " + Shape.str(shape));
        }
        return transpose(-2, -1);
    }

    /**
     * Reorders the dims (a view): dim {@code i} of the result is dim {@code order[i]} of this tensor.
     *
     * @param order a permutation of 0..rank-1 (negative dims allowed)
     * @return the view
     */
    public Tensor permute(int... order) { return Views.permute(this, order); }

    /**
     * Elements {@code start .. start+length-1} along one dim (a view).
     *
     * @param dim the dim
     * @param start first index (negative counts from the end)
     * @param length how many
     * @return the view
     * @throws IndexOutOfBoundsException if {@code dim} is out of range, or the run does not fit in it (bounds are not
     *         clamped, unlike {@link #slice})
     */
    public Tensor narrow(int dim, int start, int length) { return Views.narrow(this, dim, start, length); }

    /**
     * Python-style slice {@code [start:end:step]} along one dim (a view). Out-of-range bounds are clamped as
     * in Python; negative bounds count from the end.
     *
     * @param dim the dim
     * @param start first index
     * @param end exclusive end
     * @param step positive step
     * @return the view
     */
    public Tensor slice(int dim, int start, int end, int step) { return Views.slice(this, dim, start, end, step); }

    /**
     * Picks one index along a dim, removing that dim (a view).
     *
     * @param dim the dim
     * @param index the index (negative counts from the end)
     * @return the view, of rank one less
     */
    public Tensor select(int dim, int index) { return Views.select(this, dim, index); }

    /**
     * Removes every dim of size 1, e.g. [1, 3, 1] becomes [3] (a view sharing storage).
     *
     * @return a view without the dims of size 1
     */
    public Tensor squeeze() { return Views.squeeze(this); }

    /**
     * Removes one dim if its size is 1, as PyTorch; a dim of another size leaves the tensor unchanged.
     *
     * @param dim the dim (negative counts from the end)
     * @return a view without that dim, or this tensor when its size is not 1
     * @throws IndexOutOfBoundsException if {@code dim} is out of range
     */
    public Tensor squeeze(int dim) { return Views.squeeze(this, dim); }

    /**
     * Inserts a dim of size 1 (a view).
     *
     * @param dim its position in the result, {@code -(rank+1) <= dim <= rank}
     * @return the view
     */
    public Tensor unsqueeze(int dim) { return Views.unsqueeze(this, dim); }

    /**
     * Broadcasts to a larger shape without copying: size-1 dims get stride 0. -1 keeps a dim's size.
     * The result must not be written to (its elements alias each other).
     *
     * @param newShape the target shape, of rank at least this tensor's
     * @return the view
     */
    public Tensor expand(int... newShape) { return Views.expand(this, newShape); }

    /**
     * Same as {@link #expand} (NumPy's name).
     *
     * @param newShape the target shape
     * @return the view
     */
    public Tensor broadcastTo(int... newShape) { return expand(newShape); }

    // ------------------------------------------------------------------------------------------ elementwise

    /**
     * Elementwise sum, broadcasting both operands (NumPy rules).
     *
     * @param other broadcast operand
     * @return {@code this + other}, a new dense tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor add(Tensor other) { return Elementwise.binary("add", BinaryOp.ADD, this, other); }

    /**
     * Adds a scalar to every element.
     *
     * @param value scalar
     * @return {@code this + value}, a new dense tensor of this shape
     */
    public Tensor add(float value) { return Elementwise.binary("add", BinaryOp.ADD, this, value); }

    /**
     * {@link #add(float)} with a double: a float32 tensor rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 tensor keeps it, and an integer or bool tensor gives a float32 result.
     *
     * @param value scalar
     * @return {@link #add(float)} of it
     */
    public Tensor add(double value) { return Elementwise.binary("add", BinaryOp.ADD, this, value); }

    /**
     * {@code add} with an integer scalar: an integer tensor keeps its dtype (a bool tensor becomes int64), a floating
     * tensor converts the value to its own dtype.
     *
     * @param value the scalar right operand
     * @return a new tensor
     */
    public Tensor add(long value) { return Elementwise.binary("add", BinaryOp.ADD, this, value); }

    /**
     * Elementwise difference, broadcasting both operands (NumPy rules).
     *
     * @param other broadcast operand
     * @return {@code this - other}, a new dense tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor sub(Tensor other) { return Elementwise.binary("sub", BinaryOp.SUB, this, other); }

    /**
     * Subtracts a scalar from every element.
     *
     * @param value scalar
     * @return {@code this - value}, a new dense tensor of this shape
     */
    public Tensor sub(float value) { return Elementwise.binary("sub", BinaryOp.SUB, this, value); }

    /**
     * {@link #sub(float)} with a double: a float32 tensor rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 tensor keeps it, and an integer or bool tensor gives a float32 result.
     *
     * @param value scalar
     * @return {@link #sub(float)} of it
     */
    public Tensor sub(double value) { return Elementwise.binary("sub", BinaryOp.SUB, this, value); }

    /**
     * {@code sub} with an integer scalar: an integer tensor keeps its dtype (a bool tensor becomes int64), a floating
     * tensor converts the value to its own dtype.
     *
     * @param value the scalar right operand
     * @return a new tensor
     */
    public Tensor sub(long value) { return Elementwise.binary("sub", BinaryOp.SUB, this, value); }

    /**
     * Elementwise (Hadamard) product, broadcasting both operands (NumPy rules).
     *
     * @param other broadcast operand
     * @return {@code this * other}, a new dense tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor mul(Tensor other) { return Elementwise.binary("mul", BinaryOp.MUL, this, other); }

    /**
     * Multiplies every element by a scalar.
     *
     * @param value scalar
     * @return {@code this * value}, a new dense tensor of this shape
     */
    public Tensor mul(float value) { return Elementwise.binary("mul", BinaryOp.MUL, this, value); }

    /**
     * {@link #mul(float)} with a double: a float32 tensor rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 tensor keeps it, and an integer or bool tensor gives a float32 result.
     *
     * @param value scalar
     * @return {@link #mul(float)} of it
     */
    public Tensor mul(double value) { return Elementwise.binary("mul", BinaryOp.MUL, this, value); }

    /**
     * {@code mul} with an integer scalar: an integer tensor keeps its dtype (a bool tensor becomes int64), a floating
     * tensor converts the value to its own dtype.
     *
     * @param value the scalar right operand
     * @return a new tensor
     */
    public Tensor mul(long value) { return Elementwise.binary("mul", BinaryOp.MUL, this, value); }

    /**
     * Elementwise quotient, broadcasting both operands (NumPy rules); division by zero follows IEEE (an infinity, or
     * NaN for 0/0).
     *
     * @param other broadcast operand
     * @return {@code this / other}, a new dense tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor div(Tensor other) { return Elementwise.binary("div", BinaryOp.DIV, this, other); }

    /**
     * Divides every element by a scalar (IEEE: division by zero gives an infinity or NaN).
     *
     * @param value scalar
     * @return {@code this / value}, a new dense tensor of this shape
     */
    public Tensor div(float value) { return Elementwise.binary("div", BinaryOp.DIV, this, value); }

    /**
     * {@link #div(float)} with a double: a float32 tensor rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 tensor keeps it, and an integer or bool tensor gives a float32 result.
     *
     * @param value scalar
     * @return {@link #div(float)} of it
     */
    public Tensor div(double value) { return Elementwise.binary("div", BinaryOp.DIV, this, value); }

    /**
     * Elementwise power as {@link Math#pow}, broadcasting both operands (NumPy rules); a negative base with a
     * non-integer exponent gives NaN.
     *
     * @param exponent broadcast operand
     * @return {@code this ^ exponent} elementwise, a new dense tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor pow(Tensor exponent) { return Elementwise.binary("pow", BinaryOp.POW, this, exponent); }

    /**
     * Raises every element to a scalar power, as {@link Math#pow}.
     *
     * @param exponent scalar
     * @return {@code this ^ exponent}, a new dense tensor of this shape; exponent 2 squares exactly (as
     *         {@link #square()}) and exponent 1 copies
     */
    public Tensor pow(float exponent) {
        if (!dtype.isFloatingPoint()) {
            return Elementwise.binary("pow", BinaryOp.POW, this, exponent); // a float exponent makes it float32
        }
        return exponent == 2f ? Elementwise.unary(UnaryOp.SQUARE, this) : exponent == 1f ? copy()
                : Elementwise.binary("pow", BinaryOp.POW, this, exponent);
    }

    /**
     * {@link #pow(float)} with a double: a float32 tensor rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 tensor keeps it, and an integer or bool tensor gives a float32 result.
     *
     * @param value scalar
     * @return {@link #pow(float)} of it
     */
    public Tensor pow(double value) { return dtype == DType.FLOAT64 ? Elementwise.binary("pow", BinaryOp.POW, this, value) : pow((float) value); }

    /**
     * {@code pow} with an integer exponent: an integer tensor stays integral (a negative exponent is refused), a
     * floating one takes the float path ({@code pow(2)} is a square).
     *
     * @param exponent the exponent
     * @return a new tensor
     */
    public Tensor pow(long exponent) {
        return dtype.isFloatingPoint() ? pow((double) exponent) : Elementwise.binary("pow", BinaryOp.POW, this, exponent);
    }

    /**
     * Elementwise maximum, broadcasting both operands (NumPy rules); NaN where either is NaN.
     *
     * @param other broadcast operand
     * @return elementwise {@code max(this, other)}, a new dense tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor maximum(Tensor other) { return Elementwise.binary("maximum", BinaryOp.MAX, this, other); }

    /**
     * Elementwise maximum with a scalar (NaN stays NaN); {@code maximum(0f)} is a ReLU.
     *
     * @param value scalar
     * @return elementwise {@code max(this, value)}, a new dense tensor of this shape
     */
    public Tensor maximum(float value) { return Elementwise.binary("maximum", BinaryOp.MAX, this, value); }

    /**
     * {@link #maximum(float)} with a double: a float32 tensor rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 tensor keeps it, and an integer or bool tensor gives a float32 result.
     *
     * @param value scalar
     * @return {@link #maximum(float)} of it
     */
    public Tensor maximum(double value) { return Elementwise.binary("maximum", BinaryOp.MAX, this, value); }

    /**
     * {@code maximum} with an integer scalar: an integer tensor keeps its dtype, a floating one converts the value.
     *
     * @param value the scalar right operand
     * @return a new tensor
     */
    public Tensor maximum(long value) { return Elementwise.binary("maximum", BinaryOp.MAX, this, value); }

    /**
     * Elementwise minimum, broadcasting both operands (NumPy rules); NaN where either is NaN.
     *
     * @param other broadcast operand
     * @return elementwise {@code min(this, other)}, a new dense tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor minimum(Tensor other) { return Elementwise.binary("minimum", BinaryOp.MIN, this, other); }

    /**
     * Elementwise minimum with a scalar (NaN stays NaN).
     *
     * @param value scalar
     * @return elementwise {@code min(this, value)}, a new dense tensor of this shape
     */
    public Tensor minimum(float value) { return Elementwise.binary("minimum", BinaryOp.MIN, this, value); }

    /**
     * {@link #minimum(float)} with a double: a float32 tensor rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 tensor keeps it, and an integer or bool tensor gives a float32 result.
     *
     * @param value scalar
     * @return {@link #minimum(float)} of it
     */
    public Tensor minimum(double value) { return Elementwise.binary("minimum", BinaryOp.MIN, this, value); }

    /**
     * {@code minimum} with an integer scalar: an integer tensor keeps its dtype, a floating one converts the value.
     *
     * @param value the scalar right operand
     * @return a new tensor
     */
    public Tensor minimum(long value) { return Elementwise.binary("minimum", BinaryOp.MIN, this, value); }

    /**
     * Elementwise equality test, broadcasting both operands (NumPy rules); NaN equals nothing.
     *
     * @param other broadcast operand
     * @return 1 where equal, else 0: a new float mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor eq(Tensor other) { return Elementwise.binary("eq", BinaryOp.EQ, this, other); }

    /**
     * Tests every element for equality with a scalar; NaN equals nothing.
     *
     * @param value scalar
     * @return 1 where equal, else 0: a new float mask of this shape
     */
    public Tensor eq(float value) { return Elementwise.binary("eq", BinaryOp.EQ, this, value); }

    /**
     * {@link #eq(float)} with a double: a float32 tensor rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 tensor keeps it, and an integer or bool tensor gives a float32 result.
     *
     * @param value scalar
     * @return {@link #eq(float)} of it
     */
    public Tensor eq(double value) { return Elementwise.binary("eq", BinaryOp.EQ, this, value); }

    /**
     * {@code eq} with an integer scalar, compared exactly with an integer tensor (in the tensor's own dtype for a
     * floating one); the result is a bool tensor.
     *
     * @param value the scalar right operand
     * @return a new tensor
     */
    public Tensor eq(long value) { return Elementwise.binary("eq", BinaryOp.EQ, this, value); }

    /**
     * Elementwise inequality test, broadcasting both operands (NumPy rules); NaN differs from everything, itself
     * included.
     *
     * @param other broadcast operand
     * @return 1 where different, else 0: a new float mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor ne(Tensor other) { return Elementwise.binary("ne", BinaryOp.NE, this, other); }

    /**
     * Tests every element for inequality with a scalar; NaN differs from everything.
     *
     * @param value scalar
     * @return 1 where different, else 0: a new float mask of this shape
     */
    public Tensor ne(float value) { return Elementwise.binary("ne", BinaryOp.NE, this, value); }

    /**
     * {@link #ne(float)} with a double: a float32 tensor rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 tensor keeps it, and an integer or bool tensor gives a float32 result.
     *
     * @param value scalar
     * @return {@link #ne(float)} of it
     */
    public Tensor ne(double value) { return Elementwise.binary("ne", BinaryOp.NE, this, value); }

    /**
     * {@code ne} with an integer scalar, compared exactly with an integer tensor (in the tensor's own dtype for a
     * floating one); the result is a bool tensor.
     *
     * @param value the scalar right operand
     * @return a new tensor
     */
    public Tensor ne(long value) { return Elementwise.binary("ne", BinaryOp.NE, this, value); }

    /**
     * Elementwise {@code <} test, broadcasting both operands (NumPy rules); false where either is NaN.
     *
     * @param other broadcast operand
     * @return 1 where {@code this < other}, else 0: a new float mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor lt(Tensor other) { return Elementwise.binary("lt", BinaryOp.LT, this, other); }

    /**
     * Compares every element with a scalar by {@code <}; false for NaN.
     *
     * @param value scalar
     * @return 1 where {@code this < value}, else 0: a new float mask of this shape
     */
    public Tensor lt(float value) { return Elementwise.binary("lt", BinaryOp.LT, this, value); }

    /**
     * {@link #lt(float)} with a double: a float32 tensor rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 tensor keeps it, and an integer or bool tensor gives a float32 result.
     *
     * @param value scalar
     * @return {@link #lt(float)} of it
     */
    public Tensor lt(double value) { return Elementwise.binary("lt", BinaryOp.LT, this, value); }

    /**
     * {@code lt} with an integer scalar, compared exactly with an integer tensor (in the tensor's own dtype for a
     * floating one); the result is a bool tensor.
     *
     * @param value the scalar right operand
     * @return a new tensor
     */
    public Tensor lt(long value) { return Elementwise.binary("lt", BinaryOp.LT, this, value); }

    /**
     * Elementwise {@code <=} test, broadcasting both operands (NumPy rules); false where either is NaN.
     *
     * @param other broadcast operand
     * @return 1 where {@code this <= other}, else 0: a new float mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor le(Tensor other) { return Elementwise.binary("le", BinaryOp.LE, this, other); }

    /**
     * Compares every element with a scalar by {@code <=}; false for NaN.
     *
     * @param value scalar
     * @return 1 where {@code this <= value}, else 0: a new float mask of this shape
     */
    public Tensor le(float value) { return Elementwise.binary("le", BinaryOp.LE, this, value); }

    /**
     * {@link #le(float)} with a double: a float32 tensor rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 tensor keeps it, and an integer or bool tensor gives a float32 result.
     *
     * @param value scalar
     * @return {@link #le(float)} of it
     */
    public Tensor le(double value) { return Elementwise.binary("le", BinaryOp.LE, this, value); }

    /**
     * {@code le} with an integer scalar, compared exactly with an integer tensor (in the tensor's own dtype for a
     * floating one); the result is a bool tensor.
     *
     * @param value the scalar right operand
     * @return a new tensor
     */
    public Tensor le(long value) { return Elementwise.binary("le", BinaryOp.LE, this, value); }

    /**
     * Elementwise {@code >} test, broadcasting both operands (NumPy rules); false where either is NaN.
     *
     * @param other broadcast operand
     * @return 1 where {@code this > other}, else 0: a new float mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor gt(Tensor other) { return Elementwise.binary("gt", BinaryOp.GT, this, other); }

    /**
     * Compares every element with a scalar by {@code >}; false for NaN.
     *
     * @param value scalar
     * @return 1 where {@code this > value}, else 0: a new float mask of this shape
     */
    public Tensor gt(float value) { return Elementwise.binary("gt", BinaryOp.GT, this, value); }

    /**
     * {@link #gt(float)} with a double: a float32 tensor rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 tensor keeps it, and an integer or bool tensor gives a float32 result.
     *
     * @param value scalar
     * @return {@link #gt(float)} of it
     */
    public Tensor gt(double value) { return Elementwise.binary("gt", BinaryOp.GT, this, value); }

    /**
     * {@code gt} with an integer scalar, compared exactly with an integer tensor (in the tensor's own dtype for a
     * floating one); the result is a bool tensor.
     *
     * @param value the scalar right operand
     * @return a new tensor
     */
    public Tensor gt(long value) { return Elementwise.binary("gt", BinaryOp.GT, this, value); }

    /**
     * Elementwise {@code >=} test, broadcasting both operands (NumPy rules); false where either is NaN.
     *
     * @param other broadcast operand
     * @return 1 where {@code this >= other}, else 0: a new float mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor ge(Tensor other) { return Elementwise.binary("ge", BinaryOp.GE, this, other); }

    /**
     * Compares every element with a scalar by {@code >=}; false for NaN.
     *
     * @param value scalar
     * @return 1 where {@code this >= value}, else 0: a new float mask of this shape
     */
    public Tensor ge(float value) { return Elementwise.binary("ge", BinaryOp.GE, this, value); }

    /**
     * {@link #ge(float)} with a double: a float32 tensor rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 tensor keeps it, and an integer or bool tensor gives a float32 result.
     *
     * @param value scalar
     * @return {@link #ge(float)} of it
     */
    public Tensor ge(double value) { return Elementwise.binary("ge", BinaryOp.GE, this, value); }

    /**
     * {@code ge} with an integer scalar, compared exactly with an integer tensor (in the tensor's own dtype for a
     * floating one); the result is a bool tensor.
     *
     * @param value the scalar right operand
     * @return a new tensor
     */
    public Tensor ge(long value) { return Elementwise.binary("ge", BinaryOp.GE, this, value); }

    /**
     * Elementwise negation.
     *
     * @return {@code -this}, a new dense tensor of this shape
     */
    public Tensor neg() { return Elementwise.unary(UnaryOp.NEG, this); }

    /**
     * Elementwise exponential (+inf once it overflows float).
     *
     * @return {@code e^this}, a new dense tensor of this shape
     */
    public Tensor exp() { return Elementwise.unary(UnaryOp.EXP, this); }

    /**
     * Elementwise natural logarithm: -inf at 0, NaN for negative values.
     *
     * @return the natural logarithm, a new dense tensor of this shape
     */
    public Tensor log() { return Elementwise.unary(UnaryOp.LOG, this); }

    /**
     * Elementwise square root; NaN for negative values.
     *
     * @return the square root, a new dense tensor of this shape
     */
    public Tensor sqrt() { return Elementwise.unary(UnaryOp.SQRT, this); }

    /**
     * Elementwise absolute value.
     *
     * @return the absolute value, a new dense tensor of this shape
     */
    public Tensor abs() { return Elementwise.unary(UnaryOp.ABS, this); }

    /**
     * Elementwise sign, as {@link Math#signum}: -1 for negative, 1 for positive values; zeros and NaN stay as they are.
     *
     * @return -1, 0 or 1 by sign, a new dense tensor of this shape
     */
    public Tensor sign() { return Elementwise.unary(UnaryOp.SIGN, this); }

    /**
     * Elementwise hyperbolic tangent, in [-1, 1].
     *
     * @return the hyperbolic tangent, a new dense tensor of this shape
     */
    public Tensor tanh() { return Elementwise.unary(UnaryOp.TANH, this); }

    /**
     * Elementwise logistic sigmoid {@code 1 / (1 + e^-x)}, computed without overflow for large {@code |x|}.
     *
     * @return the logistic sigmoid, in [0, 1], a new dense tensor of this shape
     */
    public Tensor sigmoid() { return Elementwise.unary(UnaryOp.SIGMOID, this); }

    /**
     * Elementwise rectified linear unit; NaN stays NaN (as PyTorch).
     *
     * @return {@code max(this, 0)}, a new dense tensor of this shape
     */
    public Tensor relu() { return Elementwise.unary(UnaryOp.RELU, this); }

    /**
     * Elementwise square.
     *
     * @return {@code this * this}, a new dense tensor of this shape
     */
    public Tensor square() { return Elementwise.unary(UnaryOp.SQUARE, this); }

    /**
     * Elementwise reciprocal; 1/0 is +inf and 1/-0 is -inf.
     *
     * @return {@code 1 / this}, a new dense tensor of this shape
     */
    public Tensor reciprocal() { return Elementwise.unary(UnaryOp.RECIPROCAL, this); }

    /**
     * Limits every element to [min, max], as {@code maximum(min).minimum(max)}; NaN stays NaN.
     *
     * @param min lower bound
     * @param max upper bound, at least min
     * @return values limited to [min, max], a new dense tensor of this shape
     * @throws IllegalArgumentException if {@code min > max} or either bound is NaN
     */
    public Tensor clamp(float min, float max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        }
        return maximum(min).minimum(max);
    }

    /**
     * {@link #clamp(float, float)} with integer bounds: an integer tensor keeps its dtype, as in PyTorch.
     *
     * @param min lower bound
     * @param max upper bound, at least {@code min}
     * @return a new tensor
     * @throws IllegalArgumentException if {@code min > max}
     */
    public Tensor clamp(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        }
        return maximum(min).minimum(max);
    }

    /**
     * Elementwise {@code this * scale + shift} in one pass, without the intermediate tensor of
     * {@code mul(scale).add(shift)}.
     *
     * @param scale multiplier
     * @param shift addend
     * @return {@code this * scale + shift}, a new dense tensor of this shape
     */
    public Tensor affine(double scale, double shift) { return Elementwise.affine(this, scale, shift); }

    /**
     * Fills the positions where {@code mask} is true with a value, as PyTorch's {@code masked_fill}: the way an
     * attention mask is made, e.g.
     * {@code scores.maskedFill(Tensor.ones(DType.BOOL, t, t).triu(1), Float.NEGATIVE_INFINITY)}. The result keeps this
     * tensor's dtype.
     *
     * @param mask a bool tensor, true where to fill, broadcast against this tensor
     * @param value the fill value
     * @return a new tensor of the broadcast shape
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor maskedFill(Tensor mask, double value) {
        Tensor fill = InPlaceWrites.fill("maskedFill", zeros("maskedFill", dtype, new int[0]), value);
        return Elementwise.where("maskedFill", mask, fill, this);
    }

    /**
     * The lower triangle of the last two dims, as PyTorch's {@code tril}: element (i, j) is kept where
     * {@code j − i ≤ diagonal} and set to 0 elsewhere; every matrix of a batch alike.
     *
     * @param diagonal 0 keeps the main diagonal, positive values more above it, negative ones less
     * @return a new tensor of this shape
     * @throws IllegalArgumentException when this tensor has fewer than 2 dims
     */
    public Tensor tril(int diagonal) { return Elementwise.triangle(this, "tril", diagonal, true); }

    /**
     * The upper triangle of the last two dims, as PyTorch's {@code triu}: element (i, j) is kept where
     * {@code j − i ≥ diagonal} and set to 0 elsewhere. {@code Tensor.ones(t, t).triu(1)} marks the future of each
     * position, the causal attention mask.
     *
     * @param diagonal 0 keeps the main diagonal, positive values less of it and above, negative ones more
     * @return a new tensor of this shape
     * @throws IllegalArgumentException when this tensor has fewer than 2 dims
     */
    public Tensor triu(int diagonal) { return Elementwise.triangle(this, "triu", diagonal, false); }

    /**
     * Picks from {@code a} where {@code mask} is true, else from {@code b}; all three broadcast, and the result has
     * the promoted dtype of {@code a} and {@code b} ({@link #resultType}).
     *
     * @param mask a bool tensor
     * @param a values where true
     * @param b values where false
     * @return the selection
     */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) { return Elementwise.where(mask, a, b); }

    /**
     * Picks the scalar {@code a} where {@code mask} is true, else {@code b}: a float32 result.
     *
     * @param mask a bool tensor
     * @param a value where true
     * @param b value where false
     * @return the selection, a new dense tensor shaped like mask
     */
    public static Tensor where(Tensor mask, float a, float b) { return where(mask, scalar(a), scalar(b)); }

    /**
     * The dtype of an elementwise operation on {@code a} and {@code b}, as PyTorch's {@code result_type}:
     * {@link DType#promote} of the two, except that a 0-d tensor decides only when its category (bool, integer,
     * floating) is higher than the other's. So {@code float32 + float64 scalar} is float32, and
     * {@code int64 + float32 scalar} is float32.
     *
     * @param a one operand
     * @param b the other
     * @return the dtype their sum would have
     */
    public static DType resultType(Tensor a, Tensor b) { return TypedElementwise.resultType(a, b); }

    /**
     * Elementwise logical and: true where both are nonzero.
     *
     * @param other the other operand, broadcast
     * @return a new bool tensor
     */
    public Tensor logicalAnd(Tensor other) {
        return Elementwise.binary("logicalAnd", BinaryOp.MUL, to(DType.BOOL), other.to(DType.BOOL));
    }

    /**
     * Elementwise logical or: true where either is nonzero.
     *
     * @param other the other operand, broadcast
     * @return a new bool tensor
     */
    public Tensor logicalOr(Tensor other) {
        return Elementwise.binary("logicalOr", BinaryOp.ADD, to(DType.BOOL), other.to(DType.BOOL));
    }

    /**
     * Elementwise logical exclusive or: true where exactly one is nonzero.
     *
     * @param other the other operand, broadcast
     * @return a new bool tensor
     */
    public Tensor logicalXor(Tensor other) {
        return Elementwise.binary("logicalXor", BinaryOp.NE, to(DType.BOOL), other.to(DType.BOOL));
    }

    /**
     * Elementwise logical not: true where this tensor is zero (false).
     *
     * @return a new bool tensor
     */
    public Tensor logicalNot() { return eq(0L); }

    // ------------------------------------------------------------------------------------------ in place

    /**
     * Copies {@code src} (broadcast to this shape) into this tensor, in place. {@code src} may overlap this
     * tensor's storage.
     *
     * @param src the values
     * @return this tensor
     */
    public Tensor copyFrom(Tensor src) { return InPlaceWrites.copyFrom(this, src); }

    /**
     * Sets every element to {@code value}, in place, and bumps the version counter.
     *
     * @param value the value every element takes (in place)
     * @return this tensor
     * @throws IllegalArgumentException on an expanded view, whose elements alias each other
     */
    public Tensor fill(float value) { return InPlaceWrites.fill(this, value); }

    /**
     * Sets every element to {@code value} (in place), converted to this tensor's dtype as {@link #to} converts.
     *
     * @param value the value
     * @return this tensor
     * @throws IllegalArgumentException on an expanded view, or if the value does not fit an integer dtype
     */
    public Tensor fill(double value) { return InPlaceWrites.fill(this, value); }

    /**
     * Sets every element to 0, in place, as {@code fill(0f)}.
     *
     * @return this tensor, filled with zeros (in place)
     * @throws IllegalArgumentException on an expanded view, whose elements alias each other
     */
    public Tensor zero() { return fill(0f); }

    /**
     * {@code this += alpha * other}, in place ({@code other} broadcast to this shape; it may alias this).
     *
     * @param other the addend
     * @param alpha its scale
     * @return this tensor
     */
    public Tensor addInPlace(Tensor other, float alpha) { return InPlaceWrites.addInPlace(this, other, alpha); }

    /**
     * {@code this += other}, in place.
     *
     * @param other the addend, broadcast to this shape
     * @return this tensor
     */
    public Tensor addInPlace(Tensor other) { return addInPlace(other, 1f); }

    /**
     * {@code this *= value}, in place.
     *
     * @param value the factor
     * @return this tensor
     */
    public Tensor mulInPlace(float value) { return InPlaceWrites.mulInPlace(this, value); }

    /**
     * {@code this *= other}, in place.
     *
     * @param other the factor, broadcast to this shape
     * @return this tensor
     */
    public Tensor mulInPlace(Tensor other) { return InPlaceWrites.mulInPlace(this, other); }

    // ------------------------------------------------------------------------------------------ reductions

    /**
     * Sums all elements (0 for an empty tensor).
     *
     * @return the sum of all elements, a new 0-d tensor
     */
    public Tensor sum() { return Reductions.sum(this, null, false); }

    /**
     * Sums along one dim, which is removed: summing [A, B, C] over dim 1 gives [A, C].
     *
     * @param dim the dim summed over (negative counts from the end)
     * @return sums, a new tensor without that dim
     * @throws IndexOutOfBoundsException if a dim is out of range
     */
    public Tensor sum(int dim) { return sum(new int[] {dim}, false); }

    /**
     * Sums over several dims at once; they are removed, or kept with size 1 when {@code keepDim} is set (the result
     * then broadcasts against this tensor).
     *
     * @param dims the dims summed over, without repeats (null: all; none: nothing is reduced)
     * @param keepDim keep reduced dims with size 1
     * @return the sums, a new dense tensor
     * @throws IllegalArgumentException if a dim is repeated
     * @throws IndexOutOfBoundsException if a dim is out of range
     */
    public Tensor sum(int[] dims, boolean keepDim) { return Reductions.sum(this, dims, keepDim); }

    /**
     * The arithmetic mean of all elements.
     *
     * @return the mean of all elements, a new 0-d tensor (NaN when empty)
     */
    public Tensor mean() { return Reductions.mean(this); }

    /**
     * Averages along one dim, which is removed; an empty dim gives NaN.
     *
     * @param dim the dim averaged over (negative counts from the end)
     * @return means, a new tensor without that dim
     * @throws IndexOutOfBoundsException if a dim is out of range
     */
    public Tensor mean(int dim) { return mean(new int[] {dim}, false); }

    /**
     * Averages over several dims at once; they are removed, or kept with size 1 when {@code keepDim} is set. Empty
     * reduced dims give NaN.
     *
     * @param dims the dims averaged over, without repeats (null: all)
     * @param keepDim keep reduced dims with size 1
     * @return the means, a new dense tensor
     * @throws IllegalArgumentException if a dim is repeated
     * @throws IndexOutOfBoundsException if a dim is out of range
     */
    public Tensor mean(int[] dims, boolean keepDim) { return Reductions.mean(this, dims, keepDim); }

    /**
     * The largest element; NaN if any element is NaN.
     *
     * @return the largest element, a new 0-d tensor
     * @throws IllegalArgumentException if the tensor is empty
     */
    public Tensor max() { return Reductions.max(this, null, false); }

    /**
     * The largest values along a dim and where they are, as PyTorch's {@code x.max(dim, keepdim)}.
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return the largest values along dim and their indices (first on ties; a NaN counts as largest)
     */
    public IndexedValues<Tensor> max(int dim, boolean keepDim) {
        return new IndexedValues<>(amax(dim, keepDim), argmax(dim, keepDim));
    }

    /**
     * The largest values along a dim, which is removed, and where they are: {@code max(dim, false)}.
     *
     * @param dim the dim, removed from the result
     * @return the largest values along dim and their indices, as {@link #max(int, boolean)}
     */
    public IndexedValues<Tensor> max(int dim) { return max(dim, false); }

    /**
     * The largest values along a dim, without their positions (PyTorch's {@code amax}).
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return the largest values along dim
     */
    public Tensor amax(int dim, boolean keepDim) { return Reductions.max(this, new int[] {dim}, keepDim); }

    /**
     * The smallest element; NaN if any element is NaN.
     *
     * @return the smallest element, a new 0-d tensor
     * @throws IllegalArgumentException if the tensor is empty
     */
    public Tensor min() { return Reductions.min(this, null, false); }

    /**
     * The smallest values along a dim and where they are, as PyTorch's {@code x.min(dim, keepdim)}.
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return the smallest values along dim and their indices (first on ties; a NaN counts as smallest)
     */
    public IndexedValues<Tensor> min(int dim, boolean keepDim) {
        return new IndexedValues<>(amin(dim, keepDim), argmin(dim, keepDim));
    }

    /**
     * The smallest values along a dim, which is removed, and where they are: {@code min(dim, false)}.
     *
     * @param dim the dim, removed from the result
     * @return the smallest values along dim and their indices, as {@link #min(int, boolean)}
     */
    public IndexedValues<Tensor> min(int dim) { return min(dim, false); }

    /**
     * The {@code k} largest (or smallest) values along {@code dim} and their positions, as PyTorch's {@code topk}
     * with {@code sorted=True}: ordered from the largest (smallest) on, equal values in the order of their
     * positions, NaN above every number.
     *
     * @param k how many, in [0, size of dim]
     * @param dim the dim (negative counts from the end)
     * @param largest the largest values when true, the smallest when false
     * @return values shaped like this tensor with {@code dim} of size k, and their int64 positions along {@code dim}
     * @throws IllegalArgumentException if k or the dim is out of range
     */
    public IndexedValues<Tensor> topk(int k, int dim, boolean largest) { return Sorting.topk(this, "topk", k, dim, largest); }

    /**
     * The {@code k} largest values along the last dim and their positions: {@code topk(k, -1, true)}.
     *
     * @param k how many
     * @return values and int64 positions
     */
    public IndexedValues<Tensor> topk(int k) { return topk(k, -1, true); }

    /**
     * This tensor sorted along {@code dim}, stably (equal values keep their order), with the positions the values
     * came from, as PyTorch's {@code sort(stable=True)}; NaN sorts above every number.
     *
     * @param dim the dim (negative counts from the end)
     * @param descending largest first when true
     * @return the sorted values and their int64 positions along {@code dim}
     */
    public IndexedValues<Tensor> sort(int dim, boolean descending) {
        return Sorting.topk(this, "sort", shape.length == 0 ? 1 : shape[Shape.existingDim("sort", dim, shape.length)],
                dim, descending);
    }

    /**
     * The positions that sort this tensor along {@code dim}: {@code sort(dim, descending).indices()}.
     *
     * @param dim the dim (negative counts from the end)
     * @param descending largest first when true
     * @return int64 positions
     */
    public Tensor argsort(int dim, boolean descending) { return sort(dim, descending).indices(); }

    /**
     * Whether any element is nonzero (true for bool).
     *
     * @return a 0-d bool tensor
     */
    public Tensor any() { return numel() == 0 ? full(0, DType.BOOL) : to(DType.BOOL).max(); }

    /**
     * Whether every element is nonzero (true for bool); true for an empty tensor.
     *
     * @return a 0-d bool tensor
     */
    public Tensor all() { return numel() == 0 ? full(1, DType.BOOL) : to(DType.BOOL).min(); }

    /**
     * The smallest values along a dim, without their positions (PyTorch's {@code amin}).
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return the smallest values along dim
     */
    public Tensor amin(int dim, boolean keepDim) { return Reductions.min(this, new int[] {dim}, keepDim); }

    /**
     * Where the largest element is, as an index into the row-major {@link #flatten()}; the first on ties, and a NaN
     * counts as largest.
     *
     * @return the flat (row-major) index of the largest element, a new 0-d tensor holding an integer value
     * @throws IllegalArgumentException if the tensor is empty
     */
    public Tensor argmax() { return reshape(-1).argmax(0, false); }

    /**
     * Where the largest values along a dim are, as PyTorch's {@code argmax(dim, keepdim)}: an int64 tensor.
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return indices of the largest values along dim (first on ties; NaN counts as largest)
     * @throws IllegalArgumentException if the dim is empty
     */
    public Tensor argmax(int dim, boolean keepDim) { return Reductions.argmax(this, dim, keepDim); }

    /**
     * Where the smallest element is, as an index into the row-major {@link #flatten()}; the first on ties, and a NaN
     * counts as smallest.
     *
     * @return the flat (row-major) index of the smallest element, a new 0-d tensor holding an integer value
     * @throws IllegalArgumentException if the tensor is empty
     */
    public Tensor argmin() { return reshape(-1).argmin(0, false); }

    /**
     * Where the smallest values along a dim are, as PyTorch's {@code argmin(dim, keepdim)}: an int64 tensor.
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return indices of the smallest values along dim (first on ties; NaN counts as smallest)
     * @throws IllegalArgumentException if the dim is empty
     */
    public Tensor argmin(int dim, boolean keepDim) { return Reductions.argmin(this, dim, keepDim); }

    /**
     * Variance over dims, as PyTorch: {@code sum (x - mean)^2 / (N - correction)}.
     *
     * @param dims the dims (null: all)
     * @param correction 1 for the unbiased (sample) variance, 0 for the population one
     * @param keepDim keep reduced dims with size 1
     * @return the variances
     */
    public Tensor var(int[] dims, int correction, boolean keepDim) {
        return Reductions.var(this, dims, correction, keepDim);
    }

    /**
     * The sample variance of all elements, with Bessel's correction: {@code sum((x - mean)^2) / (N - 1)}, NaN for fewer
     * than two elements.
     *
     * @return the unbiased variance of all elements, a new 0-d tensor
     */
    public Tensor var() { return var(null, 1, false); }

    /**
     * Standard deviation over dims: the square root of {@link #var(int[], int, boolean)}.
     *
     * @param dims the dims (null: all)
     * @param correction 1 for the sample standard deviation, 0 for the population one
     * @param keepDim keep reduced dims with size 1
     * @return the standard deviations, a new dense tensor
     */
    public Tensor std(int[] dims, int correction, boolean keepDim) { return var(dims, correction, keepDim).sqrt(); }

    /**
     * The sample standard deviation of all elements: the square root of {@link #var()}.
     *
     * @return the unbiased standard deviation of all elements, a new 0-d tensor
     */
    public Tensor std() { return var().sqrt(); }

    /**
     * {@code log(sum(exp(x)))} along a dim, computed stably (shifted by the maximum).
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return the log-sum-exp values
     */
    public Tensor logSumExp(int dim, boolean keepDim) { return Softmaxes.logSumExp(this, dim, keepDim); }

    /**
     * Softmax along a dim: {@code exp(x - max) / sum(exp(x - max))}, finite for any finite input.
     *
     * @param dim the dim
     * @return probabilities summing to 1 along dim
     */
    public Tensor softmax(int dim) { return Softmaxes.softmax(this, "softmax", dim, false); }

    /**
     * Log-softmax along a dim: {@code x - logSumExp(x)}, computed stably.
     *
     * @param dim the dim
     * @return log-probabilities
     */
    public Tensor logSoftmax(int dim) { return Softmaxes.softmax(this, "logSoftmax", dim, true); }

    // ------------------------------------------------------------------------------------------ matmul

    /**
     * Matrix product with NumPy {@code matmul} rules: 1-d·1-d is a dot product (0-d result); a 1-d left
     * operand is a row vector and a 1-d right operand a column vector (the added dim is removed again);
     * operands of rank &gt; 2 are stacks of matrices whose batch dims broadcast. Transposed views
     * ({@link #mT()}, {@link #t()}) are read through their strides, never materialised.
     *
     * @param other right operand
     * @return the product
     */
    public Tensor matmul(Tensor other) { return Tensor.matmul(this, other); }

    /**
     * See {@link #matmul(Tensor)}.
     *
     * @param a left operand
     * @param b right operand
     * @return {@code a @ b}
     */
    public static Tensor matmul(Tensor a, Tensor b) { return Matmul.matmul(a, b); }

    // ------------------------------------------------------------------------------------------ joining, indexing

    /**
     * Joins tensors along an existing dim; all other dims must match.
     *
     * @param dim the dim
     * @param tensors at least one tensor
     * @return the concatenation
     */
    public static Tensor concat(int dim, Tensor... tensors) { return Indexing.concat(dim, tensors); }

    /**
     * Joins same-shaped tensors along a new dim.
     *
     * @param dim position of the new dim in the result
     * @param tensors at least one tensor, all of one shape
     * @return the stack
     */
    public static Tensor stack(int dim, Tensor... tensors) { return Indexing.stack(dim, tensors); }

    /**
     * Selects whole slices along a dim by index, as PyTorch's {@code index_select}.
     *
     * @param dim the dim
     * @param indices indices into that dim (repeats allowed, negative count from the end)
     * @return a dense tensor whose dim {@code dim} has {@code indices.length} entries
     */
    public Tensor indexSelect(int dim, int... indices) { return Indexing.indexSelect(this, dim, indices); }

    /**
     * Adds the slices of {@code src} into a copy of this tensor at the given indices along a dim (repeated
     * indices accumulate): the adjoint of {@link #indexSelect}.
     *
     * @param dim the dim
     * @param indices one index per slice of src along dim
     * @param src values, shaped like this tensor except {@code indices.length} along dim
     * @return a new tensor
     */
    public Tensor indexAdd(int dim, int[] indices, Tensor src) { return Indexing.indexAdd(this, dim, indices, src); }

    /**
     * {@code out[i][j][k] = this[index[i][j][k]][j][k]} for dim 0 (and likewise for other dims), as PyTorch's
     * {@code gather}: {@code index} has this tensor's rank, and along every other dim it is no larger.
     *
     * @param dim the dim indexed
     * @param index integer-valued indices
     * @return a tensor shaped like index
     */
    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }

    /**
     * The adjoint of {@link #gather}: a copy of this tensor with {@code src[i][j][k]} added at
     * {@code [index[i][j][k]][j][k]} (for dim 0); repeated indices accumulate.
     *
     * @param dim the dim indexed
     * @param index integer-valued indices, shaped like src
     * @param src values to add
     * @return a new tensor shaped like this one
     */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return Indexing.scatterAdd(this, dim, index, src); }

    /**
     * One-hot encoding of integer labels: a tensor of shape {@code labels.shape + [numClasses]}.
     *
     * @param labels integer-valued class indices in [0, numClasses)
     * @param numClasses number of classes
     * @return 1 at each label's position, 0 elsewhere
     */
    public static Tensor oneHot(Tensor labels, int numClasses) { return Indexing.oneHot(labels, numClasses); }

    // ------------------------------------------------------------------------------------------ comparison, printing

    /**
     * True when every pair of (broadcast) elements satisfies {@code |a - b| <= atol + rtol * |b|}, as
     * PyTorch's {@code allclose}. NaNs are never close.
     *
     * @param other the reference, broadcast against this tensor
     * @param rtol relative tolerance
     * @param atol absolute tolerance
     * @return whether all elements are close
     */
    public boolean allClose(Tensor other, float rtol, float atol) {
        Tensor a = this, b = other;
        int[] s = Shape.broadcast("allClose", a.shape, b.shape);
        if (!a.dtype.isFloatingPoint() && !b.dtype.isFloatingPoint()) {
            // Integers compare exactly: doubles would make 2^53 and 2^53 + 1 equal.
            long[] x = a.expand(s).toLongArray(), y = b.expand(s).toLongArray();
            for (int i = 0; i < x.length; i++) {
                long diff;
                try {
                    diff = Math.absExact(Math.subtractExact(x[i], y[i]));
                } catch (ArithmeticException e) {
                    diff = Long.MAX_VALUE; // farther apart than any tolerance a long can meet
                }
                if (diff != 0 && !(diff <= atol + rtol * Math.abs((double) y[i]))) {
                    return false;
                }
            }
            return true;
        }
        double[] x = a.expand(s).toDoubleArray(), y = b.expand(s).toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            // In double, and only finite differences count: a finite value is never close to an infinity (inf
            // <= rtol * inf would say it is), as torch.isclose; equal values, infinities included, always are.
            double diff = Math.abs(x[i] - y[i]);
            if (!(x[i] == y[i] || (Double.isFinite(diff) && diff <= atol + rtol * Math.abs(y[i])))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Tensor t) || !Arrays.equals(shape, t.shape) || dtype != t.dtype) {
            return false;
        }
        switch (dtype) {
            case FLOAT64 -> {
                return Arrays.equals(toDoubleArray(), t.toDoubleArray());
            }
            case INT64, INT32 -> {
                return Arrays.equals(toLongArray(), t.toLongArray());
            }
            case BOOL -> {
                return Arrays.equals(toBooleanArray(), t.toBooleanArray());
            }
            default -> {
                // float32: compared below, bit by bit
            }
        }
        float[] x = toArray(), y = t.toArray();
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToIntBits(x[i]) != Float.floatToIntBits(y[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int values = switch (dtype) {
            case FLOAT32 -> Arrays.hashCode(toArray());
            case FLOAT64 -> Arrays.hashCode(toDoubleArray());
            case INT64, INT32 -> Arrays.hashCode(toLongArray());
            case BOOL -> Arrays.hashCode(toBooleanArray());
        };
        return 31 * (31 * Arrays.hashCode(shape) + dtype.ordinal()) + values;
    }

    /**
     * Prints like PyTorch: {@code tensor([[1., 2.], [3., 4.]])} laid out one row per line, summarised with
     * "..." beyond 1000 elements, followed by the shape.
     */
    @Override
    public String toString() { return TensorFormat.format(this); }
}
