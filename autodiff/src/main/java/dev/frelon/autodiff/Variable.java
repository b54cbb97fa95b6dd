package dev.frelon.autodiff;

import dev.frelon.core.IndexedValues;
import dev.frelon.core.Tensor;

import java.util.Arrays;

/**
 * A value in a differentiable computation: a {@link Tensor}, the operation that produced it (if any), and,
 * after {@link #backward()}, its gradient. The PyTorch vocabulary applies: {@link #requiresGrad()},
 * {@link #grad()}, {@link #backward()}, {@link #detach()}, leaves and non-leaves.
 *
 * <p><b>Leaves</b> are created by the user ({@link #of}, {@link #parameter}); their gradient accumulates
 * across backward calls until {@link #zeroGrad()}. <b>Non-leaves</b> are produced by operations; they keep
 * a gradient only after {@link #retainGrad()}.
 *
 * <p>Each operation below records itself in the graph when an operand requires a gradient and grad mode is
 * on ({@link Grad#noGrad()} turns it off). New operations are added by writing a {@link Function}.
 */
public final class Variable {

    private final Tensor data;
    final Node node;
    private boolean requiresGrad;
    private Tensor grad;

    Variable(Tensor data, Node node, boolean requiresGrad) {
        this.data = data;
        this.node = node;
        this.requiresGrad = requiresGrad;
    }

    /**
     * @param value the tensor (not copied)
     * @return a leaf that does not require a gradient (a constant input)
     */
    public static Variable of(Tensor value) {
        return new Variable(value, null, false);
    }

    /**
     * @param value the tensor (not copied)
     * @param requiresGrad whether gradients should flow to it
     * @return a leaf
     */
    public static Variable of(Tensor value, boolean requiresGrad) {
        return new Variable(value, null, requiresGrad);
    }

    /**
     * @param value the tensor (not copied)
     * @return a leaf that requires a gradient: a trainable parameter
     */
    public static Variable parameter(Tensor value) {
        return new Variable(value, null, true);
    }

    /** @return the value (shared, not copied) */
    public Tensor data() {
        return data;
    }

    /** @return the accumulated gradient, or null when none has been computed (or it was zeroed) */
    public Tensor grad() {
        return grad;
    }

