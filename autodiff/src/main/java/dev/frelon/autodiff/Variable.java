package dev.frelon.autodiff;

import dev.frelon.core.DType;
import dev.frelon.core.IndexedValues;
import dev.frelon.core.Tensor;
import dev.frelon.core.TensorStorage;

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
     * Wraps a tensor as a constant leaf: no gradient is computed for it.
     *
     * @param value the tensor (not copied)
     * @return a leaf that does not require a gradient (a constant input)
     */
    public static Variable of(Tensor value) {
        return new Variable(value, null, false);
    }

    /**
     * Wraps a tensor as a leaf, with or without gradient tracking.
     *
     * @param value the tensor (not copied)
     * @param requiresGrad whether gradients should flow to it
     * @return a leaf
     * @throws IllegalArgumentException if a gradient is asked for a tensor that is not float32 or float64
     */
    public static Variable of(Tensor value, boolean requiresGrad) {
        if (requiresGrad) {
            requireFloatingPoint("Variable.of", value);
        }
        return new Variable(value, null, requiresGrad);
    }

    /**
     * Wraps a tensor as a leaf that requires a gradient, as {@code of(value, true)}.
     *
     * @param value the tensor (not copied)
     * @return a leaf that requires a gradient: a trainable parameter
     * @throws IllegalArgumentException if a gradient is asked for a tensor that is not float32 or float64
     */
    public static Variable parameter(Tensor value) {
        requireFloatingPoint("parameter", value);
        return new Variable(value, null, true);
    }

    /**
     * The tensor this variable holds, shared rather than copied. Writing to it in place bumps its version: if an
     * operation saved it for its gradient, a later {@link #backward()} then fails rather than use the changed values.
     *
     * @return the value (shared, not copied)
     */
    public Tensor data() {
        return data;
    }

    /**
     * The gradient of the differentiated output with respect to this value, shaped like the value. A leaf that requires
     * a gradient accumulates it over backward calls; a non-leaf keeps one only after {@link #retainGrad()}.
     *
     * @return the accumulated gradient, or null when none has been computed (or it was zeroed)
     */
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
        if (g != null && g.dtype() != data.dtype()) {
            throw new IllegalArgumentException("setGrad: the gradient is " + g.dtype() + ", the value "
                    + data.dtype() + " (shape " + Arrays.toString(data.shape()) + "); they must match, as in PyTorch");
        }
        // An expanded view cannot take the in-place adds of a later backward: keep a dense copy of it instead.
        grad = g != null && TensorStorage.isExpanded(g) ? g.contiguous() : g;
    }

    /** Clears the gradient (sets it to none, as PyTorch's default). */
    public void zeroGrad() {
        grad = null;
    }

    /**
     * Whether gradients flow to this value: set by the user on a leaf, and true for the result of an operation recorded
     * while grad mode was on and an operand required a gradient.
     *
     * @return true when gradients flow to this value
     */
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
        if (requires) {
            requireFloatingPoint("requiresGrad", data);
        }
        requiresGrad = requires;
        return this;
    }

    /** Gradients exist for real numbers only, as in PyTorch. */
    private static void requireFloatingPoint(String op, Tensor t) {
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": only float32 and float64 tensors can require a gradient, got "
                    + t.dtype() + " of shape " + Arrays.toString(t.shape()));
        }
    }

    /**
     * Whether no recorded operation produced this value: true for values created with {@link #of}, {@link #parameter}
     * or {@link #detach()}, and for results computed without recording (no operand requiring a gradient, or under
     * {@link Grad#noGrad()}).
     *
     * @return true for values created by the user rather than by an operation
     */
    public boolean isLeaf() {
        return node == null;
    }

    /**
     * The name of the recorded operation that produced this value, as PyTorch's {@code grad_fn}, e.g. {@code "Add"} or
     * {@code "MatMul"}.
     *
     * @return the name of the operation that produced this value, or null for a leaf
     */
    public String gradFn() {
        return node == null ? null : node.name;
    }

    /** Keeps the gradient of this non-leaf value after backward (leaves always keep theirs). */
    public void retainGrad() {
        if (node != null) {
            node.retained = this;
        }
    }

    /**
     * A new leaf over the same tensor (storage shared, not copied) that does not require a gradient: nothing computed
     * from it flows back into this graph.
     *
     * @return a leaf sharing this value's tensor, cut from the graph
     */
    public Variable detach() {
        return new Variable(data, null, false);
    }

    /**
     * The dims of the value, outermost first.
     *
     * @return a copy of the shape of the value
     */
    public int[] shape() {
        return data.shape();
    }

    /**
     * The size of one dim of the value.
     *
     * @param dim a dim (negative counts from the end)
     * @return its size
     * @throws IndexOutOfBoundsException if {@code dim} is out of range
     */
    public int size(int dim) {
        return data.size(dim);
    }

    /**
     * The rank of the value: its number of dims (0 for a scalar).
     *
     * @return the rank of the value
     */
    public int dim() {
        return data.dim();
    }

    /**
     * The value of a one-element variable, e.g. a loss, as a plain float (not recorded in the graph).
     *
     * @return the single value of a one-element variable
     * @throws IllegalArgumentException if the value does not hold exactly one element
     */
    public float item() {
        return data.item();
    }

    /**
     * The value of a one-element variable as a double (exact for float64).
     *
     * @return the single value
     * @throws IllegalArgumentException if the value does not hold exactly one element
     */
    public double itemDouble() {
        return data.itemDouble();
    }

    /** Integer and bool values are constants (no gradient): their integer operations run on the tensor alone. */
    private boolean isFloating() {
        return data.dtype().isFloatingPoint();
    }

    /** Float64 scalar operations keep their double constants; float32 ones round them to float as before. */
    private boolean isFloat64() {
        return data.dtype() == DType.FLOAT64;
    }

    void accumulateGrad(Tensor g) {
        accumulateGrad(g, false);
    }

    /**
     * Adds {@code g} into this value's gradient; the first one is copied unless {@code owned} says nothing else holds
     * it (see {@link Context#fresh}), and an expanded view is always copied (it cannot take later in-place adds).
     */
    void accumulateGrad(Tensor g, boolean owned) {
        if (grad == null) {
            grad = owned && !TensorStorage.isExpanded(g) ? g : g.copy();
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
        backward(Tensor.ones(data.dtype(), data.shape()), false);
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
     * Back-propagates {@code gradient} (the derivative of some scalar with respect to this value) through the graph,
     * adding into the gradients of the leaves that require one and of non-leaves that called {@link #retainGrad()}.
     * Unless {@code retainGraph} is set, the graph's saved tensors are freed, and a second backward through it fails.
     *
     * @param gradient shaped like this value
     * @param retainGraph keep saved tensors so that backward can run through this graph again
     * @throws IllegalStateException if this value does not require a gradient, the graph was already freed, or a saved
     *         tensor was modified in place
     * @throws IllegalArgumentException if {@code gradient}'s shape differs from this value's
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

    private Variable scalarOp(double scale, double shift) {
        return new ElementwiseFunctions.Affine(scale, shift).apply(this);
    }

    /**
     * Elementwise sum, broadcasting both operands (NumPy rules); each operand's gradient is g summed back to its shape.
     *
     * @param o operand (broadcast)
     * @return {@code this + o}
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Variable add(Variable o) { return new ElementwiseFunctions.Add().apply(this, o); }

    /**
     * Adds a constant to every element; the gradient passes through unchanged.
     *
     * @param v scalar
     * @return {@code this + v}
     */
    public Variable add(float v) { return scalarOp(1f, v); }

    /**
     * {@link #add(float)} with a double: a float32 value rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 value keeps it.
     *
     * @param value scalar
     * @return {@link #add(float)} of it
     */
    public Variable add(double value) { return isFloat64() ? scalarOp(1, value) : add((float) value); }

    /**
     * Elementwise difference, broadcasting both operands (NumPy rules); the gradients are g and {@code -g}, each summed
     * back to its operand's shape.
     *
     * @param o operand (broadcast)
     * @return {@code this - o}
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Variable sub(Variable o) { return new ElementwiseFunctions.Sub().apply(this, o); }

    /**
     * Subtracts a constant from every element; the gradient passes through unchanged.
     *
     * @param v scalar
     * @return {@code this - v}
     */
    public Variable sub(float v) { return scalarOp(1f, -v); }

    /**
     * {@link #sub(float)} with a double: a float32 value rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 value keeps it.
     *
     * @param value scalar
     * @return {@link #sub(float)} of it
     */
    public Variable sub(double value) { return isFloat64() ? scalarOp(1, -value) : sub((float) value); }

    /**
     * Elementwise product, broadcasting both operands (NumPy rules); the gradients are {@code g * o} and
     * {@code g * this}, each summed back to its operand's shape.
     *
     * @param o operand (broadcast)
     * @return {@code this * o}
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Variable mul(Variable o) { return new ElementwiseFunctions.Mul().apply(this, o); }

    /**
     * Multiplies every element by a constant; the gradient is {@code g * v}.
     *
     * @param v scalar
     * @return {@code this * v}
     */
    public Variable mul(float v) { return scalarOp(v, 0f); }

    /**
     * {@link #mul(float)} with a double: a float32 value rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 value keeps it.
     *
     * @param value scalar
     * @return {@link #mul(float)} of it
     */
    public Variable mul(double value) { return isFloat64() ? scalarOp(value, 0) : mul((float) value); }

    /**
     * Elementwise quotient, broadcasting both operands (NumPy rules); the gradients are {@code g / o} and
     * {@code -g * this / o^2}, each summed back to its operand's shape.
     *
     * @param o operand (broadcast)
     * @return {@code this / o}
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Variable div(Variable o) { return new ElementwiseFunctions.Div().apply(this, o); }

    /**
     * Divides every element by a constant: in float32 as a multiplication by {@code 1 / v} (so the result may differ
     * from {@link Tensor#div(float)} in the last bit), in float64 as a true division; the gradient is {@code g / v}.
     *
     * @param v scalar
     * @return {@code this / v}
     */
    public Variable div(float v) { return isFloat64() ? div((double) v) : scalarOp(1f / v, 0f); }

    /**
     * {@link #div(float)} with a double: a float32 value rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 value keeps it.
     *
     * @param value scalar
     * @return {@link #div(float)} of it
     */
    public Variable div(double value) {
        // In float64 a true division (x / 10 is exactly rounded), not a product with a rounded reciprocal.
        return isFloat64() ? div(Variable.of(Tensor.scalar(value, DType.FLOAT64))) : div((float) value);
    }

    /**
     * Elementwise negation; the gradient is {@code -g}.
     *
     * @return {@code -this}
     */
    public Variable neg() { return isFloating() ? scalarOp(-1f, 0f) : Variable.of(data.neg()); }

    /**
     * Elementwise power as {@link Math#pow}, broadcasting both operands (NumPy rules); the gradients are
     * {@code g * o * this^(o-1)} for the base and {@code g * this^o * ln(this)} for the exponent (NaN where the base is
     * not positive).
     *
     * @param o exponent (broadcast)
     * @return {@code this ^ o}
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Variable pow(Variable o) { return new ElementwiseFunctions.Pow().apply(this, o); }

    /**
     * Raises every element to a constant power; the gradient is {@code g * p * this^(p-1)}.
     *
     * @param p constant exponent
     * @return {@code this ^ p}
     */
    public Variable pow(float p) { return new ElementwiseFunctions.PowScalar(p).apply(this); }

    /**
     * {@link #pow(float)} with a double: a float32 value rounds it to float (as PyTorch applies a Python
     * float to a float32 tensor), a float64 value keeps it.
     *
     * @param value scalar
     * @return {@link #pow(float)} of it
     */
    public Variable pow(double value) {
        return isFloat64() ? new ElementwiseFunctions.PowScalar(value).apply(this) : pow((float) value);
    }

    /**
     * Elementwise square, as {@code pow(2)}; the gradient is {@code 2 * g * this}.
     *
     * @return {@code this * this}
     */
    public Variable square() { return isFloating() ? pow(2f) : Variable.of(data.square()); }

    /**
     * Elementwise exponential; the gradient is {@code g * e^this}.
     *
     * @return {@code e^this}
     */
    public Variable exp() { return new ElementwiseFunctions.Exp().apply(this); }

    /**
     * Elementwise natural logarithm (-inf at 0, NaN below); the gradient is {@code g / this}.
     *
     * @return natural logarithm
     */
    public Variable log() { return new ElementwiseFunctions.Log().apply(this); }

    /**
     * Elementwise square root (NaN below 0); the gradient is {@code g / (2 * sqrt(this))}, infinite at 0.
     *
     * @return square root
     */
    public Variable sqrt() { return new ElementwiseFunctions.Sqrt().apply(this); }

    /**
     * Elementwise absolute value; the gradient is {@code g * sign(this)}, 0 at 0.
     *
     * @return absolute value
     */
    public Variable abs() { return new ElementwiseFunctions.Abs().apply(this); }

    /**
     * Elementwise rectified linear unit; the gradient is g where the output is positive, 0 elsewhere.
     *
     * @return {@code max(this, 0)}
     */
    public Variable relu() { return new ElementwiseFunctions.Relu().apply(this); }

    /**
     * Elementwise leaky ReLU: {@code x} where {@code x > 0}, else {@code slope * x}; the gradient is g or
     * {@code g * slope}.
     *
     * @param slope slope for negative inputs
     * @return leaky ReLU
     */
    public Variable leakyRelu(float slope) { return new ElementwiseFunctions.LeakyRelu(slope).apply(this); }

    /**
     * Elementwise logistic sigmoid {@code y = 1 / (1 + e^-x)}; the gradient is {@code g * y * (1 - y)}.
     *
     * @return logistic sigmoid
     */
    public Variable sigmoid() { return new ElementwiseFunctions.Sigmoid().apply(this); }

    /**
     * Elementwise hyperbolic tangent {@code y}; the gradient is {@code g * (1 - y^2)}.
     *
     * @return hyperbolic tangent
     */
    public Variable tanh() { return new ElementwiseFunctions.Tanh().apply(this); }

    /**
     * Elementwise exact GELU {@code x·Φ(x)}, Φ being the standard normal CDF (through an erf approximation with an
     * absolute error below 1.5e-7); the gradient is {@code g * (Φ(x) + x * φ(x))}, φ the normal density.
     *
     * @return exact GELU {@code x·Φ(x)}
     */
    public Variable gelu() { return new ElementwiseFunctions.Gelu().apply(this); }

    /**
     * Elementwise GELU with the tanh approximation {@code 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))}, as PyTorch's
     * {@code approximate='tanh'}.
     *
     * @return GELU with the tanh approximation
     */
    public Variable geluTanh() { return new ElementwiseFunctions.GeluTanh().apply(this); }

    /**
     * Elementwise softplus with PyTorch's defaults, β = 1 and threshold 20 (the identity above it); the gradient is
     * {@code g * sigmoid(x)}, or g above the threshold.
     *
     * @return softplus {@code ln(1 + e^x)} (β = 1, threshold 20, as PyTorch)
     */
    public Variable softplus() { return softplus(1f, 20f); }

    /**
     * Elementwise softplus with sharpness β, computed without overflow, and the identity where {@code β·x > threshold}
     * (as PyTorch); the gradient is {@code g * sigmoid(β·x)}, or g above the threshold.
     *
     * @param beta sharpness β
     * @param threshold above {@code β·x > threshold} the function is linear
     * @return {@code ln(1 + e^(βx))/β}
     */
    public Variable softplus(float beta, float threshold) {
        return new ElementwiseFunctions.Softplus(beta, threshold).apply(this);
    }

    /**
     * Limits every element to [lo, hi] (NaN stays NaN); the gradient is g where {@code lo <= x <= hi}, bounds included,
     * and 0 outside.
     *
     * @param lo lower bound
     * @param hi upper bound, at least lo
     * @return values limited to [lo, hi]
     * @throws IllegalArgumentException if {@code lo > hi}
     */
    public Variable clamp(float lo, float hi) { return new ElementwiseFunctions.Clamp(lo, hi).apply(this); }

    /**
     * Elementwise maximum, broadcasting both operands (NumPy rules); the gradient goes to the larger operand, split in
     * halves on ties.
     *
     * @param o operand (broadcast)
     * @return elementwise maximum
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Variable maximum(Variable o) { return new ElementwiseFunctions.Extremum(true).apply(this, o); }

    /**
     * Elementwise minimum, broadcasting both operands (NumPy rules); the gradient goes to the smaller operand, split in
     * halves on ties.
     *
     * @param o operand (broadcast)
     * @return elementwise minimum
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public Variable minimum(Variable o) { return new ElementwiseFunctions.Extremum(false).apply(this, o); }

    /**
     * Picks {@code a} where {@code mask} is true and {@code b} elsewhere, all three broadcast; the gradient goes to
     * a where the mask holds and to b elsewhere.
     *
     * @param mask a bool tensor, not differentiated
     * @param a values where true
     * @param b values where false
     * @return the selection
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public static Variable where(Tensor mask, Variable a, Variable b) {
        return new ElementwiseFunctions.Where(mask).apply(a, b);
    }

    /**
     * Fills the positions where {@code mask} is true with a constant, as PyTorch's {@code masked_fill}; the
     * gradient flows only to the positions kept.
     *
     * @param mask a bool tensor, true where to fill, broadcast against this value
     * @param value the fill value (e.g. {@code Float.NEGATIVE_INFINITY} before a softmax)
     * @return the filled value
     */
    public Variable maskedFill(Tensor mask, float value) {
        return new ElementwiseFunctions.MaskedFill(mask, value).apply(this);
    }

    /**
     * The lower triangle of the last two dims ({@link Tensor#tril}); the gradient flows to the kept elements.
     *
     * @param diagonal 0 keeps the main diagonal
     * @return the lower triangle
     */
    public Variable tril(int diagonal) {
        if (dim() < 2) {
            throw new IllegalArgumentException("tril: needs at least 2 dims, got shape " + Arrays.toString(shape()));
        }
        return maskedFill(Tensor.ones(DType.BOOL, size(-2), size(-1)).tril(diagonal).logicalNot(), 0f);
    }

    /**
     * The upper triangle of the last two dims ({@link Tensor#triu}); the gradient flows to the kept elements.
     *
     * @param diagonal 0 keeps the main diagonal
     * @return the upper triangle
     */
    public Variable triu(int diagonal) {
        if (dim() < 2) {
            throw new IllegalArgumentException("triu: needs at least 2 dims, got shape " + Arrays.toString(shape()));
        }
        return maskedFill(Tensor.ones(DType.BOOL, size(-2), size(-1)).triu(diagonal).logicalNot(), 0f);
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
     * The value laid out densely in row-major order: itself when its data already is, else a copy whose gradient flows
     * back unchanged.
     *
     * @return this value, or a dense copy of it
     */
    public Variable contiguous() { return data.isContiguous() ? this : new ShapeFunctions.Contiguous().apply(this); }

    /**
     * All elements in one dim, as {@code reshape(-1)}: a view when the strides allow it, else a copy; the gradient is
     * reshaped back.
     *
     * @return all elements as one dim
     */
    public Variable flatten() { return reshape(-1); }

    /**
     * Merges dims {@code startDim..endDim} (inclusive) into one, as {@link Tensor#flatten(int, int)}; the gradient is
     * reshaped back.
     *
     * @param startDim first merged dim
     * @param endDim last merged dim
     * @return dims startDim..endDim merged
     */
    public Variable flatten(int startDim, int endDim) {
        return new ShapeFunctions.Reshape(data.flatten(startDim, endDim).shape(), false).apply(this);
    }

    /**
     * Reorders the dims (a view): dim {@code i} of the result is dim {@code order[i]} of this value; the gradient is
     * permuted back.
     *
     * @param order permutation of the dims
     * @return the permuted value
     */
    public Variable permute(int... order) { return new ShapeFunctions.Permute(order.clone()).apply(this); }

    /**
     * Swaps two dims (a view); the gradient is swapped back.
     *
     * @param d0 a dim (negative counts from the end)
     * @param d1 another dim
     * @return the two dims swapped
     * @throws IndexOutOfBoundsException if a dim is out of range (a 0-d value takes 0 and -1, and is returned as it is)
     */
    public Variable transpose(int d0, int d1) {
        int r = data.dim();
        if (r == 0) {
            data.transpose(d0, d1); // a 0-d value takes dims 0 and -1, as PyTorch, and is its own transpose
            return this;
        }
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

    /**
     * Matrix transpose of a 2-d value (a view), as {@link Tensor#t()}; the gradient is transposed back. 0-d and 1-d
     * values are returned as they are.
     *
     * @return the transpose of a 2-d value; a 0-d or 1-d value itself
     * @throws IllegalArgumentException if the rank is above 2 (use {@link #transpose(int, int)})
     */
    public Variable t() {
        if (data.dim() > 2) {
            throw new IllegalArgumentException("t: expects a tensor of rank <= 2, got shape "
                    + Arrays.toString(data.shape()) + "; use transpose(dim0, dim1)");
        }
        return data.dim() < 2 ? this : transpose(0, 1);
    }

    /**
     * Python-style slice along one dim (a view): bounds are clamped, negative ones count from the end, as
     * {@link Tensor#slice}. The gradient is g written into zeros at the sliced positions.
     *
     * @param dim the dim
     * @param start first index
     * @param end exclusive end
     * @param step positive step
     * @return {@code [start:end:step]} along dim
     * @throws IllegalArgumentException if {@code step} is not positive
     */
    public Variable slice(int dim, int start, int end, int step) {
        return new ShapeFunctions.Slice(dim, start, end, step).apply(this);
    }

    /**
     * A run of {@code length} elements along one dim (a view), as {@link Tensor#narrow}: unlike {@link #slice}, bounds
     * past the dim are an error, not clamped. The gradient is g written into zeros at those positions.
     *
     * @param dim the dim
     * @param start first index (negative counts from the end)
     * @param length how many
     * @return elements start..start+length-1 along dim
     * @throws IndexOutOfBoundsException if {@code dim} is out of range or the run does not fit in it
     */
    public Variable narrow(int dim, int start, int length) {
        return new ShapeFunctions.Narrow(dim, start, length).apply(this);
    }

    /**
     * Picks one index along a dim, removing that dim (a view); the gradient is g written into zeros at that index.
     *
     * @param dim the dim
     * @param index the index (negative counts from the end)
     * @return the slice at index, without dim
     * @throws IndexOutOfBoundsException if {@code dim} or {@code index} is out of range
     */
    public Variable select(int dim, int index) { return new ShapeFunctions.Select(dim, index).apply(this); }

    /**
     * Broadcasts to a larger shape without copying, as {@link Tensor#expand} (size-1 dims get stride 0, -1 keeps a
     * dim); the gradient is summed back over the stretched dims. The result's data must not be written to.
     *
     * @param shape target shape
     * @return the value broadcast to it
     * @throws IllegalArgumentException if this shape does not broadcast to {@code shape}
     */
    public Variable expand(int... shape) { return new ShapeFunctions.Expand(shape.clone()).apply(this); }

    /**
     * Removes every dim of size 1, through {@link #reshape} (a view whenever the strides allow); the gradient is
     * reshaped back.
     *
     * @return without size-1 dims
     */
    public Variable squeeze() { return reshape(data.squeeze().shape()); }

    /**
     * Removes one dim if its size is 1, else keeps the shape (as PyTorch), through {@link #reshape}; the gradient is
     * reshaped back.
     *
     * @param dim a dim (negative counts from the end)
     * @return without that dim when its size is 1
     */
    public Variable squeeze(int dim) { return reshape(data.squeeze(dim).shape()); }

    /**
     * Inserts a dim of size 1, through {@link #reshape} (a view whenever the strides allow); the gradient is reshaped
     * back.
     *
     * @param dim where to insert, {@code -(rank+1) <= dim <= rank}
     * @return with a new size-1 dim
     */
    public Variable unsqueeze(int dim) { return reshape(data.unsqueeze(dim).shape()); }

    /**
     * Joins values along an existing dim into a new tensor (all other dims must match); each part's gradient is its
     * slice of g.
     *
     * @param dim the dim joined along
     * @param parts the values, at least one
     * @return their concatenation
     * @throws IllegalArgumentException if no part is given or their shapes differ outside {@code dim}
     */
    public static Variable concat(int dim, Variable... parts) {
        return new ShapeFunctions.Concat(dim, parts.length).apply(parts);
    }

    /**
     * Joins same-shaped values along a new dim at position {@code dim} into a new tensor; each part's gradient is its
     * slice of g.
     *
     * @param dim position of the new dim
     * @param parts same-shaped values, at least one
     * @return their stack
     * @throws IllegalArgumentException if no part is given or their shapes differ
     */
    public static Variable stack(int dim, Variable... parts) {
        return new ShapeFunctions.Stack(dim, parts.length).apply(parts);
    }

    /**
     * Selects whole slices along a dim by index into a new tensor, as PyTorch's {@code index_select}; the gradient is
     * added back at those indices (repeats accumulate).
     *
     * @param dim the dim
     * @param indices the indices (repeats allowed, negative count from the end)
     * @return the selected slices
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public Variable indexSelect(int dim, int... indices) {
        return new ShapeFunctions.IndexSelect(dim, indices.clone()).apply(this);
    }

    /**
     * Gathers values along a dim by a tensor of indices, as {@link Tensor#gather}; the gradient is scattered back,
     * adding where indices repeat.
     *
     * @param dim the dim
     * @param index integer-valued indices, rank of this value (not differentiated)
     * @return gathered values (PyTorch {@code gather}), shaped like index
     */
    public Variable gather(int dim, Tensor index) { return new ShapeFunctions.Gather(dim, index).apply(this); }

    // ------------------------------------------------------------------------------------------ reductions

    /**
     * Sums all elements; the gradient broadcasts g back to every element.
     *
     * @return the sum of all elements, 0-d
     */
    public Variable sum() { return new ReductionFunctions.Sum(null, false).apply(this); }

    /**
     * Sums along one dim, which is removed; the gradient broadcasts g back along it.
     *
     * @param dim the dim
     * @return sums along dim
     */
    public Variable sum(int dim) { return sum(new int[] {dim}, false); }

    /**
     * Sums over several dims, which are removed or kept with size 1, as {@link Tensor#sum(int[], boolean)}; the
     * gradient broadcasts g back over them.
     *
     * @param dims the dims, without repeats (null: all)
     * @param keepDim keep them with size 1
     * @return sums
     */
    public Variable sum(int[] dims, boolean keepDim) {
        return new ReductionFunctions.Sum(dims == null ? null : dims.clone(), keepDim).apply(this);
    }

    /**
     * The mean of all N elements; each element's gradient is {@code g / N}.
     *
     * @return the mean of all elements, 0-d
     */
    public Variable mean() { return new ReductionFunctions.Mean(null, false).apply(this); }

    /**
     * Averages along one dim, which is removed; each element's gradient is g divided by that dim's size.
     *
     * @param dim the dim
     * @return means along dim
     */
    public Variable mean(int dim) { return mean(new int[] {dim}, false); }

    /**
     * Averages over several dims, which are removed or kept with size 1; each element's gradient is g divided by the
     * number of elements averaged.
     *
     * @param dims the dims, without repeats (null: all)
     * @param keepDim keep them with size 1
     * @return means
     */
    public Variable mean(int[] dims, boolean keepDim) {
        return new ReductionFunctions.Mean(dims == null ? null : dims.clone(), keepDim).apply(this);
    }

    /**
     * The largest values along a dim and where they are, as PyTorch's {@code x.max(dim, keepdim)}; the gradient
     * flows to those positions (the first on ties).
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return the maxima (differentiable) and their indices
     */
    public IndexedValues<Variable> max(int dim, boolean keepDim) { return extremum(dim, keepDim, true); }

    /**
     * The largest values along a dim, which is removed, and their indices: {@code max(dim, false)}.
     *
     * @param dim the dim, removed
     * @return the maxima along dim and their indices, as {@link #max(int, boolean)}
     */
    public IndexedValues<Variable> max(int dim) { return max(dim, false); }

    /**
     * The largest values along a dim, without their indices (PyTorch's {@code amax}); the gradient goes to the first
     * position of each maximum.
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return the maxima along dim, without indices
     */
    public Variable amax(int dim, boolean keepDim) { return max(dim, keepDim).values(); }

    /**
     * The largest element; the gradient goes to its first occurrence.
     *
     * @return the largest element, 0-d
     * @throws IllegalArgumentException if the value is empty
     */
    public Variable max() { return flatten().amax(0, false); }

    /**
     * The smallest values along a dim and where they are, as PyTorch's {@code x.min(dim, keepdim)}.
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return the minima (differentiable) and their indices
     */
    public IndexedValues<Variable> min(int dim, boolean keepDim) { return extremum(dim, keepDim, false); }

    /**
     * The smallest values along a dim, which is removed, and their indices: {@code min(dim, false)}.
     *
     * @param dim the dim, removed
     * @return the minima along dim and their indices, as {@link #min(int, boolean)}
     */
    public IndexedValues<Variable> min(int dim) { return min(dim, false); }

    /**
     * The {@code k} largest (or smallest) values along {@code dim} and their int64 positions, as {@link Tensor#topk};
     * the values' gradient flows back to the positions they came from.
     *
     * @param k how many
     * @param dim the dim (negative counts from the end)
     * @param largest the largest values when true, the smallest when false
     * @return the values (differentiable) and their positions
     */
    public IndexedValues<Variable> topk(int k, int dim, boolean largest) {
        IndexedValues<Tensor> top = data.topk(k, dim, largest);
        if (dim() == 0) { // gather has no dim to index here: the value itself (k = 1) or nothing (k = 0)
            return new IndexedValues<>(k == 1 ? this.reshape() : Variable.of(top.values()), top.indices());
        }
        return new IndexedValues<>(gather(dim, top.indices()), top.indices());
    }

    /**
     * This value sorted along {@code dim} (stably), as {@link Tensor#sort}; the gradient flows back through the
     * permutation.
     *
     * @param dim the dim (negative counts from the end)
     * @param descending largest first when true
     * @return the sorted values (differentiable) and their int64 positions
     */
    public IndexedValues<Variable> sort(int dim, boolean descending) {
        Tensor indices = data.sort(dim, descending).indices();
        return new IndexedValues<>(gather(dim, indices), indices);
    }

    /**
     * The smallest values along a dim, without their indices (PyTorch's {@code amin}); the gradient goes to the first
     * position of each minimum.
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return the minima along dim, without indices
     */
    public Variable amin(int dim, boolean keepDim) { return min(dim, keepDim).values(); }

    /**
     * The smallest element; the gradient goes to its first occurrence.
     *
     * @return the smallest element, 0-d
     * @throws IllegalArgumentException if the value is empty
     */
    public Variable min() { return flatten().amin(0, false); }

    private IndexedValues<Variable> extremum(int dim, boolean keepDim, boolean max) {
        var f = new ReductionFunctions.Extremum(dim, keepDim, max);
        Variable values = f.apply(this);
        return new IndexedValues<>(values, f.indices(values.shape()));
    }

    /**
     * {@code log Σ exp(x)} along a dim, computed stably (shifted by the maximum); the gradient is
     * {@code g * softmax(x)} along that dim.
     *
     * @param dim the dim
     * @param keepDim keep it with size 1
     * @return {@code log Σ exp} along dim
     */
    public Variable logSumExp(int dim, boolean keepDim) { return new ReductionFunctions.LogSumExp(dim, keepDim).apply(this); }

    /**
     * Softmax along a dim, {@code y = exp(x - max) / Σ exp(x - max)}; the gradient is {@code y * (g - Σ g * y)}.
     *
     * @param dim the dim
     * @return softmax along dim: probabilities summing to 1
     */
    public Variable softmax(int dim) { return new ReductionFunctions.Softmax(dim).apply(this); }

    /**
     * Log-softmax along a dim, {@code y = x - logSumExp(x)}, computed stably; the gradient is {@code g - e^y * Σ g}.
     *
     * @param dim the dim
     * @return log-softmax along dim
     */
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
