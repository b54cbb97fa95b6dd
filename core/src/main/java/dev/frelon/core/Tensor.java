package dev.frelon.core;

import dev.frelon.core.kernel.BinaryOp;
import dev.frelon.core.kernel.ElementwiseKernels;
import dev.frelon.core.kernel.Gemm;
import dev.frelon.core.kernel.Kernels;
import dev.frelon.core.kernel.Parallel;
import dev.frelon.core.kernel.ReductionKernels;
import dev.frelon.core.kernel.SoftmaxKernels;
import dev.frelon.core.kernel.UnaryOp;

import java.util.Arrays;

/**
 * An n-dimensional array of float32 values: a shape, strides and an offset over a heap {@code float[]}.
 *
 * <p><b>Values and views.</b> Operations return new tensors and leave their operands unchanged. The view
 * operations ({@link #reshape} when possible, {@link #view}, {@link #transpose}, {@link #permute},
 * {@link #narrow}, {@link #slice}, {@link #select}, {@link #squeeze}, {@link #unsqueeze}, {@link #expand},
 * {@link #flatten}) share storage with their base: a write through a view is seen in the base. Only the
 * methods named {@code ...InPlace}, {@link #set}, {@link #fill}, {@link #zero} and {@link #copyFrom} write.
 * Each write bumps a version counter shared by all views of the storage, which lets autodiff detect a saved
 * tensor modified before backward.
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
 * <p><b>Indices</b> (results of {@link #argmax}, arguments of {@link #gather}) are float values holding
 * integers, exact up to 2^24.
 *
 * <p><b>Equality.</b> {@link #equals} is value equality: same shape and the same values compared as
 * {@link Float#equals} does (NaN equals NaN, 0.0 differs from -0.0). Use {@link #allClose} for tolerances.
 */
public final class Tensor {

    final float[] data;
    final int[] shape;
    final int[] strides;
    final int offset;
    /** One counter per storage, shared by every view of it; bumped on each in-place write. */
    private final int[] version;

    Tensor(float[] data, int[] shape, int[] strides, int offset, int[] version) {
        this.data = data;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.version = version;
    }

    /** A new dense tensor over {@code data}, which the caller hands over. */
    static Tensor dense(float[] data, int[] shape) {
        return new Tensor(data, shape, Shape.contiguousStrides(shape), 0, new int[1]);
    }

    private Tensor viewOf(int[] newShape, int[] newStrides, int newOffset) {
        return new Tensor(data, newShape, newStrides, newOffset, version);
    }

    // ------------------------------------------------------------------------------------------ creation

    /**
     * Creates a dense tensor of the given shape filled with zeros; no dims give a 0-d tensor.
     *
     * @param shape the dims, each at least 0
     * @return a new dense tensor of zeros
     * @throws IllegalArgumentException if a dim is negative or the shape has too many elements for one array
     */
    public static Tensor zeros(int... shape) {
        return zeros("zeros", shape);
    }

    /** {@link #zeros(int...)} for the op named {@code op}, whose name a refused shape's message gives. */
    private static Tensor zeros(String op, int[] shape) {
        int[] s = shape.clone();
        return dense(new float[Shape.numel(op, s)], s);
    }

    /**
     * Creates a dense tensor of the given shape filled with ones.
     *
     * @param shape the dims
     * @return a new dense tensor of ones
     * @throws IllegalArgumentException if a dim is negative or the shape has too many elements for one array
     */
    public static Tensor ones(int... shape) {
        return full("ones", 1f, shape);
    }

    /**
     * Creates a dense tensor of the given shape with every element set to {@code value}.
     *
     * @param value the fill value
     * @param shape the dims
     * @return a new dense tensor with every element equal to {@code value}
     * @throws IllegalArgumentException if a dim is negative or the shape has too many elements for one array
     */
    public static Tensor full(float value, int... shape) {
        return full("full", value, shape);
    }

    private static Tensor full(String op, float value, int[] shape) {
        int[] s = shape.clone();
        float[] d = new float[Shape.numel(op, s)];
        Arrays.fill(d, value);
        return dense(d, s);
    }

    /**
     * Creates a 0-d tensor: shape {@code []}, one element.
     *
     * @param value the value
     * @return a new 0-d tensor holding {@code value}
     */
    public static Tensor scalar(float value) {
        return dense(new float[] {value}, new int[0]);
    }

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
    public static Tensor of(float[][] rows) {
        int m = rows.length;
        int n = m == 0 ? 0 : rows[0].length;
        float[] d = new float[m * n];
        for (int i = 0; i < m; i++) {
            if (rows[i].length != n) {
                throw new IllegalArgumentException("Tensor.of: row " + i + " has " + rows[i].length
                        + " values, row 0 has " + n);
            }
            System.arraycopy(rows[i], 0, d, i * n, n);
        }
        return dense(d, new int[] {m, n});
    }

    /**
     * The values {@code 0, 1, 2, ...} strictly below {@code end}, as NumPy's {@code arange(end)}: the same as
     * {@code arange(0, end, 1)}.
     *
     * @param end exclusive end
     * @return {@code [0, 1, ..., ceil(end)-1]} as a new 1-d tensor, empty when {@code end <= 0}
     * @throws IllegalArgumentException if {@code end} is not finite
     */
    public static Tensor arange(float end) {
        return arange(0, end, 1);
    }