    /**
     * Replaces the gradient (e.g. after clipping, or null to clear it).
     *
     * @param g a tensor of this value's shape, or null
     */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape(), data.shape())) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Arrays.toString(g.shape())
                    + " differs from the value's " + Arrays.toString(data.shape()));
        }
        grad = g;
    }

    /** Clears the gradient (sets it to none, as PyTorch's default). */
    public void zeroGrad() {
        grad = null;
    }

    /** @return true when gradients flow to this value */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Turns gradient tracking on or off for a leaf.
     *
     * @param requires the new setting
     * @return this
     */
    public Variable requiresGrad(boolean requires) {
        if (node != null) {
            throw new IllegalStateException("requiresGrad: only leaves can change it; this value comes from "
                    + node.name + " (use detach())");
        }
        requiresGrad = requires;
        return this;
    }

    /** @return true for values created by the user rather than by an operation */
    public boolean isLeaf() {
        return node == null;
    }

    /** @return the name of the operation that produced this value, or null for a leaf */
    public String gradFn() {
        return node == null ? null : node.name;
    }

    /** Keeps the gradient of this non-leaf value after backward (leaves always keep theirs). */
    public void retainGrad() {
        if (node != null) {
            node.retained = this;
        }
    }

    /** @return a leaf sharing this value's tensor, cut from the graph */
    public Variable detach() {
        return new Variable(data, null, false);
    }

    /** @return the shape of the value */
    public int[] shape() {
        return data.shape();
    }

    /**
     * @param dim a dim (negative counts from the end)
     * @return its size
     */
    public int size(int dim) {
        return data.size(dim);
    }

    /** @return the rank of the value */
    public int dim() {
        return data.dim();
    }

    /** @return the single value of a one-element variable */
    public float item() {
        return data.item();
    }

    void accumulateGrad(Tensor g) {
        if (grad == null) {
            grad = g.copy();
        } else {
            grad.addInPlace(g);
        }
    }

    // ------------------------------------------------------------------------------------------ backward

    /** Computes gradients of this scalar with respect to every leaf that requires one, then frees the graph. */
    public void backward() {
        if (data.numel() != 1) {
            throw new IllegalArgumentException("backward: the output has shape " + Arrays.toString(data.shape())
                    + "; call backward() on a scalar (e.g. after sum() or mean()), or pass a gradient of that shape");
        }
        backward(Tensor.ones(data.shape()), false);
    }

    /**
     * Back-propagates {@code gradient} (the derivative of some scalar with respect to this value).
     *
     * @param gradient shaped like this value
     */
    public void backward(Tensor gradient) {
        backward(gradient, false);
    }

    /**
     * @param gradient shaped like this value
     * @param retainGraph keep saved tensors so that backward can run through this graph again
     */
    public void backward(Tensor gradient, boolean retainGraph) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward: this value does not require a gradient (no input was created"
                    + " with requiresGrad, or it was computed under Grad.noGrad())");
        }
        if (!Arrays.equals(gradient.shape(), data.shape())) {
            throw new IllegalArgumentException("backward: gradient shape " + Arrays.toString(gradient.shape())
                    + " differs from the output shape " + Arrays.toString(data.shape()));
        }
        Engine.backward(this, gradient, retainGraph);
    }

    // ------------------------------------------------------------------------------------------ arithmetic

    private Variable scalarOp(float scale, float shift) {
        return new ElementwiseFunctions.Affine(scale, shift).apply(this);
    }

    /** @param o operand (broadcast) @return {@code this + o} */
    public Variable add(Variable o) { return new ElementwiseFunctions.Add().apply(this, o); }
    /** @param v scalar @return {@code this + v} */
    public Variable add(float v) { return scalarOp(1f, v); }
    /** @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor) @return {@link #add(float)} of it */
    public Variable add(double value) { return add((float) value); }
    /** @param o operand (broadcast) @return {@code this - o} */
    public Variable sub(Variable o) { return new ElementwiseFunctions.Sub().apply(this, o); }
    /** @param v scalar @return {@code this - v} */
    public Variable sub(float v) { return scalarOp(1f, -v); }
    /** @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor) @return {@link #sub(float)} of it */
    public Variable sub(double value) { return sub((float) value); }
    /** @param o operand (broadcast) @return {@code this * o} */
    public Variable mul(Variable o) { return new ElementwiseFunctions.Mul().apply(this, o); }
    /** @param v scalar @return {@code this * v} */
    public Variable mul(float v) { return scalarOp(v, 0f); }
    /** @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor) @return {@link #mul(float)} of it */
    public Variable mul(double value) { return mul((float) value); }
    /** @param o operand (broadcast) @return {@code this / o} */
    public Variable div(Variable o) { return new ElementwiseFunctions.Div().apply(this, o); }
    /** @param v scalar @return {@code this / v} */
    public Variable div(float v) { return scalarOp(1f / v, 0f); }
    /** @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor) @return {@link #div(float)} of it */
    public Variable div(double value) { return div((float) value); }
    /** @return {@code -this} */
    public Variable neg() { return scalarOp(-1f, 0f); }
    /** @param o exponent (broadcast) @return {@code this ^ o} */
    public Variable pow(Variable o) { return new ElementwiseFunctions.Pow().apply(this, o); }
    /** @param p constant exponent @return {@code this ^ p} */
    public Variable pow(float p) { return new ElementwiseFunctions.PowScalar(p).apply(this); }
    /** @param value scalar, rounded to float (as PyTorch applies a Python float to a float32 tensor) @return {@link #pow(float)} of it */
    public Variable pow(double value) { return pow((float) value); }
    /** @return {@code this * this} */
    public Variable square() { return pow(2f); }
    /** @return {@code e^this} */
    public Variable exp() { return new ElementwiseFunctions.Exp().apply(this); }
    /** @return natural logarithm */
    public Variable log() { return new ElementwiseFunctions.Log().apply(this); }
    /** @return square root */
    public Variable sqrt() { return new ElementwiseFunctions.Sqrt().apply(this); }
    /** @return absolute value */
    public Variable abs() { return new ElementwiseFunctions.Abs().apply(this); }
    /** @return {@code max(this, 0)} */
    public Variable relu() { return new ElementwiseFunctions.Relu().apply(this); }
    /** @param slope slope for negative inputs @return leaky ReLU */
    public Variable leakyRelu(float slope) { return new ElementwiseFunctions.LeakyRelu(slope).apply(this); }
    /** @return logistic sigmoid */
    public Variable sigmoid() { return new ElementwiseFunctions.Sigmoid().apply(this); }
    /** @return hyperbolic tangent */
    public Variable tanh() { return new ElementwiseFunctions.Tanh().apply(this); }
    /** @return exact GELU {@code x·Φ(x)} */
    public Variable gelu() { return new ElementwiseFunctions.Gelu().apply(this); }
    /** @return GELU with the tanh approximation */
    public Variable geluTanh() { return new ElementwiseFunctions.GeluTanh().apply(this); }
    /** @return softplus {@code ln(1 + e^x)} (β = 1, threshold 20, as PyTorch) */
    public Variable softplus() { return softplus(1f, 20f); }
    /**
     * @param beta sharpness β
     * @param threshold above {@code β·x > threshold} the function is linear
     * @return {@code ln(1 + e^(βx))/β}
     */
    public Variable softplus(float beta, float threshold) {
        return new ElementwiseFunctions.Softplus(beta, threshold).apply(this);
    }
    /** @param lo lower bound @param hi upper bound @return values limited to [lo, hi] */
    public Variable clamp(float lo, float hi) { return new ElementwiseFunctions.Clamp(lo, hi).apply(this); }
    /** @param o operand (broadcast) @return elementwise maximum */
    public Variable maximum(Variable o) { return new ElementwiseFunctions.Extremum(true).apply(this, o); }
    /** @param o operand (broadcast) @return elementwise minimum */
    public Variable minimum(Variable o) { return new ElementwiseFunctions.Extremum(false).apply(this, o); }

    /**
     * @param mask condition (non-zero is true), not differentiated
     * @param a values where true
     * @param b values where false
     * @return the selection
     */
    public static Variable where(Tensor mask, Variable a, Variable b) {
        return new ElementwiseFunctions.Where(mask).apply(a, b);
    }

    // ------------------------------------------------------------------------------------------ shapes

    /**
     * The same elements in a new shape: a view of the data when its strides allow one, else a copy
     * ({@link Tensor#reshape}). The gradient is reshaped back.
     *
     * @param shape new dims (one may be -1)
     * @return the reshaped value
     */
    public Variable reshape(int... shape) { return new ShapeFunctions.Reshape(shape.clone(), false).apply(this); }
    /**
     * The same elements in a new shape, always a view of the data, as {@link Tensor#view}: in-place changes to
     * either show in the other.
     *
     * @param shape new dims (one may be -1)
     * @return the viewed value
     * @throws IllegalArgumentException when the strides do not allow a view (use {@link #reshape} or
     *         {@link #contiguous()})
     */
    public Variable view(int... shape) { return new ShapeFunctions.Reshape(shape.clone(), true).apply(this); }
    /**
     * @return this value laid out densely in row-major order: itself when its data already is, else a copy
     *         whose gradient flows back unchanged
     */
    public Variable contiguous() { return data.isContiguous() ? this : new ShapeFunctions.Contiguous().apply(this); }
    /** @return all elements as one dim */
    public Variable flatten() { return reshape(-1); }

    /**
     * @param startDim first merged dim
     * @param endDim last merged dim
     * @return dims startDim..endDim merged
     */
    public Variable flatten(int startDim, int endDim) {
        return new ShapeFunctions.Reshape(data.flatten(startDim, endDim).shape(), false).apply(this);
    }

    /** @param order permutation of the dims @return the permuted value */
    public Variable permute(int... order) { return new ShapeFunctions.Permute(order.clone()).apply(this); }

    /**
     * @param d0 a dim
     * @param d1 another dim
     * @return the two dims swapped
     */
    public Variable transpose(int d0, int d1) {
        int r = data.dim();
        int[] order = new int[r];
        for (int i = 0; i < r; i++) {
            order[i] = i;
        }
        int a = d0 < 0 ? d0 + r : d0, b = d1 < 0 ? d1 + r : d1;
        if (a < 0 || a >= r || b < 0 || b >= r) {
            throw new IndexOutOfBoundsException("transpose: dims " + d0 + ", " + d1 + " out of range for rank " + r);
        }
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** @return the transpose of a 2-d value */
    public Variable t() {
        if (data.dim() != 2) {
            throw new IllegalArgumentException("t: expects rank 2, got shape " + Arrays.toString(data.shape()));
        }
        return transpose(0, 1);
    }

    /**
     * @param dim the dim
     * @param start first index
     * @param end exclusive end
     * @param step positive step
     * @return {@code [start:end:step]} along dim
     */
    public Variable slice(int dim, int start, int end, int step) {
        return new ShapeFunctions.Slice(dim, start, end, step).apply(this);
    }

    /**
     * @param dim the dim
     * @param start first index
     * @param length how many
     * @return elements start..start+length-1 along dim
     */
    public Variable narrow(int dim, int start, int length) {
        int s = start < 0 ? start + data.size(dim) : start;
        return slice(dim, s, s + length, 1);
    }

    /**
     * @param dim the dim
     * @param index the index
     * @return the slice at index, without dim
     */
    public Variable select(int dim, int index) { return new ShapeFunctions.Select(dim, index).apply(this); }

    /** @param shape target shape @return the value broadcast to it */
    public Variable expand(int... shape) { return new ShapeFunctions.Expand(shape.clone()).apply(this); }
    /** @return without size-1 dims */
    public Variable squeeze() { return reshape(data.squeeze().shape()); }
    /** @param dim a dim of size 1 @return without it */
    public Variable squeeze(int dim) { return reshape(data.squeeze(dim).shape()); }
    /** @param dim where to insert @return with a new size-1 dim */
    public Variable unsqueeze(int dim) { return reshape(data.unsqueeze(dim).shape()); }

    /**
     * @param dim the dim joined along
     * @param parts the values
     * @return their concatenation
     */
    public static Variable concat(int dim, Variable... parts) {
        return new ShapeFunctions.Concat(dim, parts.length).apply(parts);
    }

    /**
     * @param dim position of the new dim
     * @param parts same-shaped values
     * @return their stack
     */
    public static Variable stack(int dim, Variable... parts) {
        Variable[] u = new Variable[parts.length];
        for (int i = 0; i < parts.length; i++) {
            u[i] = parts[i].unsqueeze(dim);
        }
        return concat(dim, u);
    }

    /**
     * @param dim the dim
     * @param indices the indices
     * @return the selected slices
     */
    public Variable indexSelect(int dim, int... indices) {
        return new ShapeFunctions.IndexSelect(dim, indices.clone()).apply(this);
    }

    /**
     * @param dim the dim
     * @param index integer-valued indices, rank of this value
     * @return gathered values (PyTorch {@code gather})
     */
    public Variable gather(int dim, Tensor index) { return new ShapeFunctions.Gather(dim, index).apply(this); }

    // ------------------------------------------------------------------------------------------ reductions

    /** @return the sum of all elements */
    public Variable sum() { return new ReductionFunctions.Sum(null, false).apply(this); }
    /** @param dim the dim @return sums along dim */
    public Variable sum(int dim) { return sum(new int[] {dim}, false); }
    /** @param dims the dims @param keepDim keep them with size 1 @return sums */
    public Variable sum(int[] dims, boolean keepDim) { return new ReductionFunctions.Sum(dims.clone(), keepDim).apply(this); }
    /** @return the mean of all elements */
    public Variable mean() { return new ReductionFunctions.Mean(null, false).apply(this); }
    /** @param dim the dim @return means along dim */
    public Variable mean(int dim) { return mean(new int[] {dim}, false); }
    /** @param dims the dims @param keepDim keep them with size 1 @return means */
    public Variable mean(int[] dims, boolean keepDim) { return new ReductionFunctions.Mean(dims.clone(), keepDim).apply(this); }
    /**
     * The largest values along a dim and where they are, as PyTorch's {@code x.max(dim, keepdim)}; the gradient
     * flows to those positions (the first on ties).
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return the maxima (differentiable) and their indices
     */
    public IndexedValues<Variable> max(int dim, boolean keepDim) { return extremum(dim, keepDim, true); }
    /** @param dim the dim, removed @return the maxima along dim and their indices, as {@link #max(int, boolean)} */
    public IndexedValues<Variable> max(int dim) { return max(dim, false); }
    /** @param dim the dim @param keepDim keep it with size 1 @return the maxima along dim, without indices */
    public Variable amax(int dim, boolean keepDim) { return max(dim, keepDim).values(); }
    /** @return the largest element, 0-d; the gradient goes to its first occurrence */
    public Variable max() { return flatten().amax(0, false); }
    /**
     * The smallest values along a dim and where they are, as PyTorch's {@code x.min(dim, keepdim)}.
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return the minima (differentiable) and their indices
     */
    public IndexedValues<Variable> min(int dim, boolean keepDim) { return extremum(dim, keepDim, false); }
    /** @param dim the dim, removed @return the minima along dim and their indices, as {@link #min(int, boolean)} */
    public IndexedValues<Variable> min(int dim) { return min(dim, false); }
    /** @param dim the dim @param keepDim keep it with size 1 @return the minima along dim, without indices */
    public Variable amin(int dim, boolean keepDim) { return min(dim, keepDim).values(); }
    /** @return the smallest element, 0-d; the gradient goes to its first occurrence */
    public Variable min() { return flatten().amin(0, false); }

    private IndexedValues<Variable> extremum(int dim, boolean keepDim, boolean max) {
        var f = new ReductionFunctions.Extremum(dim, keepDim, max);
        Variable values = f.apply(this);
        return new IndexedValues<>(values, f.indices(values.shape()));
    }
    /** @param dim the dim @param keepDim keep it with size 1 @return {@code log Σ exp} along dim */
    public Variable logSumExp(int dim, boolean keepDim) { return new ReductionFunctions.LogSumExp(dim, keepDim).apply(this); }
    /** @param dim the dim @return softmax along dim */
    public Variable softmax(int dim) { return new ReductionFunctions.Softmax(dim).apply(this); }
    /** @param dim the dim @return log-softmax along dim */
    public Variable logSoftmax(int dim) { return new ReductionFunctions.LogSoftmax(dim).apply(this); }

    // ------------------------------------------------------------------------------------------ linear algebra

    /**
     * Matrix product with NumPy {@code matmul} rules (1-d operands promoted, batch dims broadcast).
     *
     * @param o right operand
     * @return {@code this @ o}
     */
    public Variable matmul(Variable o) {
        if (dim() == 0 || o.dim() == 0) {
            throw new IllegalArgumentException("matmul: both operands need at least 1 dim, got "
                    + Arrays.toString(shape()) + " @ " + Arrays.toString(o.shape()));
        }
        Variable a = dim() == 1 ? unsqueeze(0) : this;
        Variable b = o.dim() == 1 ? o.unsqueeze(1) : o;
        Variable y = new LinearFunctions.MatMul().apply(a, b);
        if (o.dim() == 1) {
            y = y.squeeze(-1);
        }
        if (dim() == 1) {
            y = y.squeeze(o.dim() == 1 ? -1 : -2);
        }
        return y;
    }

    @Override
    public String toString() {
        String t = data.toString();
        String suffix = node != null ? ", gradFn=" + node.name : requiresGrad ? ", requiresGrad=true" : "";
        return t.endsWith(")") ? t.substring(0, t.length() - 1) + suffix + ")" : t + suffix;
    }
}