    /**
     * Values {@code start, start+step, ...} strictly before {@code end}, as NumPy's {@code arange}.
     *
     * @param start first value
     * @param end exclusive bound
     * @param step non-zero increment
     * @return a 1-d tensor
     */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || !Float.isFinite(step) || !Float.isFinite(start) || !Float.isFinite(end)) {
            throw new IllegalArgumentException("arange: start, end and step must be finite and step non-zero, got "
                    + start + ", " + end + ", " + step);
        }
        int n = Shape.count("arange", Math.ceil((end - (double) start) / step),
                "[" + start + ", " + end + ") in steps of " + step);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) (start + (double) i * step);
        }
        return dense(d, new int[] {n});
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
    public static Tensor linspace(float start, float end, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: steps must be >= 0, got " + steps);
        }
        Shape.count("linspace", steps, steps + " steps");
        float[] d = new float[steps];
        for (int i = 0; i < steps; i++) {
            d[i] = steps == 1 ? start : (float) (start + (end - (double) start) * i / (steps - 1));
        }
        return dense(d, new int[] {steps});
    }

    /**
     * Creates the identity matrix: ones on the diagonal, zeros elsewhere.
     *
     * @param n size
     * @return the n×n identity matrix, a new dense {@code [n, n]} tensor
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public static Tensor eye(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("eye: n must be >= 0, got " + n);
        }
        Tensor t = zeros("eye", new int[] {n, n});
        for (int i = 0; i < n; i++) {
            t.data[i * n + i] = 1f;
        }
        return t;
    }

    /**
     * Fills a new dense tensor with values drawn uniformly from [0, 1) by {@code rng}, in row-major order.
     *
     * @param rng the generator
     * @param shape the dims
     * @return values uniform in [0, 1)
     */
    public static Tensor rand(Rng rng, int... shape) {
        return uniform("rand", rng, 0f, 1f, shape);
    }

    /**
     * Uniform values in [0, 1) from a fresh generator: {@code Tensor.rand(new int[] {3, 4}, 42)}. The shape
     * comes first so that no list of ints can be read as a seed.
     *
     * @param shape the dims
     * @param seed seed of a new {@link Rng}
     * @return values uniform in [0, 1), the same for the same seed on every machine
     */
    public static Tensor rand(int[] shape, long seed) {
        return rand(new Rng(seed), shape);
    }

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
        return uniform("uniform", rng, low, high, shape);
    }

    private static Tensor uniform(String op, Rng rng, float low, float high, int[] shape) {
        if (!(low <= high) || !Float.isFinite(low) || !Float.isFinite(high)) {
            throw new IllegalArgumentException(op + ": need finite low <= high, got [" + low + ", " + high + ")");
        }
        Tensor t = zeros(op, shape);
        // Rounding the double draw to float can land exactly on high; keep the interval half-open.
        float top = low < high ? Math.nextDown(high) : high;
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = Math.min(top, (float) (low + (high - (double) low) * rng.nextDouble()));
        }
        return t;
    }

    /**
     * Fills a new dense tensor with standard normal values N(0, 1) drawn by {@code rng}, in row-major order.
     *
     * @param rng the generator
     * @param shape the dims
     * @return standard normal values
     */
    public static Tensor randn(Rng rng, int... shape) {
        return normal("randn", rng, 0f, 1f, shape);
    }

    /**
     * Standard normal values from a fresh generator: {@code Tensor.randn(new int[] {3, 4}, 42)}. The shape
     * comes first so that no list of ints can be read as a seed.
     *
     * @param shape the dims
     * @param seed seed of a new {@link Rng}
     * @return standard normal values, the same for the same seed on every machine
     */
    public static Tensor randn(int[] shape, long seed) {
        return randn(new Rng(seed), shape);
    }

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
        return normal("normal", rng, mean, std, shape);
    }

    private static Tensor normal(String op, Rng rng, float mean, float std, int[] shape) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException(op + ": std must be >= 0, got " + std);
        }
        Tensor t = zeros(op, shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) (mean + std * rng.nextGaussian());
        }
        return t;
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
    public static Tensor bernoulli(Rng rng, float p, int... shape) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli: p must be in [0, 1], got " + p);
        }
        Tensor t = zeros("bernoulli", shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = rng.nextDouble() < p ? 1f : 0f;
        }
        return t;
    }

    /**
     * Copies the elements into a new dense row-major tensor with its own storage and version counter; works on any
     * view, expanded ones included.
     *
     * @return a dense copy that shares nothing with this tensor
     */
    public Tensor copy() {
        Tensor out = zeros(shape);
        copyInto(this, out);
        return out;
    }

    // ------------------------------------------------------------------------------------------ accessors

    /**
     * The size of each dim, outermost first; empty for a 0-d tensor.
     *
     * @return a copy of the dims
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The size of one dim.
     *
     * @param dim a dim, negative counts from the end
     * @return the size of that dim
     * @throws IndexOutOfBoundsException if {@code dim} is out of range (a 0-d tensor has no dims)
     */
    public int size(int dim) {
        return shape[Shape.existingDim("size", dim, shape.length)];
    }

    /**
     * The rank: how many dims the shape has.
     *
     * @return the number of dims (0 for a scalar)
     */
    public int dim() {
        return shape.length;
    }

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
     * How far apart in {@link #storage()} consecutive indices of each dim lie: row-major for a dense tensor, permuted
     * by {@link #transpose}, 0 along the dims stretched by {@link #expand}.
     *
     * @return a copy of the strides, in elements
     */
    public int[] strides() {
        return strides.clone();
    }

    /**
     * Where the first element lies in {@link #storage()}: 0 for a new tensor, possibly more for views such as
     * {@link #narrow} or {@link #select}.
     *
     * @return the storage index of the first element
     */
    public int offset() {
        return offset;
    }

    /**
     * The backing storage, shared with every view of it. Element {@code (i0, i1, ...)} lives at
     * {@code offset() + i0*strides()[0] + i1*strides()[1] + ...}. For kernels and optimizers that update
     * dense tensors in place; a writer must call {@link #bumpVersion()}.
     *
     * @return the storage array (not a copy)
     */
    public float[] storage() {
        return data;
    }

    /**
     * The version counter shared by this storage and all its views, bumped by every in-place write; autodiff compares
     * it with the value it recorded to detect a saved tensor modified before backward.
     *
     * @return the version counter of the storage: how many in-place writes it has seen
     */
    public int version() {
        return version[0];
    }

    /** Records an in-place write made directly to {@link #storage()}. */
    public void bumpVersion() {
        version[0]++;
    }

    /**
     * Whether the elements lie densely in row-major order from {@link #offset()} on, so that kernels can read them as
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
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    /**
     * Whether the two tensors are views of the same storage array, so that a write through one may be seen through the
     * other.
     *
     * @param other another tensor
     * @return true when this tensor and {@code other} share storage
     */
    public boolean sharesStorageWith(Tensor other) {
        return data == other.data;
    }

    /**
     * The value of a tensor holding exactly one element, whatever its rank (e.g. a 0-d loss or a [1, 1] tensor).
     *
     * @return the value of a one-element tensor
     * @throws IllegalArgumentException if the tensor does not hold exactly one element
     */
    public float item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item: needs exactly one element, got shape " + Shape.str(shape));
        }
        return data[offset];
    }

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
        return data[index("get", idx)];
    }

    /**
     * Writes one element (in place).
     *
     * @param value the new value
     * @param idx one index per dim (negative counts from the end)
     * @throws IllegalArgumentException on an expanded view, whose elements alias each other
     */
    public void set(float value, int... idx) {
        checkWritable("set");
        data[index("set", idx)] = value;
        version[0]++;
    }

    /**
     * Copies the elements into a new array in row-major order; never returns the storage itself.
     *
     * @return the elements in row-major order, as a new array
     */
    public float[] toArray() {
        return contiguous() == this && offset == 0 && data.length == numel() ? data.clone() : copy().data;
    }

    // ------------------------------------------------------------------------------------------ views

    /**
     * Gives this tensor a new shape with the same elements in row-major order. Returns a view when the
     * strides allow it (always for contiguous tensors), otherwise a copy. One dim may be -1 (inferred).
     *
     * @param newShape the dims
     * @return a view or a copy
     */
    public Tensor reshape(int... newShape) {
        int[] s = inferShape("reshape", newShape);
        int[] st = viewStrides(s);
        return st != null ? viewOf(s, st, offset) : copy().viewOf(s, Shape.contiguousStrides(s), 0);
    }

    /**
     * Like {@link #reshape} but never copies.
     *
     * @param newShape the dims, one may be -1
     * @return a view
     * @throws IllegalArgumentException when the strides make a view impossible (call {@link #contiguous()} first)
     */
    public Tensor view(int... newShape) {
        int[] s = inferShape("view", newShape);
        int[] st = viewStrides(s);
        if (st == null) {
            throw new IllegalArgumentException("view: a tensor of shape " + Shape.str(shape) + " and strides "
                    + Shape.str(strides) + " cannot be viewed as " + Shape.str(s)
                    + " without copying; use reshape() or contiguous() first");
        }
        return viewOf(s, st, offset);
    }

    private int[] inferShape(String op, int[] newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": only one dim may be -1 in " + Shape.str(newShape));
                }
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid dim " + s[i] + " in " + Shape.str(newShape));
            } else {
                known *= s[i];
            }
        }
        int n = numel();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": cannot infer -1 in " + Shape.str(newShape) + " for "
                        + n + " elements (shape " + Shape.str(shape) + ")");
            }
            s[infer] = (int) (n / known);
            known *= s[infer];
        }
        if (known != n) {
            throw new IllegalArgumentException(op + ": shape " + Shape.str(newShape) + " (" + known
                    + " elements) does not match " + Shape.str(shape) + " (" + n + " elements)");
        }
        return s;
    }

    /** Strides that view this tensor's elements as {@code newShape} without a copy, or null if none exist. */
    private int[] viewStrides(int[] newShape) {
        if (isContiguous() || numel() == 0) {
            return Shape.contiguousStrides(newShape);
        }
        // Walk old dims from the right in "chunks" that are laid out as one run, matching new dims to them.
        int[] out = new int[newShape.length];
        int viewD = newShape.length - 1;
        long chunkBase = strides[strides.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    out[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? out : null;
    }

    /**
     * All elements in one dim of length {@link #numel()}, in row-major order; a 0-d tensor gives shape [1].
     *
     * @return a 1-d view (or copy, when the strides demand it) of all elements
     */
    public Tensor flatten() {
        return reshape(-1);
    }

    /**
     * Merges dims {@code startDim..endDim} (inclusive) into one.
     *
     * @param startDim first dim merged
     * @param endDim last dim merged
     * @return a view when possible, else a copy
     */
    public Tensor flatten(int startDim, int endDim) {
        if (shape.length == 0) {
            Shape.dim("flatten", startDim, 0); // a 0-d tensor takes dims 0 and -1, as PyTorch
            Shape.dim("flatten", endDim, 0);
            return reshape(1);
        }
        int s = Shape.dim("flatten", startDim, shape.length);
        int e = Shape.dim("flatten", endDim, shape.length);
        if (s > e) {
            throw new IllegalArgumentException("flatten: startDim " + startDim + " comes after endDim " + endDim);
        }
        int[] ns = new int[shape.length - (e - s)];
        int k = 0;
        for (int d = 0; d < s; d++) {
            ns[k++] = shape[d];
        }
        int prod = 1;
        for (int d = s; d <= e; d++) {
            prod *= shape[d];
        }
        ns[k++] = prod;
        for (int d = e + 1; d < shape.length; d++) {
            ns[k++] = shape[d];
        }
        return reshape(ns);
    }

    /**
     * Swaps two dims (a view).
     *
     * @param dim0 a dim
     * @param dim1 another dim
     * @return the view (a 0-d tensor, whose dims are 0 and -1, itself)
     * @throws IndexOutOfBoundsException if a dim is out of range
     */
    public Tensor transpose(int dim0, int dim1) {
        if (shape.length == 0) {
            Shape.dim("transpose", dim0, 0); // a 0-d tensor takes dims 0 and -1, as PyTorch, and is its own transpose
            Shape.dim("transpose", dim1, 0);
            return this;
        }
        int a = Shape.dim("transpose", dim0, shape.length);
        int b = Shape.dim("transpose", dim1, shape.length);
        int[] p = new int[shape.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        p[a] = b;
        p[b] = a;
        return permute(p);
    }

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
    public Tensor permute(int... order) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute: " + order.length + " dims given for a tensor of rank "
                    + shape.length + " (shape " + Shape.str(shape) + ")");
        }
        boolean[] seen = new boolean[shape.length];
        int[] ns = new int[shape.length], st = new int[shape.length];
        for (int i = 0; i < order.length; i++) {
            int d = Shape.dim("permute", order[i], shape.length);
            if (seen[d]) {
                throw new IllegalArgumentException("permute: dim " + order[i] + " repeated in " + Shape.str(order));
            }
            seen[d] = true;
            ns[i] = shape[d];
            st[i] = strides[d];
        }
        return viewOf(ns, st, offset);
    }

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
    public Tensor narrow(int dim, int start, int length) {
        int d = Shape.existingDim("narrow", dim, shape.length);
        int s = start < 0 ? start + shape[d] : start;
        if (length < 0) {
            throw new IndexOutOfBoundsException("narrow: length " + length + " is negative (dim " + dim + " of shape "
                    + Shape.str(shape) + ")");
        }
        if (s < 0 || s > shape[d]) {
            throw new IndexOutOfBoundsException("narrow: start " + start + " is out of range for dim " + dim
                    + " (size " + shape[d] + ") of shape " + Shape.str(shape) + " (expected " + -shape[d]
                    + " <= start <= " + shape[d] + ")");
        }
        if (length > shape[d] - s) { // not s + length > size, which overflows for a length near 2^31
            throw new IndexOutOfBoundsException("narrow: start " + start + " + length " + length
                    + " is past the end of dim " + dim + " (size " + shape[d] + ") of shape " + Shape.str(shape));
        }
        int[] ns = shape.clone();
        ns[d] = length;
        return viewOf(ns, strides.clone(), offset + s * strides[d]);
    }

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
    public Tensor slice(int dim, int start, int end, int step) {
        int d = Shape.existingDim("slice", dim, shape.length);
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step);
        }
        int n = shape[d];
        int s = clampIndex(start, n), e = clampIndex(end, n);
        int len = e > s ? (e - s - 1) / step + 1 : 0; // not (e - s + step - 1) / step, which overflows for a huge step
        int[] ns = shape.clone();
        int[] st = strides.clone();
        ns[d] = len;
        st[d] = strides[d] * step;
        return viewOf(ns, st, offset + (len > 0 ? s * strides[d] : 0));
    }

    private static int clampIndex(int i, int n) {
        if (i < 0) {
            i += n;
        }
        return Math.max(0, Math.min(n, i));
    }

    /**
     * Picks one index along a dim, removing that dim (a view).
     *
     * @param dim the dim
     * @param index the index (negative counts from the end)
     * @return the view, of rank one less
     */
    public Tensor select(int dim, int index) {
        int d = Shape.existingDim("select", dim, shape.length);
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dim " + dim
                    + " of size " + shape[d] + " (shape " + Shape.str(shape) + ")");
        }
        return viewOf(remove(shape, d), remove(strides, d), offset + i * strides[d]);
    }

    private static int[] remove(int[] a, int d) {
        int[] out = new int[a.length - 1];
        System.arraycopy(a, 0, out, 0, d);
        System.arraycopy(a, d + 1, out, d, a.length - d - 1);
        return out;
    }

    private static int[] insert(int[] a, int d, int v) {
        int[] out = new int[a.length + 1];
        System.arraycopy(a, 0, out, 0, d);
        out[d] = v;
        System.arraycopy(a, d, out, d + 1, a.length - d);
        return out;
    }

    /**
     * Removes every dim of size 1, e.g. [1, 3, 1] becomes [3] (a view sharing storage).
     *
     * @return a view without the dims of size 1
     */
    public Tensor squeeze() {
        int k = 0;
        for (int s : shape) {
            if (s != 1) {
                k++;
            }
        }
        int[] ns = new int[k], st = new int[k];
        k = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] != 1) {
                ns[k] = shape[d];
                st[k++] = strides[d];
            }
        }
        return viewOf(ns, st, offset);
    }

    /**
     * Removes one dim if its size is 1, as PyTorch; a dim of another size leaves the tensor unchanged.
     *
     * @param dim the dim (negative counts from the end)
     * @return a view without that dim, or this tensor when its size is not 1
     * @throws IndexOutOfBoundsException if {@code dim} is out of range
     */
    public Tensor squeeze(int dim) {
        if (shape.length == 0) {
            Shape.dim("squeeze", dim, 0);
            return this;
        }
        int d = Shape.dim("squeeze", dim, shape.length);
        return shape[d] == 1 ? viewOf(remove(shape, d), remove(strides, d), offset) : this;
    }

    /**
     * Inserts a dim of size 1 (a view).
     *
     * @param dim its position in the result, {@code -(rank+1) <= dim <= rank}
     * @return the view
     */
    public Tensor unsqueeze(int dim) {
        int d = Shape.dim("unsqueeze", dim, shape.length + 1);
        int st = d < shape.length ? strides[d] * shape[d] : 1;
        return viewOf(insert(shape, d, 1), insert(strides, d, st), offset);
    }

    /**
     * Broadcasts to a larger shape without copying: size-1 dims get stride 0. -1 keeps a dim's size.
     * The result must not be written to (its elements alias each other).
     *
     * @param newShape the target shape, of rank at least this tensor's
     * @return the view
     */
    public Tensor expand(int... newShape) {
        int[] target = newShape.clone();
        int lead = target.length - shape.length;
        if (lead < 0) {
            throw new IllegalArgumentException("expand: cannot expand shape " + Shape.str(shape) + " to "
                    + Shape.str(newShape) + " (fewer dims)");
        }
        for (int i = 0; i < shape.length; i++) {
            if (target[lead + i] == -1) {
                target[lead + i] = shape[i];
            }
        }
        for (int i = 0; i < target.length; i++) {
            if (target[i] < 0) {
                throw new IllegalArgumentException("expand: cannot expand shape " + Shape.str(shape) + " to "
                        + Shape.str(newShape) + " (size " + newShape[i] + " in dim " + i + "; -1 keeps an existing dim)");
            }
        }
        Shape.numel("expand", target);
        return viewOf(target, Shape.broadcastStrides("expand", shape, strides, target), offset);
    }

    /**
     * Same as {@link #expand} (NumPy's name).
     *
     * @param newShape the target shape
     * @return the view
     */
    public Tensor broadcastTo(int... newShape) {
        return expand(newShape);
    }

    // ------------------------------------------------------------------------------------------ elementwise

    /** Elementwise results at least this long are split over the shared pool. */
    private static final int PARALLEL_ELEMENTS = 1 << 17;

    private static ElementwiseKernels ew() {
        return ElementwiseKernels.CHOSEN;
    }

    private static Tensor binary(String op, BinaryOp kind, Tensor a, Tensor b) {
        // Fast paths for the common cases (same-shaped dense operands, a dense tensor and a scalar): one
        // kernel call with no broadcasting bookkeeping, which dominates the cost of small operations.
        if (a.isContiguous() && (b.numel() == 1 && b.shape.length <= a.shape.length
                || b.isContiguous() && Arrays.equals(a.shape, b.shape))) {
            Tensor out = zeros(a.shape);
            int ib = b.numel() == 1 && out.data.length != 1 ? 0 : 1;
            ElementwiseKernels k = ew();
            if (out.data.length < PARALLEL_ELEMENTS) {
                k.binary(kind, a.data, a.offset, 1, b.data, b.offset, ib, out.data, 0, out.data.length);
            } else {
                Parallel.forRange(0, out.data.length, PARALLEL_ELEMENTS / 2, (lo, hi) -> k.binary(kind, a.data,
                        a.offset + lo, 1, b.data, b.offset + lo * ib, ib, out.data, lo, hi - lo));
            }
            return out;
        }
        if (b.isContiguous() && a.numel() == 1 && a.shape.length <= b.shape.length) {
            Tensor out = zeros(b.shape);
            ElementwiseKernels k = ew();
            if (out.data.length < PARALLEL_ELEMENTS) {
                k.binary(kind, a.data, a.offset, 0, b.data, b.offset, 1, out.data, 0, out.data.length);
            } else {
                Parallel.forRange(0, out.data.length, PARALLEL_ELEMENTS / 2, (lo, hi) -> k.binary(kind, a.data,
                        a.offset, 0, b.data, b.offset + lo, 1, out.data, lo, hi - lo));
            }
            return out;
        }
        int[] outShape = Shape.broadcast(op, a.shape, b.shape);
        Tensor out = zeros(op, outShape);
        int[] as = Shape.broadcastStrides(op, a.shape, a.strides, outShape);
        int[] bs = Shape.broadcastStrides(op, b.shape, b.strides, outShape);
        StridedLoop loop = new StridedLoop(outShape, as, bs, out.strides);
        int ia = loop.inner[0], ib = loop.inner[1];
        ElementwiseKernels k = ew();
        if (loop.shape.length == 1 && out.data.length >= PARALLEL_ELEMENTS) {
            // One long strip (dense or broadcast operands): split it over the shared pool.
            Parallel.forRange(0, out.data.length, PARALLEL_ELEMENTS / 2, (lo, hi) -> k.binary(kind,
                    a.data, a.offset + lo * ia, ia, b.data, b.offset + lo * ib, ib, out.data, lo, hi - lo));
            return out;
        }
        loop.forEach(new int[] {a.offset, b.offset, 0},
                (o, n) -> k.binary(kind, a.data, o[0], ia, b.data, o[1], ib, out.data, o[2], n));
        return out;
    }

    private static Tensor binary(String op, BinaryOp kind, Tensor a, float b) {
        return binary(op, kind, a, scalar(b));
    }

    private Tensor unary(UnaryOp kind) {
        Tensor out = zeros(shape);
        if (isContiguous()) {
            ElementwiseKernels k = ew();
            if (out.data.length < PARALLEL_ELEMENTS) {
                k.unary(kind, data, offset, 1, out.data, 0, out.data.length);
            } else {
                Parallel.forRange(0, out.data.length, PARALLEL_ELEMENTS / 2,
                        (lo, hi) -> k.unary(kind, data, offset + lo, 1, out.data, lo, hi - lo));
            }
            return out;
        }
        StridedLoop loop = new StridedLoop(shape, strides, out.strides);
        int ia = loop.inner[0];
        ElementwiseKernels k = ew();
        if (loop.shape.length == 1 && out.data.length >= PARALLEL_ELEMENTS) {
            Parallel.forRange(0, out.data.length, PARALLEL_ELEMENTS / 2,
                    (lo, hi) -> k.unary(kind, data, offset + lo * ia, ia, out.data, lo, hi - lo));
            return out;
        }
        loop.forEach(new int[] {offset, 0}, (o, n) -> k.unary(kind, data, o[0], ia, out.data, o[1], n));
        return out;
    }

    /**
     * Elementwise sum, broadcasting both operands (NumPy rules).
     *
     * @param other broadcast operand
     * @return {@code this + other}, a new dense tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor add(Tensor other) { return binary("add", BinaryOp.ADD, this, other); }

    /**
     * Adds a scalar to every element.
     *
     * @param value scalar
     * @return {@code this + value}, a new dense tensor of this shape
     */
    public Tensor add(float value) { return binary("add", BinaryOp.ADD, this, value); }

    /**
     * Same as {@link #add(float)}, with {@code value} first rounded to float.
     *
     * @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor)
     * @return {@link #add(float)} of it
     */
    public Tensor add(double value) { return add((float) value); }

    /**
     * Elementwise difference, broadcasting both operands (NumPy rules).
     *
     * @param other broadcast operand
     * @return {@code this - other}, a new dense tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor sub(Tensor other) { return binary("sub", BinaryOp.SUB, this, other); }

    /**
     * Subtracts a scalar from every element.
     *
     * @param value scalar
     * @return {@code this - value}, a new dense tensor of this shape
     */
    public Tensor sub(float value) { return binary("sub", BinaryOp.SUB, this, value); }

    /**
     * Same as {@link #sub(float)}, with {@code value} first rounded to float.
     *
     * @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor)
     * @return {@link #sub(float)} of it
     */
    public Tensor sub(double value) { return sub((float) value); }

    /**
     * Elementwise (Hadamard) product, broadcasting both operands (NumPy rules).
     *
     * @param other broadcast operand
     * @return {@code this * other}, a new dense tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor mul(Tensor other) { return binary("mul", BinaryOp.MUL, this, other); }

    /**
     * Multiplies every element by a scalar.
     *
     * @param value scalar
     * @return {@code this * value}, a new dense tensor of this shape
     */
    public Tensor mul(float value) { return binary("mul", BinaryOp.MUL, this, value); }

    /**
     * Same as {@link #mul(float)}, with {@code value} first rounded to float.
     *
     * @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor)
     * @return {@link #mul(float)} of it
     */
    public Tensor mul(double value) { return mul((float) value); }

    /**
     * Elementwise quotient, broadcasting both operands (NumPy rules); division by zero follows IEEE (an infinity, or
     * NaN for 0/0).
     *
     * @param other broadcast operand
     * @return {@code this / other}, a new dense tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor div(Tensor other) { return binary("div", BinaryOp.DIV, this, other); }

    /**
     * Divides every element by a scalar (IEEE: division by zero gives an infinity or NaN).
     *
     * @param value scalar
     * @return {@code this / value}, a new dense tensor of this shape
     */
    public Tensor div(float value) { return binary("div", BinaryOp.DIV, this, value); }

    /**
     * Same as {@link #div(float)}, with {@code value} first rounded to float.
     *
     * @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor)
     * @return {@link #div(float)} of it
     */
    public Tensor div(double value) { return div((float) value); }

    /**
     * Elementwise power as {@link Math#pow}, broadcasting both operands (NumPy rules); a negative base with a
     * non-integer exponent gives NaN.
     *
     * @param exponent broadcast operand
     * @return {@code this ^ exponent} elementwise, a new dense tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor pow(Tensor exponent) { return binary("pow", BinaryOp.POW, this, exponent); }

    /**
     * Raises every element to a scalar power, as {@link Math#pow}.
     *
     * @param exponent scalar
     * @return {@code this ^ exponent}, a new dense tensor of this shape; exponent 2 squares exactly (as
     *         {@link #square()}) and exponent 1 copies
     */
    public Tensor pow(float exponent) {
        return exponent == 2f ? unary(UnaryOp.SQUARE) : exponent == 1f ? copy() : binary("pow", BinaryOp.POW, this, exponent);
    }

    /**
     * Same as {@link #pow(float)}, with {@code value} first rounded to float.
     *
     * @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor)
     * @return {@link #pow(float)} of it
     */
    public Tensor pow(double value) { return pow((float) value); }

    /**
     * Elementwise maximum, broadcasting both operands (NumPy rules); NaN where either is NaN.
     *
     * @param other broadcast operand
     * @return elementwise {@code max(this, other)}, a new dense tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor maximum(Tensor other) { return binary("maximum", BinaryOp.MAX, this, other); }

    /**
     * Elementwise maximum with a scalar (NaN stays NaN); {@code maximum(0f)} is a ReLU.
     *
     * @param value scalar
     * @return elementwise {@code max(this, value)}, a new dense tensor of this shape
     */
    public Tensor maximum(float value) { return binary("maximum", BinaryOp.MAX, this, value); }

    /**
     * Same as {@link #maximum(float)}, with {@code value} first rounded to float.
     *
     * @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor)
     * @return {@link #maximum(float)} of it
     */
    public Tensor maximum(double value) { return maximum((float) value); }

    /**
     * Elementwise minimum, broadcasting both operands (NumPy rules); NaN where either is NaN.
     *
     * @param other broadcast operand
     * @return elementwise {@code min(this, other)}, a new dense tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor minimum(Tensor other) { return binary("minimum", BinaryOp.MIN, this, other); }

    /**
     * Elementwise minimum with a scalar (NaN stays NaN).
     *
     * @param value scalar
     * @return elementwise {@code min(this, value)}, a new dense tensor of this shape
     */
    public Tensor minimum(float value) { return binary("minimum", BinaryOp.MIN, this, value); }

    /**
     * Same as {@link #minimum(float)}, with {@code value} first rounded to float.
     *
     * @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor)
     * @return {@link #minimum(float)} of it
     */
    public Tensor minimum(double value) { return minimum((float) value); }

    /**
     * Elementwise equality test, broadcasting both operands (NumPy rules); NaN equals nothing.
     *
     * @param other broadcast operand
     * @return 1 where equal, else 0: a new float mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor eq(Tensor other) { return binary("eq", BinaryOp.EQ, this, other); }

    /**
     * Tests every element for equality with a scalar; NaN equals nothing.
     *
     * @param value scalar
     * @return 1 where equal, else 0: a new float mask of this shape
     */
    public Tensor eq(float value) { return binary("eq", BinaryOp.EQ, this, value); }

    /**
     * Same as {@link #eq(float)}, with {@code value} first rounded to float.
     *
     * @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor)
     * @return {@link #eq(float)} of it
     */
    public Tensor eq(double value) { return eq((float) value); }

    /**
     * Elementwise inequality test, broadcasting both operands (NumPy rules); NaN differs from everything, itself
     * included.
     *
     * @param other broadcast operand
     * @return 1 where different, else 0: a new float mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor ne(Tensor other) { return binary("ne", BinaryOp.NE, this, other); }

    /**
     * Tests every element for inequality with a scalar; NaN differs from everything.
     *
     * @param value scalar
     * @return 1 where different, else 0: a new float mask of this shape
     */
    public Tensor ne(float value) { return binary("ne", BinaryOp.NE, this, value); }

    /**
     * Same as {@link #ne(float)}, with {@code value} first rounded to float.
     *
     * @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor)
     * @return {@link #ne(float)} of it
     */
    public Tensor ne(double value) { return ne((float) value); }

    /**
     * Elementwise {@code <} test, broadcasting both operands (NumPy rules); false where either is NaN.
     *
     * @param other broadcast operand
     * @return 1 where {@code this < other}, else 0: a new float mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor lt(Tensor other) { return binary("lt", BinaryOp.LT, this, other); }

    /**
     * Compares every element with a scalar by {@code <}; false for NaN.
     *
     * @param value scalar
     * @return 1 where {@code this < value}, else 0: a new float mask of this shape
     */
    public Tensor lt(float value) { return binary("lt", BinaryOp.LT, this, value); }

    /**
     * Same as {@link #lt(float)}, with {@code value} first rounded to float.
     *
     * @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor)
     * @return {@link #lt(float)} of it
     */
    public Tensor lt(double value) { return lt((float) value); }

    /**
     * Elementwise {@code <=} test, broadcasting both operands (NumPy rules); false where either is NaN.
     *
     * @param other broadcast operand
     * @return 1 where {@code this <= other}, else 0: a new float mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor le(Tensor other) { return binary("le", BinaryOp.LE, this, other); }

    /**
     * Compares every element with a scalar by {@code <=}; false for NaN.
     *
     * @param value scalar
     * @return 1 where {@code this <= value}, else 0: a new float mask of this shape
     */
    public Tensor le(float value) { return binary("le", BinaryOp.LE, this, value); }

    /**
     * Same as {@link #le(float)}, with {@code value} first rounded to float.
     *
     * @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor)
     * @return {@link #le(float)} of it
     */
    public Tensor le(double value) { return le((float) value); }

    /**
     * Elementwise {@code >} test, broadcasting both operands (NumPy rules); false where either is NaN.
     *
     * @param other broadcast operand
     * @return 1 where {@code this > other}, else 0: a new float mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor gt(Tensor other) { return binary("gt", BinaryOp.GT, this, other); }

    /**
     * Compares every element with a scalar by {@code >}; false for NaN.
     *
     * @param value scalar
     * @return 1 where {@code this > value}, else 0: a new float mask of this shape
     */
    public Tensor gt(float value) { return binary("gt", BinaryOp.GT, this, value); }

    /**
     * Same as {@link #gt(float)}, with {@code value} first rounded to float.
     *
     * @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor)
     * @return {@link #gt(float)} of it
     */
    public Tensor gt(double value) { return gt((float) value); }

    /**
     * The gradient of a ReLU in one pass: this gradient where the ReLU's output is positive, 0 where it is 0
     * (a NaN output passes the gradient, as PyTorch's threshold backward does).
     *
     * @param output the ReLU's output, broadcast against this
     * @return {@code output <= 0 ? 0 : this}
     */
    public Tensor reluBackward(Tensor output) { return binary("reluBackward", BinaryOp.RELU_BACKWARD, this, output); }

    /**
     * Elementwise {@code >=} test, broadcasting both operands (NumPy rules); false where either is NaN.
     *
     * @param other broadcast operand
     * @return 1 where {@code this >= other}, else 0: a new float mask of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Tensor ge(Tensor other) { return binary("ge", BinaryOp.GE, this, other); }

    /**
     * Compares every element with a scalar by {@code >=}; false for NaN.
     *
     * @param value scalar
     * @return 1 where {@code this >= value}, else 0: a new float mask of this shape
     */
    public Tensor ge(float value) { return binary("ge", BinaryOp.GE, this, value); }

    /**
     * Same as {@link #ge(float)}, with {@code value} first rounded to float.
     *
     * @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor)
     * @return {@link #ge(float)} of it
     */
    public Tensor ge(double value) { return ge((float) value); }

    /**
     * Elementwise negation.
     *
     * @return {@code -this}, a new dense tensor of this shape
     */
    public Tensor neg() { return unary(UnaryOp.NEG); }

    /**
     * Elementwise exponential (+inf once it overflows float).
     *
     * @return {@code e^this}, a new dense tensor of this shape
     */
    public Tensor exp() { return unary(UnaryOp.EXP); }

    /**
     * Elementwise natural logarithm: -inf at 0, NaN for negative values.
     *
     * @return the natural logarithm, a new dense tensor of this shape
     */
    public Tensor log() { return unary(UnaryOp.LOG); }

    /**
     * Elementwise square root; NaN for negative values.
     *
     * @return the square root, a new dense tensor of this shape
     */
    public Tensor sqrt() { return unary(UnaryOp.SQRT); }

    /**
     * Elementwise absolute value.
     *
     * @return the absolute value, a new dense tensor of this shape
     */
    public Tensor abs() { return unary(UnaryOp.ABS); }

    /**
     * Elementwise sign, as {@link Math#signum}: -1 for negative, 1 for positive values; zeros and NaN stay as they are.
     *
     * @return -1, 0 or 1 by sign, a new dense tensor of this shape
     */
    public Tensor sign() { return unary(UnaryOp.SIGN); }

    /**
     * Elementwise hyperbolic tangent, in [-1, 1].
     *
     * @return the hyperbolic tangent, a new dense tensor of this shape
     */
    public Tensor tanh() { return unary(UnaryOp.TANH); }

    /**
     * Elementwise logistic sigmoid {@code 1 / (1 + e^-x)}, computed without overflow for large {@code |x|}.
     *
     * @return the logistic sigmoid, in [0, 1], a new dense tensor of this shape
     */
    public Tensor sigmoid() { return unary(UnaryOp.SIGMOID); }

    /**
     * Elementwise rectified linear unit; NaN stays NaN (as PyTorch).
     *
     * @return {@code max(this, 0)}, a new dense tensor of this shape
     */
    public Tensor relu() { return unary(UnaryOp.RELU); }

    /**
     * Elementwise square.
     *
     * @return {@code this * this}, a new dense tensor of this shape
     */
    public Tensor square() { return unary(UnaryOp.SQUARE); }

    /**
     * Elementwise reciprocal; 1/0 is +inf and 1/-0 is -inf.
     *
     * @return {@code 1 / this}, a new dense tensor of this shape
     */
    public Tensor reciprocal() { return unary(UnaryOp.RECIPROCAL); }

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
     * Elementwise {@code this * scale + shift} in one pass, without the intermediate tensor of
     * {@code mul(scale).add(shift)}.
     *
     * @param scale multiplier
     * @param shift addend
     * @return {@code this * scale + shift}, a new dense tensor of this shape
     */
    public Tensor affine(float scale, float shift) {
        Tensor out = zeros(shape);
        StridedLoop loop = new StridedLoop(shape, strides, out.strides);
        int ia = loop.inner[0];
        loop.forEach(new int[] {offset, 0}, (o, n) -> ew().affine(data, o[0], ia, scale, shift, out.data, o[1], n));
        return out;
    }

    /**
     * Fills the positions where {@code mask} is nonzero with a value, as PyTorch's {@code masked_fill}: the way an
     * attention mask is made, e.g. {@code scores.maskedFill(Tensor.ones(t, t).triu(1), Float.NEGATIVE_INFINITY)}.
     *
     * @param mask nonzero where to fill (a boolean mask as 0/1 values), broadcast against this tensor
     * @param value the fill value
     * @return a new tensor of the broadcast shape
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public Tensor maskedFill(Tensor mask, float value) {
        return where(mask.ne(0f), scalar(value), this);
    }

    /**
     * The lower triangle of the last two dims, as PyTorch's {@code tril}: element (i, j) is kept where
     * {@code j − i ≤ diagonal} and set to 0 elsewhere; every matrix of a batch alike.
     *
     * @param diagonal 0 keeps the main diagonal, positive values more above it, negative ones less
     * @return a new tensor of this shape
     * @throws IllegalArgumentException when this tensor has fewer than 2 dims
     */
    public Tensor tril(int diagonal) {
        return where(triangle("tril", diagonal, true), this, scalar(0f));
    }

    /**
     * The upper triangle of the last two dims, as PyTorch's {@code triu}: element (i, j) is kept where
     * {@code j − i ≥ diagonal} and set to 0 elsewhere. {@code Tensor.ones(t, t).triu(1)} marks the future of each
     * position, the causal attention mask.
     *
     * @param diagonal 0 keeps the main diagonal, positive values less of it and above, negative ones more
     * @return a new tensor of this shape
     * @throws IllegalArgumentException when this tensor has fewer than 2 dims
     */
    public Tensor triu(int diagonal) {
        return where(triangle("triu", diagonal, false), this, scalar(0f));
    }

    /** 1 where (i, j) is in the lower (j − i ≤ diagonal) or upper (j − i ≥ diagonal) triangle, as [rows, cols]. */
    private Tensor triangle(String op, int diagonal, boolean lower) {
        if (shape.length < 2) {
            throw new IllegalArgumentException(op + ": needs at least 2 dims, got shape " + Shape.str(shape));
        }
        int rows = shape[shape.length - 2], cols = shape[shape.length - 1];
        Tensor m = zeros(op, new int[] {rows, cols});
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                long d = (long) j - i;
                m.data[i * cols + j] = lower ? (d <= diagonal ? 1f : 0f) : (d >= diagonal ? 1f : 0f);
            }
        }
        return m;
    }

    /**
     * Picks from {@code a} where {@code mask} is non-zero, else from {@code b}; all three broadcast.
     *
     * @param mask condition (non-zero is true)
     * @param a values where true
     * @param b values where false
     * @return the selection
     */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        int[] outShape = Shape.broadcast("where", Shape.broadcast("where", mask.shape, a.shape), b.shape);
        Tensor out = zeros("where", outShape);
        int[] ms = Shape.broadcastStrides("where", mask.shape, mask.strides, outShape);
        int[] as = Shape.broadcastStrides("where", a.shape, a.strides, outShape);
        int[] bs = Shape.broadcastStrides("where", b.shape, b.strides, outShape);
        StridedLoop loop = new StridedLoop(outShape, ms, as, bs, out.strides);
        int im = loop.inner[0], ia = loop.inner[1], ib = loop.inner[2];
        loop.forEach(new int[] {mask.offset, a.offset, b.offset, 0}, (o, n) -> {
            for (int i = 0; i < n; i++) {
                out.data[o[3] + i] = mask.data[o[0] + i * im] != 0f ? a.data[o[1] + i * ia] : b.data[o[2] + i * ib];
            }
        });
        return out;
    }

    /**
     * Picks the scalar {@code a} where {@code mask} is non-zero, else {@code b}.
     *
     * @param mask condition (non-zero is true)
     * @param a value where true
     * @param b value where false
     * @return the selection, a new dense tensor shaped like mask
     */
    public static Tensor where(Tensor mask, float a, float b) {
        return where(mask, scalar(a), scalar(b));
    }

    // ------------------------------------------------------------------------------------------ in place

    private void checkWritable(String op) {
        for (int d = 0; d < strides.length; d++) {
            // Stride 0 on a dim of size 1 aliases nothing (expand() gives such dims stride 0 too).
            if (strides[d] == 0 && shape[d] > 1) {
                throw new IllegalArgumentException(op + ": cannot write to an expanded view (stride 0 in "
                        + Shape.str(strides) + "); call contiguous() first");
            }
        }
    }

    /** Writes {@code src} (already shaped like this) into this tensor's elements. */
    private void writeFrom(Tensor src) {
        StridedLoop loop = new StridedLoop(shape, src.strides, strides);
        int is = loop.inner[0], id = loop.inner[1];
        loop.forEach(new int[] {src.offset, offset}, (o, n) -> {
            if (is == 1 && id == 1) {
                System.arraycopy(src.data, o[0], data, o[1], n);
            } else {
                for (int i = 0; i < n; i++) {
                    data[o[1] + i * id] = src.data[o[0] + i * is];
                }
            }
        });
        version[0]++;
    }

    private static void copyInto(Tensor src, Tensor dst) {
        dst.writeFrom(src);
    }

    /** Broadcasts {@code other} to this shape, copying it first if it shares this tensor's storage. */
    private Tensor operand(String op, Tensor other) {
        Tensor o = other.data == data ? other.copy() : other;
        int[] st = Shape.broadcastStrides(op, o.shape, o.strides, shape);
        return new Tensor(o.data, shape, st, o.offset, o.version);
    }

    /**
     * Copies {@code src} (broadcast to this shape) into this tensor, in place. {@code src} may overlap this
     * tensor's storage.
     *
     * @param src the values
     * @return this tensor
     */
    public Tensor copyFrom(Tensor src) {
        checkWritable("copyFrom");
        writeFrom(operand("copyFrom", src));
        return this;
    }

    /**
     * Sets every element to {@code value}, in place, and bumps the version counter.
     *
     * @param value the value every element takes (in place)
     * @return this tensor
     * @throws IllegalArgumentException on an expanded view, whose elements alias each other
     */
    public Tensor fill(float value) {
        checkWritable("fill");
        StridedLoop loop = new StridedLoop(shape, strides);
        int s = loop.inner[0];
        loop.forEach(new int[] {offset}, (o, n) -> {
            for (int i = 0; i < n; i++) {
                data[o[0] + i * s] = value;
            }
        });
        version[0]++;
        return this;
    }

    /**
     * Sets every element to 0, in place, as {@code fill(0f)}.
     *
     * @return this tensor, filled with zeros (in place)
     * @throws IllegalArgumentException on an expanded view, whose elements alias each other
     */
    public Tensor zero() {
        return fill(0f);
    }

    /**
     * {@code this += alpha * other}, in place ({@code other} broadcast to this shape; it may alias this).
     *
     * @param other the addend
     * @param alpha its scale
     * @return this tensor
     */
    public Tensor addInPlace(Tensor other, float alpha) {
        checkWritable("addInPlace");
        Tensor o = operand("addInPlace", other);
        if (isContiguous() && o.isContiguous()) {
            ew().axpy(alpha, o.data, o.offset, data, offset, numel());
            version[0]++;
            return this;
        }
        return copyFrom(add(o.mul(alpha)));
    }

    /**
     * {@code this += other}, in place.
     *
     * @param other the addend, broadcast to this shape
     * @return this tensor
     */
    public Tensor addInPlace(Tensor other) {
        return addInPlace(other, 1f);
    }

    /**
     * {@code this *= value}, in place.
     *
     * @param value the factor
     * @return this tensor
     */
    public Tensor mulInPlace(float value) {
        checkWritable("mulInPlace");
        if (isContiguous()) {
            ew().affine(data, offset, 1, value, 0f, data, offset, numel());
            version[0]++;
            return this;
        }
        return copyFrom(mul(value));
    }

    /**
     * {@code this *= other}, in place.
     *
     * @param other the factor, broadcast to this shape
     * @return this tensor
     */
    public Tensor mulInPlace(Tensor other) {
        checkWritable("mulInPlace");
        return copyFrom(mul(operand("mulInPlace", other)));
    }

    // ------------------------------------------------------------------------------------------ reductions

    /** Reduces one dense run {@code a[off .. off+n)} to a value. */
    @FunctionalInterface
    private interface RowReducer {
        float reduce(float[] a, int off, int n);
    }

    /** Moves the reduced dims last, makes that layout dense, and reduces each run of them. */
    private Tensor reduce(String op, int[] dims, boolean keepDim, boolean emptyAllowed, RowReducer r) {
        boolean[] mask = dims == null ? allDims() : Shape.dimMask(op, dims, shape.length);
        int rank = shape.length;
        int[] order = new int[rank];
        int k = 0, reduced = 1;
        for (int d = 0; d < rank; d++) {
            if (!mask[d]) {
                order[k++] = d;
            }
        }
        int kept = k;
        for (int d = 0; d < rank; d++) {
            if (mask[d]) {
                order[k++] = d;
                reduced *= shape[d];
            }
        }
        if (reduced == 0 && !emptyAllowed) {
            throw new IllegalArgumentException(op + ": cannot reduce over an empty dim (shape " + Shape.str(shape) + ")");
        }
        int[] outShape = new int[keepDim ? rank : kept];
        for (int d = 0, j = 0; d < rank; d++) {
            if (!mask[d]) {
                outShape[keepDim ? d : j++] = shape[d];
            } else if (keepDim) {
                outShape[d] = 1;
            }
        }
        Tensor src = permute(order).contiguous();
        Tensor out = zeros(outShape);
        int rows = out.data.length;
        int run = reduced;
        Parallel.forRange(0, rows, Math.max(1, (1 << 15) / Math.max(1, run)), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                out.data[i] = r.reduce(src.data, src.offset + i * run, run);
            }
        });
        return out;
    }

    private boolean[] allDims() {
        boolean[] m = new boolean[shape.length];
        Arrays.fill(m, true);
        return m;
    }

    private static ReductionKernels rk() {
        return ReductionKernels.CHOSEN;
    }

    /**
     * Sums all elements (0 for an empty tensor).
     *
     * @return the sum of all elements, a new 0-d tensor
     */
    public Tensor sum() {
        return reduce("sum", null, false, true, rk()::sum);
    }

    /**
     * Sums along one dim, which is removed: summing [A, B, C] over dim 1 gives [A, C].
     *
     * @param dim the dim summed over (negative counts from the end)
     * @return sums, a new tensor without that dim
     * @throws IndexOutOfBoundsException if a dim is out of range
     */
    public Tensor sum(int dim) {
        return sum(new int[] {dim}, false);
    }

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
    public Tensor sum(int[] dims, boolean keepDim) {
        return reduce("sum", dims, keepDim, true, rk()::sum);
    }

    /**
     * The arithmetic mean of all elements.
     *
     * @return the mean of all elements, a new 0-d tensor (NaN when empty)
     */
    public Tensor mean() {
        int n = numel();
        return reduce("mean", null, false, true, (a, o, len) -> rk().sum(a, o, len) / n);
    }

    /**
     * Averages along one dim, which is removed; an empty dim gives NaN.
     *
     * @param dim the dim averaged over (negative counts from the end)
     * @return means, a new tensor without that dim
     * @throws IndexOutOfBoundsException if a dim is out of range
     */
    public Tensor mean(int dim) {
        return mean(new int[] {dim}, false);
    }

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
    public Tensor mean(int[] dims, boolean keepDim) {
        return reduce("mean", dims, keepDim, true, (a, o, len) -> rk().sum(a, o, len) / len);
    }

    /**
     * The largest element; NaN if any element is NaN.
     *
     * @return the largest element, a new 0-d tensor
     * @throws IllegalArgumentException if the tensor is empty
     */
    public Tensor max() {
        return reduce("max", null, false, false, rk()::max);
    }

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
    public IndexedValues<Tensor> max(int dim) {
        return max(dim, false);
    }

    /**
     * The largest values along a dim, without their positions (PyTorch's {@code amax}).
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return the largest values along dim
     */
    public Tensor amax(int dim, boolean keepDim) {
        return reduce("max", new int[] {dim}, keepDim, false, rk()::max);
    }

    /**
     * The smallest element; NaN if any element is NaN.
     *
     * @return the smallest element, a new 0-d tensor
     * @throws IllegalArgumentException if the tensor is empty
     */
    public Tensor min() {
        return reduce("min", null, false, false, rk()::min);
    }

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
    public IndexedValues<Tensor> min(int dim) {
        return min(dim, false);
    }

    /**
     * The smallest values along a dim, without their positions (PyTorch's {@code amin}).
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return the smallest values along dim
     */
    public Tensor amin(int dim, boolean keepDim) {
        return reduce("min", new int[] {dim}, keepDim, false, rk()::min);
    }

    /**
     * Where the largest element is, as an index into the row-major {@link #flatten()}; the first on ties, and a NaN
     * counts as largest.
     *
     * @return the flat (row-major) index of the largest element, a new 0-d tensor holding an integer value
     * @throws IllegalArgumentException if the tensor is empty
     */
    public Tensor argmax() {
        return reshape(-1).argmax(0, false);
    }

    /**
     * Where the largest values along a dim are, as PyTorch's {@code argmax(dim, keepdim)}; indices are float values
     * holding integers.
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return indices of the largest values along dim (first on ties; NaN counts as largest)
     * @throws IllegalArgumentException if the dim is empty
     */
    public Tensor argmax(int dim, boolean keepDim) {
        return reduce("argmax", new int[] {dim}, keepDim, false, (a, o, n) -> argBest(a, o, n, true));
    }

    /**
     * Where the smallest element is, as an index into the row-major {@link #flatten()}; the first on ties, and a NaN
     * counts as smallest.
     *
     * @return the flat (row-major) index of the smallest element, a new 0-d tensor holding an integer value
     * @throws IllegalArgumentException if the tensor is empty
     */
    public Tensor argmin() {
        return reshape(-1).argmin(0, false);
    }

    /**
     * Where the smallest values along a dim are, as PyTorch's {@code argmin(dim, keepdim)}; indices are float values
     * holding integers.
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return indices of the smallest values along dim (first on ties; NaN counts as smallest)
     * @throws IllegalArgumentException if the dim is empty
     */
    public Tensor argmin(int dim, boolean keepDim) {
        return reduce("argmin", new int[] {dim}, keepDim, false, (a, o, n) -> argBest(a, o, n, false));
    }

    private static float argBest(float[] a, int off, int n, boolean max) {
        int best = 0;
        float bv = a[off];
        for (int i = 1; i < n && !Float.isNaN(bv); i++) {
            float v = a[off + i];
            if (Float.isNaN(v) || (max ? v > bv : v < bv)) {
                best = i;
                bv = v;
            }
        }
        return best;
    }

    /**
     * Variance over dims, as PyTorch: {@code sum (x - mean)^2 / (N - correction)}.
     *
     * @param dims the dims (null: all)
     * @param correction 1 for the unbiased (sample) variance, 0 for the population one
     * @param keepDim keep reduced dims with size 1
     * @return the variances
     */
    public Tensor var(int[] dims, int correction, boolean keepDim) {
        return reduce("var", dims, keepDim, true, (a, o, n) -> {
            float mean = rk().sum(a, o, n) / n;
            return rk().sumSquaredDeviation(a, o, n, mean) / Math.max(0, n - correction);
        });
    }

    /**
     * The sample variance of all elements, with Bessel's correction: {@code sum((x - mean)^2) / (N - 1)}, NaN for fewer
     * than two elements.
     *
     * @return the unbiased variance of all elements, a new 0-d tensor
     */
    public Tensor var() {
        return var(null, 1, false);
    }

    /**
     * Standard deviation over dims: the square root of {@link #var(int[], int, boolean)}.
     *
     * @param dims the dims (null: all)
     * @param correction 1 for the sample standard deviation, 0 for the population one
     * @param keepDim keep reduced dims with size 1
     * @return the standard deviations, a new dense tensor
     */
    public Tensor std(int[] dims, int correction, boolean keepDim) {
        return var(dims, correction, keepDim).sqrt();
    }

    /**
     * The sample standard deviation of all elements: the square root of {@link #var()}.
     *
     * @return the unbiased standard deviation of all elements, a new 0-d tensor
     */
    public Tensor std() {
        return var().sqrt();
    }

    /**
     * {@code log(sum(exp(x)))} along a dim, computed stably (shifted by the maximum).
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return the log-sum-exp values
     */
    public Tensor logSumExp(int dim, boolean keepDim) {
        return reduce("logSumExp", new int[] {dim}, keepDim, true, Tensor::logSumExpRun);
    }

    private static float logSumExpRun(float[] a, int off, int n) {
        if (n == 0) {
            return Float.NEGATIVE_INFINITY;
        }
        float m = rk().max(a, off, n);
        if (Float.isInfinite(m)) {
            return m;
        }
        float[] tmp = new float[n];
        return m + (float) Math.log(SoftmaxKernels.CHOSEN.expShiftSum(a, off, n, m, tmp, 0));
    }

    /**
     * Softmax along a dim: {@code exp(x - max) / sum(exp(x - max))}, finite for any finite input.
     *
     * @param dim the dim
     * @return probabilities summing to 1 along dim
     */
    public Tensor softmax(int dim) {
        return softmaxAlong("softmax", dim, false);
    }

    /**
     * Log-softmax along a dim: {@code x - logSumExp(x)}, computed stably.
     *
     * @param dim the dim
     * @return log-probabilities
     */
    public Tensor logSoftmax(int dim) {
        return softmaxAlong("logSoftmax", dim, true);
    }

    private Tensor softmaxAlong(String op, int dim, boolean log) {
        int d = Shape.dim(op, dim, shape.length); // a 0-d tensor takes dims 0 and -1, as PyTorch
        if (shape.length == 0) {
            return log ? zeros() : ones();
        }
        Tensor moved = transpose(d, shape.length - 1);
        // The rows are rewritten in place: always work on a fresh dense copy, never on this storage.
        moved = moved.copy();
        int n = shape[d];
        Tensor m = moved;
        int rows = n == 0 ? 0 : m.numel() / n;
        Parallel.forRange(0, rows, Math.max(1, (1 << 14) / Math.max(1, n)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                softmaxRow(m.data, r * n, n, log);
            }
        });
        return m.transpose(d, shape.length - 1).contiguous();
    }

    /** Softmax (or log-softmax) of one dense row, in place. */
    static void softmaxRow(float[] a, int off, int n, boolean log) {
        float max = rk().max(a, off, n);
        SoftmaxKernels k = SoftmaxKernels.CHOSEN;
        if (log) {
            float[] tmp = new float[n];
            float logSum = (float) Math.log(k.expShiftSum(a, off, n, max, tmp, 0));
            // (x − max) − log Σ, in two roundings: x − (max + log Σ) would lose log Σ's digits beside a large max.
            ElementwiseKernels.CHOSEN.affine(a, off, 1, 1f, -max, a, off, n);
            ElementwiseKernels.CHOSEN.affine(a, off, 1, 1f, -logSum, a, off, n);
        } else {
            float s = k.expShiftSum(a, off, n, max, a, off);
            ElementwiseKernels.CHOSEN.affine(a, off, 1, 1f / s, 0f, a, off, n);
        }
    }

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
    public Tensor matmul(Tensor other) {
        return Tensor.matmul(this, other);
    }

    /**
     * See {@link #matmul(Tensor)}.
     *
     * @param a left operand
     * @param b right operand
     * @return {@code a @ b}
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both operands need at least 1 dim, got "
                    + Shape.str(a.shape) + " @ " + Shape.str(b.shape));
        }
        boolean vecA = a.dim() == 1, vecB = b.dim() == 1;
        Tensor a2 = vecA ? a.unsqueeze(0) : a;
        Tensor b2 = vecB ? b.unsqueeze(1) : b;
        int m = a2.shape[a2.dim() - 2], k = a2.shape[a2.dim() - 1];
        int k2 = b2.shape[b2.dim() - 2], n = b2.shape[b2.dim() - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shape.str(a.shape) + " @ "
                    + Shape.str(b.shape) + " (" + k + " != " + k2 + ")");
        }
        int[] batchA = Arrays.copyOf(a2.shape, a2.dim() - 2);
        int[] batchB = Arrays.copyOf(b2.shape, b2.dim() - 2);
        int[] batch = Shape.broadcast("matmul", batchA, batchB);
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor out = zeros("matmul", outShape);
        int[] sa = Shape.broadcastStrides("matmul", batchA, Arrays.copyOf(a2.strides, batchA.length), batch);
        int[] sb = Shape.broadcastStrides("matmul", batchB, Arrays.copyOf(b2.strides, batchB.length), batch);
        int count = out.numel() == 0 ? 0 : Shape.numel("matmul", batch);
        int aRs = a2.strides[a2.dim() - 2], aCs = a2.strides[a2.dim() - 1];
        int bRs = b2.strides[b2.dim() - 2], bCs = b2.strides[b2.dim() - 1];
        int[] bstrides = Shape.contiguousStrides(batch);
        // Each product's operand offsets, broadcast batch dims repeating them; the kernel decides how to spread
        // the products over threads.
        int[] aOffs = new int[count], bOffs = new int[count];
        for (int bi = 0; bi < count; bi++) {
            int oa = a2.offset, ob = b2.offset, rem = bi;
            for (int d = 0; d < batch.length; d++) {
                int idx = rem / bstrides[d];
                rem -= idx * bstrides[d];
                oa += idx * sa[d];
                ob += idx * sb[d];
            }
            aOffs[bi] = oa;
            bOffs[bi] = ob;
        }
        Gemm.gemmBatched(count, m, n, k, a2.data, aOffs, aRs, aCs, b2.data, bOffs, bRs, bCs, out.data, 0, m * n, n,
                false);
        if (vecA && vecB) {
            return out.reshape(Arrays.copyOf(batch, batch.length));
        }
        if (vecA) {
            return out.squeeze(-2);
        }
        return vecB ? out.squeeze(-1) : out;
    }

    // ------------------------------------------------------------------------------------------ joining, indexing

    /**
     * Joins tensors along an existing dim; all other dims must match.
     *
     * @param dim the dim
     * @param tensors at least one tensor
     * @return the concatenation
     */
    public static Tensor concat(int dim, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("concat: needs at least one tensor");
        }
        Tensor first = tensors[0];
        if (first.dim() == 0) {
            throw new IllegalArgumentException("concat: cannot concatenate 0-d tensors; use stack");
        }
        int d = Shape.dim("concat", dim, first.dim());
        int total = 0;
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            if (t.dim() != first.dim()) {
                throw new IllegalArgumentException("concat: tensor " + i + " has shape " + Shape.str(t.shape)
                        + ", rank differs from tensor 0's " + Shape.str(first.shape));
            }
            for (int j = 0; j < t.dim(); j++) {
                if (j != d && t.shape[j] != first.shape[j]) {
                    throw new IllegalArgumentException("concat: tensor " + i + " has shape " + Shape.str(t.shape)
                            + ", which differs from tensor 0's " + Shape.str(first.shape) + " outside dim " + dim);
                }
            }
            total += t.shape[d];
        }
        int[] outShape = first.shape.clone();
        outShape[d] = total;
        Tensor out = zeros(outShape);
        int at = 0;
        for (Tensor t : tensors) {
            out.narrow(d, at, t.shape[d]).writeFrom(t);
            at += t.shape[d];
        }
        return out;
    }

    /**
     * Joins same-shaped tensors along a new dim.
     *
     * @param dim position of the new dim in the result
     * @param tensors at least one tensor, all of one shape
     * @return the stack
     */
    public static Tensor stack(int dim, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("stack: needs at least one tensor");
        }
        int d = Shape.dim("stack", dim, tensors[0].dim() + 1);
        Tensor[] u = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            if (!Arrays.equals(tensors[i].shape, tensors[0].shape)) {
                throw new IllegalArgumentException("stack: tensor " + i + " has shape " + Shape.str(tensors[i].shape)
                        + ", tensor 0 has " + Shape.str(tensors[0].shape));
            }
            u[i] = tensors[i].unsqueeze(d);
        }
        return concat(d, u);
    }

    /**
     * Selects whole slices along a dim by index, as PyTorch's {@code index_select}.
     *
     * @param dim the dim
     * @param indices indices into that dim (repeats allowed, negative count from the end)
     * @return a dense tensor whose dim {@code dim} has {@code indices.length} entries
     */
    public Tensor indexSelect(int dim, int... indices) {
        int d = Shape.existingDim("indexSelect", dim, shape.length);
        int[] outShape = shape.clone();
        outShape[d] = indices.length;
        Tensor out = zeros(outShape);
        for (int i = 0; i < indices.length; i++) {
            out.select(d, i).writeFrom(select(d, checkIndex("indexSelect", indices[i], d)));
        }
        return out;
    }

    private int checkIndex(String op, int index, int d) {
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new IndexOutOfBoundsException(op + ": index " + index + " is out of range for dim " + d
                    + " of size " + shape[d] + " (shape " + Shape.str(shape) + ")");
        }
        return i;
    }

    /**
     * Adds the slices of {@code src} into a copy of this tensor at the given indices along a dim (repeated
     * indices accumulate): the adjoint of {@link #indexSelect}.
     *
     * @param dim the dim
     * @param indices one index per slice of src along dim
     * @param src values, shaped like this tensor except {@code indices.length} along dim
     * @return a new tensor
     */
    public Tensor indexAdd(int dim, int[] indices, Tensor src) {
        int d = Shape.existingDim("indexAdd", dim, shape.length);
        int[] expected = shape.clone();
        expected[d] = indices.length;
        if (!Arrays.equals(expected, src.shape)) {
            throw new IllegalArgumentException("indexAdd: src has shape " + Shape.str(src.shape) + ", expected "
                    + Shape.str(expected));
        }
        Tensor out = copy();
        for (int i = 0; i < indices.length; i++) {
            Tensor row = out.select(d, out.checkIndex("indexAdd", indices[i], d));
            row.writeFrom(row.add(src.select(d, i)));
        }
        return out;
    }

    /**
     * {@code out[i][j][k] = this[index[i][j][k]][j][k]} for dim 0 (and likewise for other dims), as PyTorch's
     * {@code gather}: {@code index} has this tensor's rank, and along every other dim it is no larger.
     *
     * @param dim the dim indexed
     * @param index integer-valued indices
     * @return a tensor shaped like index
     */
    public Tensor gather(int dim, Tensor index) {
        int d = checkGather("gather", dim, index);
        Tensor out = zeros(index.shape);
        int[] pos = new int[index.dim()];
        int n = out.numel();
        for (int flat = 0; flat < n; flat++) {
            int src = offset, rem = flat;
            int ioff = index.offset;
            for (int j = index.dim() - 1; j >= 0; j--) {
                pos[j] = rem % index.shape[j];
                rem /= index.shape[j];
            }
            for (int j = 0; j < pos.length; j++) {
                ioff += pos[j] * index.strides[j];
            }
            for (int j = 0; j < pos.length; j++) {
                int p = j == d ? indexAt("gather", index.data[ioff], d) : pos[j];
                src += p * strides[j];
            }
            out.data[flat] = data[src];
        }
        return out;
    }

    /**
     * The adjoint of {@link #gather}: a copy of this tensor with {@code src[i][j][k]} added at
     * {@code [index[i][j][k]][j][k]} (for dim 0); repeated indices accumulate.
     *
     * @param dim the dim indexed
     * @param index integer-valued indices, shaped like src
     * @param src values to add
     * @return a new tensor shaped like this one
     */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        int d = checkGather("scatterAdd", dim, index);
        if (!Arrays.equals(index.shape, src.shape)) {
            throw new IllegalArgumentException("scatterAdd: index shape " + Shape.str(index.shape)
                    + " differs from src shape " + Shape.str(src.shape));
        }
        Tensor out = copy();
        Tensor s = src.contiguous();
        int[] pos = new int[index.dim()];
        int n = index.numel();
        for (int flat = 0; flat < n; flat++) {
            int rem = flat, ioff = index.offset, dst = 0;
            for (int j = index.dim() - 1; j >= 0; j--) {
                pos[j] = rem % index.shape[j];
                rem /= index.shape[j];
            }
            for (int j = 0; j < pos.length; j++) {
                ioff += pos[j] * index.strides[j];
            }
            for (int j = 0; j < pos.length; j++) {
                int p = j == d ? indexAt("scatterAdd", index.data[ioff], d) : pos[j];
                dst += p * out.strides[j];
            }
            out.data[dst] += s.data[s.offset + flat];
        }
        return out;
    }

    private int checkGather(String op, int dim, Tensor index) {
        if (index.dim() != shape.length) {
            throw new IllegalArgumentException(op + ": index has rank " + index.dim() + " (shape "
                    + Shape.str(index.shape) + "), input has rank " + shape.length + " (shape " + Shape.str(shape) + ")");
        }
        int d = Shape.dim(op, dim, shape.length);
        if (shape.length == 0) {
            // A 0-d input has no dim to index: its only valid index is 0 (the loops below check no dim).
            float v = index.item();
            if (v != 0f) {
                throw new IndexOutOfBoundsException(op + ": index " + v + " is out of range for a 0-d tensor (only 0 is valid)");
            }
        }
        for (int j = 0; j < shape.length; j++) {
            if (j != d && index.shape[j] > shape[j]) {
                throw new IllegalArgumentException(op + ": index shape " + Shape.str(index.shape)
                        + " is larger than input shape " + Shape.str(shape) + " in dim " + j);
            }
        }
        return d;
    }

    private int indexAt(String op, float v, int d) {
        int i = (int) v;
        if (i != v || i < 0 || i >= shape[d]) {
            throw new IndexOutOfBoundsException(op + ": index " + v + " is out of range for dim " + d
                    + " of size " + shape[d] + " (shape " + Shape.str(shape) + ")");
        }
        return i;
    }

    /**
     * One-hot encoding of integer labels: a tensor of shape {@code labels.shape + [numClasses]}.
     *
     * @param labels integer-valued class indices in [0, numClasses)
     * @param numClasses number of classes
     * @return 1 at each label's position, 0 elsewhere
     */
    public static Tensor oneHot(Tensor labels, int numClasses) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("oneHot: numClasses must be positive, got " + numClasses);
        }
        float[] l = labels.toArray();
        int[] outShape = Arrays.copyOf(labels.shape, labels.dim() + 1);
        outShape[labels.dim()] = numClasses;
        Tensor out = zeros("oneHot", outShape);
        for (int i = 0; i < l.length; i++) {
            int c = (int) l[i];
            if (c != l[i] || c < 0 || c >= numClasses) {
                throw new IndexOutOfBoundsException("oneHot: label " + l[i] + " at position " + i
                        + " is not an integer in [0, " + numClasses + ")");
            }
            out.data[i * numClasses + c] = 1f;
        }
        return out;
    }

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
        float[] x = a.expand(s).toArray(), y = b.expand(s).toArray();
        for (int i = 0; i < x.length; i++) {
            // In double, and only finite differences count: a finite value is never close to an infinity (inf
            // <= rtol * inf would say it is), as torch.isclose; equal values, infinities included, always are.
            double diff = Math.abs((double) x[i] - y[i]);
            if (!(x[i] == y[i] || (Double.isFinite(diff) && diff <= atol + rtol * Math.abs((double) y[i])))) {
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
        if (!(o instanceof Tensor t) || !Arrays.equals(shape, t.shape)) {
            return false;
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
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(toArray());
    }

    /**
     * Prints like PyTorch: {@code tensor([[1., 2.], [3., 4.]])} laid out one row per line, summarised with
     * "..." beyond 1000 elements, followed by the shape.
     */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
