package dev.frelon.autodiff;

import dev.frelon.core.BackwardKernels;
import dev.frelon.core.Conv2dSpec;
import dev.frelon.core.Convolution;
import dev.frelon.core.CrossEntropy;
import dev.frelon.core.DType;
import dev.frelon.core.IndexedValues;
import dev.frelon.core.Pool2dSpec;
import dev.frelon.core.Pooling;
import dev.frelon.core.Reduction;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import dev.frelon.core.TensorStorage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every public op of {@link Tensor}, {@link Variable} and {@link NeuralOps}, {@link GradCheck}'s checks, and the
 * public entry points of the core kernels under them ({@link Convolution}, {@link Pooling}, {@link CrossEntropy},
 * forward and backward, {@link BackwardKernels}, {@link TensorStorage}), on random operands of rank 0–4 with dims
 * 0–5 (dense, transposed, expanded and strided layouts) and random arguments, valid or not: dims and indices out of
 * range, negative and huge sizes, mismatched and non-broadcastable shapes. An op may succeed, or fail with an
 * {@link IllegalArgumentException}, {@link IndexOutOfBoundsException} (not an
 * {@link ArrayIndexOutOfBoundsException}), {@link IllegalStateException} or {@link UnsupportedOperationException}
 * whose message names it. Anything else (a bare {@link NullPointerException}, an array index, a negative array
 * size, an {@link ArithmeticException}, a message that is empty or names no op) is a failure. Every tensor result
 * must also be readable to its last element, as floats and in its own dtype, and the indices of a max, min, top-k or
 * sort must be int64.
 *
 * <p><b>Dtypes.</b> Operands are float32 in most draws; in the others they are all float64, int64, int32 or bool, or
 * each of its own dtype (with, now and then, extreme values: NaN, infinities, values past the int32 or int64 range).
 * Index arguments (gather and scatter indices, labels, class targets) are float32, int64, int32, float64 or bool,
 * masks mostly bool. Variable operands require a gradient when they are floating and are constants otherwise (only
 * floating values can require one; {@code Variable.parameter} of another dtype must be refused, by name).
 *
 * <p>A Variable op with a Tensor twin ({@link #twin}) runs both on the same draw: they must agree (both succeed
 * with the same values, or both fail with the same exception type). Every Variable result, empty ones included,
 * is then differentiated ({@code sum().backward()}), which must succeed; Tensor and Variable results must have the same
 * dtype, and after a draw every leaf's gradient must have the leaf's dtype and shape.
 *
 * <p>Each draw has its own seed (printed with a failure), derived from {@link #SEED}, the op's name and the draw's
 * number: a failure reproduces on its own, and adding an op changes no other op's draws.
 */
class OpRobustnessTest {

    private static final long SEED = 0x5EED_2025_0A11L;
    /** Random draws per op; {@code -Dfrelon.robustness.draws=2000} searches deeper. */
    private static final int DRAWS = Integer.getInteger("frelon.robustness.draws", 400);

    // ------------------------------------------------------------------------------------------ the table

    /** Draws an op's operands and arguments from {@code d}, then runs it and returns its result (or a {@link Twin}). */
    @FunctionalInterface
    interface Body {
        Object run(Draw d);
    }

    /** A Tensor op and its Variable counterpart, on the same drawn operands. */
    record Twin(Supplier<Object> tensor, Supplier<Object> variable) {
    }

    /**
     * One row of the table.
     *
     * @param name what the report calls the op
     * @param names the words of which an exception's message must contain one (case-insensitive): the method name,
     *        then the aliases the op legitimately reports under (the op it delegates to, its Function's name)
     */
    record Op(String name, List<String> names, Body body) {
    }

    private static Op op(String owner, String method, Body body, String... aliases) {
        List<String> names = new ArrayList<>();
        names.add(method);
        names.addAll(Arrays.asList(aliases));
        return new Op(owner + "." + method, names, body);
    }

    private static Op t(String method, Body body, String... aliases) {
        return op("Tensor", method, body, aliases);
    }

    private static Op v(String method, Body body, String... aliases) {
        return op("Variable", method, body, aliases);
    }

    private static Op nn(String method, Body body, String... aliases) {
        return op("NeuralOps", method, body, aliases);
    }

    /** A Variable method with a Tensor twin of the same name: the body returns {@link #both}. */
    private static Op twin(String method, Body body, String... aliases) {
        return op("Tensor|Variable", method, body, aliases);
    }

    private static Twin both(Supplier<Object> tensor, Supplier<Object> variable) {
        return new Twin(tensor, variable);
    }

    /**
     * A leaf: one that requires a gradient when the tensor is floating, a constant otherwise (only float32 and float64
     * values can require a gradient; {@code Variable.parameter} of another dtype is tested on its own). Each parameter
     * is remembered so that, after a backward, its gradient can be checked to have its dtype and shape.
     */
    private static Variable p(Tensor t) {
        Variable v = t.dtype().isFloatingPoint() ? Variable.parameter(t) : Variable.of(t);
        LEAVES.add(v);
        return v;
    }

    /** The leaves {@link #p} made in the current draw (the test runs its draws one after another, on one thread). */
    private static final List<Variable> LEAVES = new ArrayList<>();

    private interface TT { Object apply(Tensor a, Tensor b); }
    private interface TF { Object apply(Tensor a, float b); }
    private interface TD { Object apply(Tensor a, double b); }
    private interface VV { Object apply(Variable a, Variable b); }
    private interface VF { Object apply(Variable a, float b); }
    private interface VD { Object apply(Variable a, double b); }
    private interface TL { Object apply(Tensor a, long b); }

    /** An elementwise binary twin in its three overloads: tensor ⊕ tensor (broadcasting), ⊕ float, ⊕ double. */
    private static List<Op> binaryTwin(String method, TT tt, VV vv, TF tf, VF vf, TD td, VD vd) {
        List<Op> ops = new ArrayList<>();
        ops.add(twin(method, d -> {
            Tensor a = d.tensor("a"), b = d.tensor("b", d.related(a.shape()));
            return both(() -> tt.apply(a, b), () -> vv.apply(p(a), p(b)));
        }));
        ops.add(twin(method + "(float)", d -> {
            Tensor a = d.tensor("a");
            float s = d.value("s");
            return both(() -> tf.apply(a, s), () -> vf.apply(p(a), s));
        }));
        ops.add(twin(method + "(double)", d -> {
            Tensor a = d.tensor("a");
            double s = d.value("s");
            return both(() -> td.apply(a, s), () -> vd.apply(p(a), s));
        }));
        return ops;
    }

    /** A comparison or other Tensor-only binary op, in its three overloads. */
    private static List<Op> binaryTensor(String method, TT tt, TF tf, TD td) {
        return List.of(
                t(method, d -> {
                    Tensor a = d.tensor("a");
                    return tt.apply(a, d.tensor("b", d.related(a.shape())));
                }),
                t(method + "(float)", d -> tf.apply(d.tensor("a"), d.value("s"))),
                t(method + "(double)", d -> td.apply(d.tensor("a"), d.value("s"))));
    }

    /** The {@code long} overload of an elementwise op, Tensor only. */
    private static Op longOverload(String method, TL tl) {
        return t(method + "(long)", d -> tl.apply(d.tensor("a"), d.longValue("s")));
    }

    /** A unary twin: {@code x.op()} on both sides. */
    private static Op unaryTwin(String method, java.util.function.Function<Tensor, Object> tensor,
                                java.util.function.Function<Variable, Object> variable, String... aliases) {
        return twin(method, d -> {
            Tensor x = d.tensor("x");
            return both(() -> tensor.apply(x), () -> variable.apply(p(x)));
        }, aliases);
    }

    static List<Op> ops() {
        List<Op> ops = new ArrayList<>();

        // ---- Tensor: creation
        ops.add(t("zeros", d -> Tensor.zeros(d.shapeArg("shape"))));
        ops.add(t("ones", d -> Tensor.ones(d.shapeArg("shape"))));
        ops.add(t("full", d -> Tensor.full(d.value("v"), d.shapeArg("shape"))));
        ops.add(t("scalar", d -> Tensor.scalar(d.value("v"))));
        ops.add(t("of", d -> {
            int[] shape = d.shapeArg("shape");
            return Tensor.of(d.floats("values", shape), shape);
        }, "Tensor.of"));
        ops.add(t("wrap", d -> {
            int[] shape = d.shapeArg("shape");
            return Tensor.wrap(d.floats("values", shape), shape);
        }, "Tensor.wrap"));
        ops.add(t("of(float[][])", d -> Tensor.of(d.rows("rows")), "Tensor.of"));
        ops.add(t("arange(end)", d -> Tensor.arange(d.bound("end"))));
        ops.add(t("arange", d -> Tensor.arange(d.bound("start"), d.bound("end"), d.bound("step"))));
        ops.add(t("linspace", d -> Tensor.linspace(d.value("start"), d.value("end"), d.count("steps"))));
        ops.add(t("eye", d -> Tensor.eye(d.count("n"))));
        ops.add(t("rand(rng)", d -> Tensor.rand(new Rng(d.seed()), d.shapeArg("shape"))));
        ops.add(t("rand(seed)", d -> Tensor.rand(d.shapeArg("shape"), d.seed())));
        ops.add(t("uniform", d -> Tensor.uniform(new Rng(d.seed()), d.value("low"), d.value("high"), d.shapeArg("shape"))));
        ops.add(t("randn(rng)", d -> Tensor.randn(new Rng(d.seed()), d.shapeArg("shape"))));
        ops.add(t("randn(seed)", d -> Tensor.randn(d.shapeArg("shape"), d.seed())));
        ops.add(t("normal", d -> Tensor.normal(new Rng(d.seed()), d.value("mean"), d.value("std"), d.shapeArg("shape"))));
        ops.add(t("bernoulli", d -> Tensor.bernoulli(new Rng(d.seed()), d.probability("p"), d.shapeArg("shape"))));
        ops.add(t("oneHot", d -> {
            Tensor labels = d.labels("labels", d.shape(), 4);
            return Tensor.oneHot(labels, d.count("numClasses"));
        }));
        ops.add(t("zeros(dtype)", d -> Tensor.zeros(d.dtypeArg("dtype"), d.shapeArg("shape"))));
        ops.add(t("ones(dtype)", d -> Tensor.ones(d.dtypeArg("dtype"), d.shapeArg("shape"))));
        ops.add(t("full(dtype)", d -> Tensor.full(d.wideValue("v"), d.dtypeArg("dtype"), d.shapeArg("shape"))));
        ops.add(t("scalar(dtype)", d -> Tensor.scalar(d.wideValue("v"), d.dtypeArg("dtype"))));
        ops.add(t("of(double[])", d -> {
            int[] shape = d.shapeArg("shape");
            return Tensor.of(d.doubles("values", shape), shape);
        }, "Tensor.of"));
        ops.add(t("of(long[])", d -> {
            int[] shape = d.shapeArg("shape");
            return Tensor.of(d.longs("values", shape), shape);
        }, "Tensor.of"));
        ops.add(t("of(int[])", d -> {
            int[] shape = d.shapeArg("shape");
            return Tensor.of(d.ints("values", shape), shape);
        }, "Tensor.of"));
        ops.add(t("of(boolean[])", d -> {
            int[] shape = d.shapeArg("shape");
            return Tensor.of(d.booleans("values", shape), shape);
        }, "Tensor.of"));
        ops.add(t("arange(dtype, double)", d -> Tensor.arange(d.dtypeArg("dtype"), d.wideBound("start"),
                d.wideBound("end"), d.wideBound("step"))));
        ops.add(t("arange(dtype, long)", d -> {
            DType dtype = d.dtypeArg("dtype");
            long start = d.longBound("start");
            return Tensor.arange(dtype, start, d.longEnd("end", start), d.longStep("step"));
        }));

        // ---- Tensor: accessors and copies
        ops.add(t("copy", d -> d.tensor("x").copy()));
        ops.add(t("shape", d -> d.tensor("x").shape()));
        ops.add(twin("size", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            return both(() -> x.size(dim), () -> p(x).size(dim));
        }));
        ops.add(twin("dim", d -> {
            Tensor x = d.tensor("x");
            return both(x::dim, () -> p(x).dim());
        }));
        ops.add(t("numel", d -> d.tensor("x").numel()));
        ops.add(op("TensorStorage", "strides", d -> TensorStorage.strides(d.tensor("x"))));
        ops.add(op("TensorStorage", "offset", d -> TensorStorage.offset(d.tensor("x"))));
        ops.add(op("TensorStorage", "array", d -> TensorStorage.array(d.tensor("x"))));
        ops.add(t("version", d -> d.tensor("x").version()));
        ops.add(op("TensorStorage", "markWritten", d -> {
            Tensor x = d.tensor("x");
            TensorStorage.markWritten(x);
            return x;
        }));
        ops.add(t("isContiguous", d -> d.tensor("x").isContiguous()));
        ops.add(twin("contiguous", d -> {
            Tensor x = d.tensor("x");
            return both(x::contiguous, () -> p(x).contiguous());
        }));
        ops.add(t("sharesStorageWith", d -> d.tensor("x").sharesStorageWith(d.tensor("y"))));
        ops.add(twin("item", d -> {
            Tensor x = d.tensor("x");
            return both(x::item, () -> p(x).item());
        }));
        ops.add(t("get", d -> {
            Tensor x = d.tensor("x");
            return x.get(d.indices("idx", x.shape()));
        }));
        ops.add(t("set", d -> {
            Tensor x = d.tensor("x");
            x.set(d.value("v"), d.indices("idx", x.shape()));
            return x;
        }));
        ops.add(t("toArray", d -> d.tensor("x").toArray()));
        ops.add(t("dtype", d -> d.tensor("x").dtype()));
        ops.add(t("to", d -> d.tensor("x").to(d.dtypeArg("dtype"))));
        ops.add(t("resultType", d -> {
            Tensor a = d.tensor("a");
            return Tensor.resultType(a, d.tensor("b", d.related(a.shape())));
        }));
        ops.add(twin("itemDouble", d -> {
            Tensor x = d.tensor("x");
            return both(x::itemDouble, () -> p(x).itemDouble());
        }));
        ops.add(t("itemLong", d -> d.tensor("x").itemLong()));
        ops.add(t("itemBoolean", d -> d.tensor("x").itemBoolean()));
        ops.add(t("getDouble", d -> {
            Tensor x = d.tensor("x");
            return x.getDouble(d.indices("idx", x.shape()));
        }));
        ops.add(t("getLong", d -> {
            Tensor x = d.tensor("x");
            return x.getLong(d.indices("idx", x.shape()));
        }));
        ops.add(t("set(double)", d -> {
            Tensor x = d.tensor("x");
            x.set(d.wideValue("v"), d.indices("idx", x.shape()));
            return x;
        }));
        ops.add(t("set(long)", d -> {
            Tensor x = d.tensor("x");
            x.set(d.longValue("v"), d.indices("idx", x.shape()));
            return x;
        }));
        ops.add(t("toDoubleArray", d -> d.tensor("x").toDoubleArray()));
        ops.add(t("toLongArray", d -> d.tensor("x").toLongArray()));
        ops.add(t("toBooleanArray", d -> d.tensor("x").toBooleanArray()));
        ops.add(t("equals", d -> {
            Tensor x = d.tensor("x");
            return x.equals(d.tensor("y", d.related(x.shape())));
        }));
        ops.add(t("hashCode", d -> d.tensor("x").hashCode()));
        ops.add(t("toString", d -> d.tensor("x").toString()));
        ops.add(t("allClose", d -> {
            Tensor x = d.tensor("x");
            return x.allClose(d.tensor("y", d.related(x.shape())), d.value("rtol"), d.value("atol"));
        }));

        // ---- views
        ops.add(twin("reshape", d -> {
            Tensor x = d.tensor("x");
            int[] s = d.reshapeArg("shape", x.shape());
            return both(() -> x.reshape(s), () -> p(x).reshape(s));
        }));
        ops.add(twin("view", d -> {
            Tensor x = d.tensor("x");
            int[] s = d.reshapeArg("shape", x.shape());
            return both(() -> x.view(s), () -> p(x).view(s));
        }));
        ops.add(unaryTwin("flatten", Tensor::flatten, Variable::flatten));
        ops.add(twin("flatten(start, end)", d -> {
            Tensor x = d.tensor("x");
            int s = d.dim("startDim", x.dim()), e = d.dim("endDim", x.dim());
            return both(() -> x.flatten(s, e), () -> p(x).flatten(s, e));
        }));
        ops.add(twin("transpose", d -> {
            Tensor x = d.tensor("x");
            int a = d.dim("dim0", x.dim()), b = d.dim("dim1", x.dim());
            return both(() -> x.transpose(a, b), () -> p(x).transpose(a, b));
        }));
        ops.add(unaryTwin("t", Tensor::t, Variable::t));
        ops.add(t("mT", d -> d.tensor("x").mT()));
        ops.add(twin("permute", d -> {
            Tensor x = d.tensor("x");
            int[] order = d.permutation("order", x.dim());
            return both(() -> x.permute(order), () -> p(x).permute(order));
        }));
        ops.add(twin("narrow", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            int size = d.sizeAlong(x, dim);
            int start = d.index("start", size + 1);
            int room = size - (start < 0 ? start + size : start);
            int length = room >= 0 && d.chance(0.6) ? d.plain("length", 0, room) : d.count("length");
            return both(() -> x.narrow(dim, start, length), () -> p(x).narrow(dim, start, length));
        }));
        ops.add(twin("slice", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            int size = d.sizeAlong(x, dim);
            int start = d.index("start", size + 2), end = d.index("end", size + 2), step = d.step("step");
            return both(() -> x.slice(dim, start, end, step), () -> p(x).slice(dim, start, end, step));
        }));
        ops.add(twin("select", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            int index = d.index("index", d.sizeAlong(x, dim));
            return both(() -> x.select(dim, index), () -> p(x).select(dim, index));
        }));
        ops.add(unaryTwin("squeeze", Tensor::squeeze, Variable::squeeze));
        ops.add(twin("squeeze(dim)", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            return both(() -> x.squeeze(dim), () -> p(x).squeeze(dim));
        }));
        ops.add(twin("unsqueeze", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim() + 1);
            return both(() -> x.unsqueeze(dim), () -> p(x).unsqueeze(dim));
        }));
        ops.add(twin("expand", d -> {
            Tensor x = d.tensor("x");
            int[] s = d.expandArg("shape", x.shape());
            return both(() -> x.expand(s), () -> p(x).expand(s));
        }));
        ops.add(t("broadcastTo", d -> {
            Tensor x = d.tensor("x");
            return x.broadcastTo(d.expandArg("shape", x.shape()));
        }, "expand"));

        // ---- elementwise
        ops.addAll(binaryTwin("add", Tensor::add, Variable::add, Tensor::add, Variable::add, Tensor::add, Variable::add));
        ops.addAll(binaryTwin("sub", Tensor::sub, Variable::sub, Tensor::sub, Variable::sub, Tensor::sub, Variable::sub));
        ops.addAll(binaryTwin("mul", Tensor::mul, Variable::mul, Tensor::mul, Variable::mul, Tensor::mul, Variable::mul));
        ops.addAll(binaryTwin("div", Tensor::div, Variable::div, Tensor::div, Variable::div, Tensor::div, Variable::div));
        ops.addAll(binaryTwin("pow", Tensor::pow, Variable::pow, Tensor::pow, Variable::pow, Tensor::pow, Variable::pow));
        ops.add(twin("maximum", d -> {
            Tensor a = d.tensor("a"), b = d.tensor("b", d.related(a.shape()));
            return both(() -> a.maximum(b), () -> p(a).maximum(p(b)));
        }));
        ops.add(t("maximum(float)", d -> d.tensor("a").maximum(d.value("s"))));
        ops.add(t("maximum(double)", d -> d.tensor("a").maximum((double) d.value("s"))));
        ops.add(twin("minimum", d -> {
            Tensor a = d.tensor("a"), b = d.tensor("b", d.related(a.shape()));
            return both(() -> a.minimum(b), () -> p(a).minimum(p(b)));
        }));
        ops.add(t("minimum(float)", d -> d.tensor("a").minimum(d.value("s"))));
        ops.add(t("minimum(double)", d -> d.tensor("a").minimum((double) d.value("s"))));
        ops.addAll(binaryTensor("eq", Tensor::eq, Tensor::eq, Tensor::eq));
        ops.addAll(binaryTensor("ne", Tensor::ne, Tensor::ne, Tensor::ne));
        ops.addAll(binaryTensor("lt", Tensor::lt, Tensor::lt, Tensor::lt));
        ops.addAll(binaryTensor("le", Tensor::le, Tensor::le, Tensor::le));
        ops.addAll(binaryTensor("gt", Tensor::gt, Tensor::gt, Tensor::gt));
        ops.addAll(binaryTensor("ge", Tensor::ge, Tensor::ge, Tensor::ge));
        ops.add(longOverload("add", Tensor::add));
        ops.add(longOverload("sub", Tensor::sub));
        ops.add(longOverload("mul", Tensor::mul));
        ops.add(longOverload("eq", Tensor::eq));
        ops.add(longOverload("ne", Tensor::ne));
        ops.add(longOverload("lt", Tensor::lt));
        ops.add(longOverload("le", Tensor::le));
        ops.add(longOverload("gt", Tensor::gt));
        ops.add(longOverload("ge", Tensor::ge));
        ops.add(t("logicalAnd", d -> {
            Tensor a = d.tensor("a");
            return a.logicalAnd(d.tensor("b", d.related(a.shape())));
        }));
        ops.add(t("logicalOr", d -> {
            Tensor a = d.tensor("a");
            return a.logicalOr(d.tensor("b", d.related(a.shape())));
        }));
        ops.add(t("logicalXor", d -> {
            Tensor a = d.tensor("a");
            return a.logicalXor(d.tensor("b", d.related(a.shape())));
        }));
        ops.add(t("logicalNot", d -> d.tensor("x").logicalNot()));
        ops.add(op("BackwardKernels", "reluBackward", d -> {
            Tensor g = d.tensor("g");
            return BackwardKernels.reluBackward(g, d.tensor("output", d.related(g.shape())));
        }));
        ops.add(unaryTwin("neg", Tensor::neg, Variable::neg));
        ops.add(unaryTwin("exp", Tensor::exp, Variable::exp));
        ops.add(unaryTwin("log", Tensor::log, Variable::log));
        ops.add(unaryTwin("sqrt", Tensor::sqrt, Variable::sqrt));
        ops.add(unaryTwin("abs", Tensor::abs, Variable::abs));
        ops.add(t("sign", d -> d.tensor("x").sign()));
        ops.add(unaryTwin("tanh", Tensor::tanh, Variable::tanh));
        ops.add(unaryTwin("sigmoid", Tensor::sigmoid, Variable::sigmoid));
        ops.add(unaryTwin("relu", Tensor::relu, Variable::relu));
        ops.add(unaryTwin("square", Tensor::square, Variable::square));
        ops.add(t("reciprocal", d -> d.tensor("x").reciprocal()));
        ops.add(v("leakyRelu", d -> p(d.tensor("x")).leakyRelu(d.value("slope"))));
        ops.add(v("gelu", d -> p(d.tensor("x")).gelu()));
        ops.add(v("geluTanh", d -> p(d.tensor("x")).geluTanh()));
        ops.add(v("softplus", d -> p(d.tensor("x")).softplus()));
        ops.add(v("softplus(beta, threshold)", d -> p(d.tensor("x")).softplus(d.value("beta"), d.value("threshold")),
                "softplus"));
        ops.add(twin("clamp", d -> {
            Tensor x = d.tensor("x");
            float lo = d.value("min"), hi = d.value("max");
            return both(() -> x.clamp(lo, hi), () -> p(x).clamp(lo, hi));
        }));
        ops.add(t("affine", d -> d.tensor("x").affine(d.value("scale"), d.value("shift"))));
        ops.add(twin("where", d -> {
            Tensor mask = d.mask("mask", d.shape());
            Tensor a = d.tensor("a", d.related(mask.shape())), b = d.tensor("b", d.related(mask.shape()));
            return both(() -> Tensor.where(mask, a, b), () -> Variable.where(mask, p(a), p(b)));
        }));
        ops.add(t("where(float, float)", d -> Tensor.where(d.mask("mask", d.shape()), d.value("a"), d.value("b")),
                "where"));
        ops.add(twin("maskedFill", d -> {
            Tensor x = d.tensor("x"), mask = d.mask("mask", d.related(x.shape()));
            float v = d.value("v");
            return both(() -> x.maskedFill(mask, v), () -> p(x).maskedFill(mask, v));
        }));
        ops.add(twin("tril", d -> {
            Tensor x = d.tensor("x");
            int diagonal = d.diagonal("diagonal");
            return both(() -> x.tril(diagonal), () -> p(x).tril(diagonal));
        }));
        ops.add(twin("triu", d -> {
            Tensor x = d.tensor("x");
            int diagonal = d.diagonal("diagonal");
            return both(() -> x.triu(diagonal), () -> p(x).triu(diagonal));
        }));

        // ---- in place
        ops.add(t("copyFrom", d -> {
            Tensor x = d.tensor("x");
            return x.copyFrom(d.tensor("src", d.related(x.shape())));
        }));
        ops.add(t("fill", d -> d.tensor("x").fill(d.value("v"))));
        ops.add(t("fill(double)", d -> d.tensor("x").fill(d.wideValue("v"))));
        ops.add(t("zero", d -> d.tensor("x").zero(), "fill"));
        ops.add(t("addInPlace", d -> {
            Tensor x = d.tensor("x");
            return x.addInPlace(d.tensor("other", d.related(x.shape())));
        }));
        ops.add(t("addInPlace(alpha)", d -> {
            Tensor x = d.tensor("x");
            return x.addInPlace(d.tensor("other", d.related(x.shape())), d.value("alpha"));
        }));
        ops.add(t("mulInPlace(float)", d -> d.tensor("x").mulInPlace(d.value("v"))));
        ops.add(t("mulInPlace", d -> {
            Tensor x = d.tensor("x");
            return x.mulInPlace(d.tensor("other", d.related(x.shape())));
        }));

        // ---- reductions
        ops.add(unaryTwin("sum", Tensor::sum, Variable::sum));
        ops.add(twin("sum(dim)", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            return both(() -> x.sum(dim), () -> p(x).sum(dim));
        }));
        ops.add(twin("sum(dims, keepDim)", d -> {
            Tensor x = d.tensor("x");
            int[] dims = d.dimsOrNull("dims", x.dim());
            boolean keep = d.flag("keepDim");
            return both(() -> x.sum(dims, keep), () -> p(x).sum(dims, keep));
        }));
        ops.add(unaryTwin("mean", Tensor::mean, Variable::mean));
        ops.add(twin("mean(dim)", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            return both(() -> x.mean(dim), () -> p(x).mean(dim));
        }));
        ops.add(twin("mean(dims, keepDim)", d -> {
            Tensor x = d.tensor("x");
            int[] dims = d.dimsOrNull("dims", x.dim());
            boolean keep = d.flag("keepDim");
            return both(() -> x.mean(dims, keep), () -> p(x).mean(dims, keep));
        }));
        ops.add(unaryTwin("max", Tensor::max, Variable::max));
        ops.add(unaryTwin("min", Tensor::min, Variable::min));
        ops.add(twin("max(dim, keepDim)", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            boolean keep = d.flag("keepDim");
            return both(() -> x.max(dim, keep), () -> p(x).max(dim, keep));
        }, "max"));
        ops.add(twin("max(dim)", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            return both(() -> x.max(dim), () -> p(x).max(dim));
        }, "max"));
        ops.add(twin("min(dim, keepDim)", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            boolean keep = d.flag("keepDim");
            return both(() -> x.min(dim, keep), () -> p(x).min(dim, keep));
        }, "min"));
        ops.add(twin("min(dim)", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            return both(() -> x.min(dim), () -> p(x).min(dim));
        }, "min"));
        ops.add(twin("amax", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            boolean keep = d.flag("keepDim");
            return both(() -> x.amax(dim, keep), () -> p(x).amax(dim, keep));
        }, "max"));
        ops.add(twin("amin", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            boolean keep = d.flag("keepDim");
            return both(() -> x.amin(dim, keep), () -> p(x).amin(dim, keep));
        }, "min"));
        ops.add(t("argmax()", d -> d.tensor("x").argmax()));
        ops.add(t("argmin()", d -> d.tensor("x").argmin()));
        ops.add(t("argmax", d -> {
            Tensor x = d.tensor("x");
            return x.argmax(d.dim("dim", x.dim()), d.flag("keepDim"));
        }));
        ops.add(t("argmin", d -> {
            Tensor x = d.tensor("x");
            return x.argmin(d.dim("dim", x.dim()), d.flag("keepDim"));
        }));
        ops.add(twin("topk", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            int k = d.k("k", d.sizeAlong(x, dim));
            boolean largest = d.flag("largest");
            return both(() -> x.topk(k, dim, largest), () -> p(x).topk(k, dim, largest));
        }));
        ops.add(t("topk(k)", d -> {
            Tensor x = d.tensor("x");
            return x.topk(d.k("k", d.sizeAlong(x, -1)));
        }));
        ops.add(twin("sort", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            boolean descending = d.flag("descending");
            return both(() -> x.sort(dim, descending), () -> p(x).sort(dim, descending));
        }));
        ops.add(t("argsort", d -> {
            Tensor x = d.tensor("x");
            return x.argsort(d.dim("dim", x.dim()), d.flag("descending"));
        }, "sort"));
        ops.add(t("any", d -> d.tensor("x").any()));
        ops.add(t("all", d -> d.tensor("x").all()));
        ops.add(t("var()", d -> d.tensor("x").var()));
        ops.add(t("std()", d -> d.tensor("x").std(), "var"));
        ops.add(t("var", d -> {
            Tensor x = d.tensor("x");
            return x.var(d.dimsOrNull("dims", x.dim()), d.correction("correction"), d.flag("keepDim"));
        }));
        ops.add(t("std", d -> {
            Tensor x = d.tensor("x");
            return x.std(d.dimsOrNull("dims", x.dim()), d.correction("correction"), d.flag("keepDim"));
        }, "var"));
        ops.add(twin("logSumExp", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            boolean keep = d.flag("keepDim");
            return both(() -> x.logSumExp(dim, keep), () -> p(x).logSumExp(dim, keep));
        }));
        ops.add(twin("softmax", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            return both(() -> x.softmax(dim), () -> p(x).softmax(dim));
        }));
        ops.add(twin("logSoftmax", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            return both(() -> x.logSoftmax(dim), () -> p(x).logSoftmax(dim));
        }));

        // ---- matmul, joining, indexing
        ops.add(twin("matmul", d -> {
            Tensor[] ab = d.matmulOperands();
            return both(() -> ab[0].matmul(ab[1]), () -> p(ab[0]).matmul(p(ab[1])));
        }));
        ops.add(t("matmul(static)", d -> {
            Tensor[] ab = d.matmulOperands();
            return Tensor.matmul(ab[0], ab[1]);
        }, "matmul"));
        ops.add(twin("concat", d -> {
            int dim = d.plain("dim", -3, 3);
            Tensor[] parts = d.joinable("parts", dim, false);
            return both(() -> Tensor.concat(dim, parts), () -> Variable.concat(dim, params(parts)));
        }));
        ops.add(twin("stack", d -> {
            int dim = d.plain("dim", -3, 3);
            Tensor[] parts = d.joinable("parts", dim, true);
            return both(() -> Tensor.stack(dim, parts), () -> Variable.stack(dim, params(parts)));
        }));
        ops.add(twin("indexSelect", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            int[] idx = d.indexList("indices", d.sizeAlong(x, dim));
            return both(() -> x.indexSelect(dim, idx), () -> p(x).indexSelect(dim, idx));
        }));
        ops.add(t("indexAdd", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            int[] idx = d.indexList("indices", d.sizeAlong(x, dim));
            int[] srcShape = x.shape();
            if (srcShape.length > 0 && dim >= -srcShape.length && dim < srcShape.length) {
                srcShape[dim < 0 ? dim + srcShape.length : dim] = idx.length;
            }
            return x.indexAdd(dim, idx, d.tensor("src", d.chance(0.7) ? srcShape : d.shape()));
        }));
        ops.add(twin("gather", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            Tensor index = d.gatherIndex("index", x.shape(), dim);
            return both(() -> x.gather(dim, index), () -> p(x).gather(dim, index));
        }));
        ops.add(t("scatterAdd", d -> {
            Tensor x = d.tensor("x");
            int dim = d.dim("dim", x.dim());
            Tensor index = d.gatherIndex("index", x.shape(), dim);
            return x.scatterAdd(dim, index, d.tensor("src", d.chance(0.8) ? index.shape() : d.shape()));
        }));

        // ---- Variable only
        ops.add(v("of", d -> Variable.of(d.tensor("x"))));
        ops.add(v("of(requiresGrad)", d -> Variable.of(d.tensor("x"), d.flag("requiresGrad"))));
        ops.add(v("parameter", d -> Variable.parameter(d.tensor("x"))));
        ops.add(v("data", d -> p(d.tensor("x")).data()));
        ops.add(v("grad", d -> p(d.tensor("x")).grad()));
        ops.add(v("setGrad", d -> {
            Tensor x = d.tensor("x");
            Variable v = p(x);
            v.setGrad(d.chance(0.2) ? null : d.tensor("g", d.related(x.shape())));
            if (v.requiresGrad() && d.chance(0.5)) {
                v.mul(2f).sum().backward(); // accumulates into the gradient just set
            }
            return v.grad();
        }));
        ops.add(v("zeroGrad", d -> {
            Variable v = p(d.tensor("x"));
            v.zeroGrad();
            return v;
        }));
        ops.add(v("requiresGrad", d -> p(d.tensor("x")).requiresGrad()));
        ops.add(v("requiresGrad(boolean)", d -> {
            Variable v = d.chance(0.5) ? p(d.tensor("x")) : p(d.tensor("x")).exp();
            return v.requiresGrad(d.flag("requires"));
        }));
        ops.add(v("isLeaf", d -> p(d.tensor("x")).exp().isLeaf()));
        ops.add(v("gradFn", d -> p(d.tensor("x")).exp().gradFn()));
        ops.add(v("retainGrad", d -> {
            Variable y = p(d.tensor("x")).exp();
            y.retainGrad();
            return y;
        }));
        ops.add(v("detach", d -> p(d.tensor("x")).exp().detach()));
        ops.add(v("shape", d -> p(d.tensor("x")).shape()));
        ops.add(v("toString", d -> p(d.tensor("x")).exp().toString()));
        ops.add(v("backward()", d -> {
            Tensor t = d.tensor("x");
            Variable x = Variable.of(t, d.flag("requiresGrad") && t.dtype().isFloatingPoint());
            Variable y = d.chance(0.5) ? x.mul(2f) : x;
            y.backward();
            return x.grad();
        }));
        ops.add(v("backward(gradient)", d -> {
            Tensor x = d.tensor("x");
            Variable v = p(x);
            Variable y = v.mul(2f);
            y.backward(d.tensor("gradient", d.related(x.shape())));
            return v.grad();
        }));
        ops.add(v("backward(gradient, retainGraph)", d -> {
            Tensor x = d.tensor("x");
            Variable v = p(x);
            Variable y = v.exp();
            boolean retain = d.flag("retainGraph");
            Tensor g = d.tensor("gradient", d.chance(0.8) ? x.shape() : d.shape());
            y.backward(g, retain);
            y.backward(g, d.flag("retainAgain")); // a second call: fine when retained, a clear error when freed
            return v.grad();
        }));

        // GradCheck of a small function: its messages, or those of the ops the function calls
        ops.add(op("GradCheck", "checkFloat64", d -> gradCheck(d, true), "GradCheck", "exp", "tanh", "mul", "matmul",
                "softmax"));
        ops.add(op("GradCheck", "check", d -> gradCheck(d, false), "GradCheck", "exp", "tanh", "mul", "matmul",
                "softmax"));

        // ---- NeuralOps
        ops.add(nn("linear", d -> {
            Tensor[] xwb = d.linearOperands();
            return NeuralOps.linear(p(xwb[0]), p(xwb[1]), xwb[2] == null ? null : p(xwb[2]));
        }, "matmul"));
        ops.add(nn("conv2d", d -> {
            Conv2dSpec spec = d.convSpec("spec");
            Tensor[] xwb = d.convOperands(spec);
            return NeuralOps.conv2d(p(xwb[0]), p(xwb[1]), xwb[2] == null ? null : p(xwb[2]), spec);
        }));
        ops.add(nn("convTranspose2d", d -> {
            Conv2dSpec spec = d.convSpec("spec");
            Tensor w = d.convOperands(spec)[1];                 // a convolution's weight serves as [Cin, Cout/g, k, k]
            Tensor x = d.tensor("x", d.chance(0.85) && w.dim() == 4
                    ? new int[] {d.plain("N", 0, 3), w.size(0), d.plain("H", 0, 5), d.plain("W", 0, 5)} : d.shape());
            int outPad = d.plain("outputPadding", -1, 2);
            Tensor b = d.chance(0.5) ? null
                    : d.tensor("bias", d.chance(0.85) && w.dim() == 4 ? new int[] {w.size(1) * spec.groups()} : d.shape());
            return NeuralOps.convTranspose2d(p(x), p(w), b == null ? null : p(b), spec, outPad, outPad);
        }));
        ops.add(nn("scaledDotProductAttention", d -> {
            int[] batch = Arrays.copyOf(d.shape(), d.plain("batchDims", 0, 2));
            int tq = d.plain("Tq", 0, 4), tk = d.plain("Tk", 0, 4), dk = d.plain("D", 0, 4), dv = d.plain("Dv", 0, 4);
            Tensor q = d.tensor("q", d.chance(0.85) ? d.append(batch, tq, dk) : d.shape());
            Tensor k = d.tensor("k", d.chance(0.85) ? d.append(batch, tk, dk) : d.shape());
            Tensor v = d.tensor("v", d.chance(0.85) ? d.append(batch, tk, dv) : d.shape());
            Tensor mask = d.chance(0.5) ? null : d.tensor("mask", d.chance(0.8) ? new int[] {tq, tk} : d.shape());
            double dropout = d.pick("dropout", 0.0, 0.0, 0.1, 0.5, 1.0, -0.1, Double.NaN);
            Rng rng = d.chance(0.9) ? new Rng(d.seed()) : null;
            return NeuralOps.scaledDotProductAttention(p(q), p(k), p(v), mask, d.flag("causal"), dropout, rng);
        }));
        ops.add(nn("upsample", d -> NeuralOps.upsample(p(d.image("x")), d.plain("oh", -1, 6), d.plain("ow", -1, 6),
                d.flag("bilinear"), d.flag("alignCorners"))));
        ops.add(nn("maxPool2d", d -> NeuralOps.maxPool2d(p(d.image("x")), d.poolSpec("spec"))));
        ops.add(nn("maxPool2d(kernel)", d -> NeuralOps.maxPool2d(p(d.image("x")), d.kernel("kernel")), "Pool2dSpec"));
        ops.add(nn("avgPool2d", d -> NeuralOps.avgPool2d(p(d.image("x")), d.poolSpec("spec"))));
        ops.add(nn("avgPool2d(kernel)", d -> NeuralOps.avgPool2d(p(d.image("x")), d.kernel("kernel")), "Pool2dSpec"));
        ops.add(nn("adaptiveAvgPool2d", d -> NeuralOps.adaptiveAvgPool2d(p(d.image("x")),
                d.plain("oh", -1, 4), d.plain("ow", -1, 4))));
        ops.add(nn("batchNorm", d -> {
            Tensor x = d.tensor("x", d.chance(0.75) ? d.batchShape() : d.shape());
            int c = x.dim() >= 2 ? x.size(1) : d.plain("c", 0, 3);
            boolean stats = d.chance(0.8);
            Tensor mean = stats ? d.channelTensor("runningMean", c) : null;
            Tensor var = stats || d.chance(0.1) ? nonNegative(d.channelTensor("runningVar", c)) : null;
            Tensor w = d.chance(0.6) ? d.channelTensor("weight", c) : null;
            Tensor b = d.chance(0.6) ? d.channelTensor("bias", c) : null;
            return NeuralOps.batchNorm(p(x), mean, var, w == null ? null : p(w), b == null ? null : p(b),
                    d.flag("training"), d.chance(0.85) ? d.pick("momentum", 0.1f, 0f, 1f, 0.5f) : d.pick("momentum", -0.5f, 1.5f, Float.NaN),
                    d.chance(0.85) ? d.pick("eps", 1e-5f, 1e-3f, 0.1f) : d.pick("eps", 0f, -1f, Float.NaN));
        }));
        ops.add(nn("crossEntropy", d -> {
            Tensor logits = d.tensor("logits", d.chance(0.75) ? new int[] {d.plain("N", 0, 5), d.plain("C", 0, 5)} : d.shape());
            int n = logits.dim() > 0 ? logits.size(0) : 1, c = logits.dim() > 1 ? logits.size(1) : 1;
            Tensor targets = d.labels("targets", d.chance(0.8) ? new int[] {n} : d.shape(), c);
            return NeuralOps.crossEntropy(p(logits), targets);
        }));
        ops.add(nn("crossEntropy(options)", d -> {
            Tensor logits = d.tensor("logits", d.chance(0.75) ? new int[] {d.plain("N", 0, 5), d.plain("C", 0, 5)} : d.shape());
            int n = logits.dim() > 0 ? logits.size(0) : 1, c = logits.dim() > 1 ? logits.size(1) : 1;
            Tensor targets = d.labels("targets", d.chance(0.8) ? new int[] {n} : d.shape(), c);
            Tensor weights = d.chance(0.4) ? null
                    : nonNegative(d.tensor("classWeights", d.chance(0.8) ? new int[] {c} : d.shape()));
            CrossEntropy.Options options = new CrossEntropy.Options(
                    d.pick("reduction", Reduction.MEAN, Reduction.SUM, Reduction.NONE), weights,
                    d.pick("ignoreIndex", -100, 0, 1, -1), d.pick("labelSmoothing", 0f, 0.1f, 0.5f, 0.99f));
            return NeuralOps.crossEntropy(p(logits), targets, options);
        }, "crossEntropy"));
        ops.add(nn("dropout", d -> NeuralOps.dropout(p(d.tensor("x")), d.probability("p"), new Rng(d.seed()),
                d.flag("training"))));

        // ---- the core kernels' public entry points, backward ones included, called directly
        ops.add(op("Convolution", "conv2d", d -> {
            Conv2dSpec spec = d.convSpec("spec");
            Tensor[] xwb = d.convOperands(spec);
            return Convolution.conv2d(xwb[0], xwb[1], xwb[2], spec);
        }));
        ops.add(op("Convolution", "conv2dBackwardInput", d -> {
            Conv2dSpec spec = d.convSpec("spec");
            Tensor[] xwb = d.convOperands(spec);
            Tensor dy = d.tensor("gradOutput", d.outputShape(() -> Convolution.conv2d(xwb[0], xwb[1], null, spec)));
            return Convolution.conv2dBackwardInput(dy, xwb[1], d.chance(0.9) ? xwb[0].shape() : d.shapeArg("inputShape"), spec);
        }));
        ops.add(op("Convolution", "conv2dBackwardWeight", d -> {
            Conv2dSpec spec = d.convSpec("spec");
            Tensor[] xwb = d.convOperands(spec);
            Tensor dy = d.tensor("gradOutput", d.outputShape(() -> Convolution.conv2d(xwb[0], xwb[1], null, spec)));
            return Convolution.conv2dBackwardWeight(dy, xwb[0], d.chance(0.9) ? xwb[1].shape() : d.shapeArg("weightShape"), spec);
        }));
        ops.add(op("Convolution", "conv2dBackwardBias", d -> Convolution.conv2dBackwardBias(d.tensor("gradOutput",
                d.chance(0.7) ? new int[] {d.plain("N", 0, 3), d.plain("OC", 0, 3), d.plain("OH", 0, 3), d.plain("OW", 0, 3)}
                        : d.shape()))));
        ops.add(op("Pooling", "maxPool2d", d -> Pooling.maxPool2d(d.image("x"), d.poolSpec("spec")).output()));
        ops.add(op("Pooling", "maxPool2dBackward", d -> {
            Tensor x = d.image("x");
            Pool2dSpec spec = d.poolSpec("spec");
            int[] argmax;
            Tensor dy;
            try {
                Pooling.MaxPoolResult r = Pooling.maxPool2d(x, spec);
                argmax = r.argmax().clone();
                dy = d.tensor("gradOutput", d.chance(0.85) ? r.output().shape() : d.shape());
            } catch (IllegalArgumentException e) {
                argmax = new int[d.plain("positions", 0, 6)];
                dy = d.tensor("gradOutput");
            }
            if (argmax.length > 0 && d.chance(0.2)) {
                int at = d.plain("tampered", 0, argmax.length - 1);
                argmax[at] = d.pick("position", -2, Integer.MAX_VALUE, Integer.MIN_VALUE, x.numel());
            }
            return Pooling.maxPool2dBackward(dy, argmax, d.chance(0.9) ? x.shape() : d.shapeArg("inputShape"));
        }));
        ops.add(op("Pooling", "avgPool2d", d -> Pooling.avgPool2d(d.image("x"), d.poolSpec("spec"))));
        ops.add(op("Pooling", "avgPool2dBackward", d -> {
            Tensor x = d.image("x");
            Pool2dSpec spec = d.poolSpec("spec");
            Tensor dy = d.tensor("gradOutput", d.outputShape(() -> Pooling.avgPool2d(x, spec)));
            return Pooling.avgPool2dBackward(dy, d.chance(0.9) ? x.shape() : d.shapeArg("inputShape"), spec);
        }));
        ops.add(op("Pooling", "adaptiveAvgPool2d", d -> Pooling.adaptiveAvgPool2d(d.image("x"), d.plain("oh", -1, 4),
                d.plain("ow", -1, 4))));
        ops.add(op("Pooling", "adaptiveAvgPool2dBackward", d -> {
            Tensor x = d.image("x");
            int oh = d.plain("oh", -1, 4), ow = d.plain("ow", -1, 4);
            Tensor dy = d.tensor("gradOutput", d.outputShape(() -> Pooling.adaptiveAvgPool2d(x, oh, ow)));
            return Pooling.adaptiveAvgPool2dBackward(dy, d.chance(0.9) ? x.shape() : d.shapeArg("inputShape"));
        }));
        ops.add(op("CrossEntropy", "forward", d -> {
            Tensor logits = d.tensor("logits", d.chance(0.75) ? new int[] {d.plain("N", 0, 5), d.plain("C", 0, 5)} : d.shape());
            int n = logits.dim() > 0 ? logits.size(0) : 1, c = logits.dim() > 1 ? logits.size(1) : 1;
            Tensor targets = d.labels("targets", d.chance(0.8) ? new int[] {n} : d.shape(), c);
            return CrossEntropy.forward(logits, targets, CrossEntropy.Options.DEFAULT).loss();
        }, "crossEntropy"));
        ops.add(op("CrossEntropy", "backward", d -> {
            int n = d.plain("N", 0, 4), c = d.plain("C", 1, 4);
            Reduction reduction = d.pick("reduction", Reduction.MEAN, Reduction.SUM, Reduction.NONE);
            CrossEntropy.Result saved = CrossEntropy.forward(d.tensor("logits", new int[] {n, c}),
                    d.labels("targets", new int[] {n}, c), CrossEntropy.Options.DEFAULT.withReduction(reduction));
            return CrossEntropy.backward(saved, d.tensor("gradLoss", d.chance(0.8) ? saved.loss().shape() : d.shape()));
        }, "crossEntropy"));
        return ops;
    }

    /** {@code GradCheck.checkFloat64} (or {@code check}) of a small function of one or two drawn inputs. */
    private static GradCheck.Report gradCheck(Draw d, boolean float64) {
        String f = d.pick("f", "exp", "tanh", "mul", "matmul", "softmax");
        Tensor[] in;
        GradCheck.Fn fn;
        switch (f) {
            case "mul" -> {
                Tensor a = d.tensor("a");
                in = new Tensor[] {a, d.tensor("b", d.related(a.shape()))};
                fn = v -> v[0].mul(v[1]);
            }
            case "matmul" -> {
                in = d.matmulOperands();
                fn = v -> v[0].matmul(v[1]);
            }
            case "exp" -> {
                in = new Tensor[] {d.tensor("x")};
                fn = v -> v[0].exp();
            }
            case "tanh" -> {
                in = new Tensor[] {d.tensor("x")};
                fn = v -> v[0].tanh();
            }
            default -> {
                in = new Tensor[] {d.tensor("x")};
                fn = v -> v[0].softmax(-1);
            }
        }
        return float64 ? GradCheck.checkFloat64(fn, in) : GradCheck.check(fn, in);
    }

    /** {@code t.abs()}, or {@code t} itself when it is bool (which abs refuses): a variance or a weight. */
    private static Tensor nonNegative(Tensor t) {
        return t.dtype() == DType.BOOL ? t : t.abs();
    }

    private static Variable[] params(Tensor[] ts) {
        Variable[] v = new Variable[ts.length];
        for (int i = 0; i < ts.length; i++) {
            v[i] = p(ts[i]);
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------ the run

    /** What an attempt gave: a value, or what it threw. */
    private record Outcome(Object value, Throwable thrown) {
        static Outcome of(Supplier<Object> s) {
            try {
                return new Outcome(s.get(), null);
            } catch (Throwable e) {
                return new Outcome(null, e);
            }
        }
    }

    /** Failures grouped by what went wrong where, each with its first example and how many draws hit it. */
    private static final class Failures {
        private final Map<String, String> first = new LinkedHashMap<>();
        private final Map<String, Integer> count = new LinkedHashMap<>();

        void add(Op op, Draw d, String phase, String what, Throwable e) {
            // shapes and other bracketed details vary from draw to draw: one group per kind of failure
            String kind = what.replaceAll("\\[[^\\]]*\\]", "[]").replaceAll("\\([^)]*\\)", "()");
            String key = op.name() + " | " + phase + " | " + kind + (e == null ? "" : " | " + e.getClass().getName() + " @ " + frames(e, 1));
            count.merge(key, 1, Integer::sum);
            first.computeIfAbsent(key, k -> op.name() + " [" + phase + "] " + what + "\n      draw: " + d.describe()
                    + (e == null ? "" : "\n      threw: " + e + "\n      at: " + frames(e, 3)));
        }

        boolean isEmpty() {
            return first.isEmpty();
        }

        String report() {
            StringBuilder sb = new StringBuilder();
            int i = 1;
            for (var entry : first.entrySet()) {
                int n = count.get(entry.getKey());
                sb.append(i++).append(". ").append(entry.getValue());
                if (n > 1) {
                    sb.append("\n      (").append(n - 1).append(" more draw").append(n > 2 ? "s" : "").append(" failed the same way)");
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }

    @Test
    void everyOpFailsOnlyWithDocumentedExceptionsThatNameIt() {
        List<Op> ops = ops();
        Failures failures = new Failures();
        int cases = 0, succeeded = 0;
        for (Op op : ops) {
            int ok = 0;
            for (int i = 0; i < DRAWS; i++) {
                Draw d = new Draw(SEED + 1_000_003L * op.name().hashCode() + i, i);
                cases++;
                if (run(op, d, failures)) {
                    ok++;
                }
            }
            succeeded += ok;
            if (Boolean.getBoolean("frelon.robustness.verbose")) { // how often each op's draws were valid
                System.out.printf(Locale.ROOT, "  %-40s %4d succeeded, %4d rejected%n", op.name(), ok, DRAWS - ok);
            }
        }
        System.out.printf(Locale.ROOT, "OpRobustnessTest: %d ops x %d draws = %d cases, %d succeeded, %d rejected%n",
                ops.size(), DRAWS, cases, succeeded, cases - succeeded);
        if (!failures.isEmpty()) {
            fail("Ops that failed in an undocumented way (seed " + SEED + "):\n" + failures.report());
        }
    }

    /** Runs one draw of one op; returns whether it succeeded (false when it was rejected, as documented or not). */
    private static boolean run(Op op, Draw d, Failures failures) {
        LEAVES.clear();
        try {
            return runOnce(op, d, failures);
        } finally {
            gradients(op, d, failures);
            LEAVES.clear();
        }
    }

    private static boolean runOnce(Op op, Draw d, Failures failures) {
        Outcome o = Outcome.of(() -> op.body().run(d));
        if (o.thrown() != null) {
            judge(op, d, "forward", o.thrown(), failures);
            return false;
        }
        if (!(o.value() instanceof Twin tw)) {
            readable(op, d, "forward", o.value(), failures);
            differentiate(op, d, o.value(), failures);
            return true;
        }
        Outcome onTensor = Outcome.of(tw.tensor()), onVariable = Outcome.of(tw.variable());
        readable(op, d, "Tensor", onTensor.value(), failures);
        readable(op, d, "Variable", onVariable.value(), failures);
        if (onTensor.thrown() != null) {
            judge(op, d, "Tensor", onTensor.thrown(), failures);
        }
        if (onVariable.thrown() != null) {
            judge(op, d, "Variable", onVariable.thrown(), failures);
        }
        if ((onTensor.thrown() == null) != (onVariable.thrown() == null)) {
            failures.add(op, d, "Tensor vs Variable", onTensor.thrown() == null
                    ? "Tensor succeeded (" + show(onTensor.value()) + ") but Variable threw"
                    : "Variable succeeded (" + show(onVariable.value()) + ") but Tensor threw",
                    onTensor.thrown() == null ? onVariable.thrown() : onTensor.thrown());
        } else if (onTensor.thrown() != null) {
            if (onTensor.thrown().getClass() != onVariable.thrown().getClass()) {
                failures.add(op, d, "Tensor vs Variable", "different exceptions: Tensor " + onTensor.thrown()
                        + ", Variable " + onVariable.thrown(), null);
            }
            return false;
        } else {
            Outcome diff = Outcome.of(() -> difference(onTensor.value(), onVariable.value()));
            if (diff.thrown() != null) {
                failures.add(op, d, "Tensor vs Variable", "reading the results threw", diff.thrown());
            } else if (diff.value() != null) {
                failures.add(op, d, "Tensor vs Variable", (String) diff.value(), null);
            }
        }
        if (onVariable.thrown() == null) {
            differentiate(op, d, onVariable.value(), failures);
        }
        return onTensor.thrown() == null && onVariable.thrown() == null;
    }

    /**
     * Reads every element of a tensor result (of a Variable's value, of an IndexedValues' values and indices): a
     * result must be a tensor whose shape, strides and offset stay inside its storage and whose size one tensor may
     * have.
     */
    private static void readable(Op op, Draw d, String phase, Object result, Failures failures) {
        Object r = result instanceof Variable v ? v.data() : result;
        List<Tensor> parts = r instanceof Tensor t ? List.of(t)
                : r instanceof IndexedValues<?> iv ? List.of(tensorOf(iv.values()), iv.indices()) : List.of();
        for (Tensor t : parts) {
            try {
                float[] all = t.toArray();
                if (all.length != t.numel()) {
                    failures.add(op, d, phase, "a result of shape " + Arrays.toString(t.shape()) + " holds " + all.length
                            + " elements", null);
                }
                // and in its own dtype, through the typed reads
                int typed = t.dtype().isFloatingPoint() ? t.toDoubleArray().length
                        : t.dtype() == DType.BOOL ? t.toBooleanArray().length : t.toLongArray().length;
                if (typed != t.numel()) {
                    failures.add(op, d, phase, "a " + t.dtype() + " result of shape " + Arrays.toString(t.shape())
                            + " reads as " + typed + " elements", null);
                }
            } catch (Throwable e) {
                failures.add(op, d, phase, "reading a " + t.dtype() + " result of shape " + Arrays.toString(t.shape())
                        + " threw", e);
            }
        }
        if (r instanceof IndexedValues<?> iv && iv.indices().dtype() != DType.INT64) {
            failures.add(op, d, phase, "indices of dtype " + iv.indices().dtype() + ", documented as int64", null);
        }
    }

    /**
     * After a draw, every leaf's gradient, where it has one, has the leaf's dtype and shape (a float32 input of a
     * float64 operation gets a float32 gradient, as in PyTorch) and can be read.
     */
    private static void gradients(Op op, Draw d, Failures failures) {
        for (Variable leaf : LEAVES) {
            Tensor g = leaf.grad();
            if (g == null) {
                continue;
            }
            Tensor x = leaf.data();
            if (g.dtype() != x.dtype()) {
                failures.add(op, d, "gradient", "a leaf holds a gradient of another dtype (" + x.dtype() + " leaf, "
                        + g.dtype() + " gradient)", null);
            }
            if (!Arrays.equals(g.shape(), x.shape())) {
                failures.add(op, d, "gradient", "a leaf holds a gradient of another shape (" + Arrays.toString(x.shape())
                        + " leaf, " + Arrays.toString(g.shape()) + " gradient)", null);
            }
            readable(op, d, "gradient", g, failures);
        }
    }

    /** {@code sum().backward()} of a Variable result (the values of an IndexedValues), which must succeed. */
    private static void differentiate(Op op, Draw d, Object result, Failures failures) {
        Variable y = result instanceof Variable v ? v
                : result instanceof IndexedValues<?> iv && iv.values() instanceof Variable v ? v : null;
        if (y == null || !y.requiresGrad()) {
            return;
        }
        try {
            y.sum().backward();
        } catch (Throwable e) {
            failures.add(op, d, "backward", "sum().backward() of a " + Arrays.toString(y.shape())
                    + " result threw, after the forward succeeded", e);
        }
    }

    private static final List<Class<? extends RuntimeException>> DOCUMENTED = List.of(IllegalArgumentException.class,
            IndexOutOfBoundsException.class, IllegalStateException.class, UnsupportedOperationException.class);

    private static void judge(Op op, Draw d, String phase, Throwable e, Failures failures) {
        boolean documented = DOCUMENTED.stream().anyMatch(c -> c.isInstance(e))
                && !(e instanceof ArrayIndexOutOfBoundsException) && !(e instanceof StringIndexOutOfBoundsException);
        String message = e.getMessage();
        if (!documented) {
            failures.add(op, d, phase, "undocumented exception type", e);
        } else if (message == null || message.isBlank()) {
            failures.add(op, d, phase, "exception without a message", e);
        } else if (!namesOp(message, op.names())) {
            failures.add(op, d, phase, "message names none of " + op.names(), e);
        }
    }

    /**
     * Whether the message contains one of the op's names, case-insensitively (a name of up to three letters, such as
     * {@code t} or {@code of}, only as a word followed by a colon, the project's "op: ..." form).
     */
    static boolean namesOp(String message, List<String> names) {
        String m = message.toLowerCase(Locale.ROOT);
        for (String n : names) {
            int paren = n.indexOf('(');
            String bare = (paren < 0 ? n : n.substring(0, paren)).toLowerCase(Locale.ROOT);
            if (bare.length() > 3 ? m.contains(bare) : Pattern.compile("(^|[^a-z])" + Pattern.quote(bare) + ":").matcher(m).find()) {
                return true;
            }
        }
        return false;
    }

    private static String frames(Throwable e, int n) {
        StackTraceElement[] st = e.getStackTrace();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, st.length); i++) {
            sb.append(i == 0 ? "" : " < ").append(st[i].getClassName().replace("dev.frelon.", "")).append('.')
                    .append(st[i].getMethodName()).append(':').append(st[i].getLineNumber());
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------ comparing twins

    private static String show(Object o) {
        if (o instanceof Tensor t) {
            return "shape " + Arrays.toString(t.shape());
        }
        if (o instanceof Variable v) {
            return "shape " + Arrays.toString(v.shape());
        }
        if (o instanceof IndexedValues<?> iv) {
            return "values " + show(iv.values());
        }
        return String.valueOf(o);
    }

    private static Tensor tensorOf(Object o) {
        return o instanceof Variable v ? v.data() : (Tensor) o;
    }

    /** Null when the Tensor result and the Variable result agree, else what differs. */
    private static String difference(Object onTensor, Object onVariable) {
        if (onTensor instanceof IndexedValues<?> a && onVariable instanceof IndexedValues<?> b) {
            String values = difference(a.values(), b.values());
            return values != null ? values : difference(a.indices(), b.indices());
        }
        if (onTensor instanceof Tensor || onVariable instanceof Variable) {
            return differentTensors(tensorOf(onTensor), tensorOf(onVariable));
        }
        if (onTensor instanceof Float a && onVariable instanceof Float b) {
            return a.equals(b) ? null : "Tensor gave " + a + ", Variable " + b;
        }
        return onTensor.equals(onVariable) ? null : "Tensor gave " + onTensor + ", Variable " + onVariable;
    }

    /** Same dtype, shape and values within a float rounding or two (NaN matching NaN, infinities equal). */
    private static String differentTensors(Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            return "Tensor gave dtype " + a.dtype() + ", Variable " + b.dtype();
        }
        if (!Arrays.equals(a.shape(), b.shape())) {
            return "Tensor gave shape " + Arrays.toString(a.shape()) + ", Variable " + Arrays.toString(b.shape());
        }
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            boolean same = x[i] == y[i] || Double.isNaN(x[i]) && Double.isNaN(y[i])
                    || Math.abs(x[i] - y[i]) <= 1e-5 * Math.max(Math.abs(x[i]), Math.abs(y[i])) + 1e-6;
            if (!same) {
                return "values differ at flat index " + i + ": Tensor " + x[i] + ", Variable " + y[i] + " (shape "
                        + Arrays.toString(a.shape()) + ")";
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------ drawing

    /**
     * One draw: a seeded generator and a log of everything drawn from it, which the failure report prints. Valid
     * values come most of the time, so that each op also runs on real inputs; the rest are the bad ones.
     */
    static final class Draw {
        private final SplittableRandom r;
        private final long seed;
        private final int number;
        private final List<String> log = new ArrayList<>();
        /**
         * The dtype of every operand of this draw, or null when each operand draws its own. Float32 throughout most
         * of the time (the layers' dtype, which keeps the float32 paths covered), another dtype throughout sometimes
         * (so that float64 and integer paths run on valid operands), mixed dtypes (promotion, refusals) the rest.
         */
        private final DType operands;

        Draw(long seed, int number) {
            this.r = new SplittableRandom(seed);
            this.seed = seed;
            this.number = number;
            double u = r.nextDouble();
            this.operands = u < 0.55 ? DType.FLOAT32
                    : u < 0.75 ? pickDtype(0.45, DType.FLOAT64, 0.25, DType.INT64, 0.1, DType.INT32, 0.2, DType.BOOL)
                    : null;
        }

        /** One of the dtypes, with the given weights (which add up to 1). */
        private DType pickDtype(Object... weightsAndDtypes) {
            double u = r.nextDouble(), acc = 0;
            for (int i = 0; i < weightsAndDtypes.length; i += 2) {
                acc += (Double) weightsAndDtypes[i];
                if (u < acc) {
                    return (DType) weightsAndDtypes[i + 1];
                }
            }
            return (DType) weightsAndDtypes[weightsAndDtypes.length - 1];
        }

        /** The dtype of the next operand. */
        private DType operandDtype() {
            return operands != null ? operands
                    : pickDtype(0.35, DType.FLOAT32, 0.2, DType.FLOAT64, 0.2, DType.INT64, 0.1, DType.INT32, 0.15, DType.BOOL);
        }

        /** A dtype argument (of {@code to}, {@code zeros}, {@code arange}...): any of them, bool included. */
        DType dtypeArg(String name) {
            DType[] all = DType.values();
            DType v = all[r.nextInt(all.length)];
            return note(name, v, v.toString());
        }

        String describe() {
            return "#" + number + " (seed " + seed + "L) " + String.join(", ", log);
        }

        private <T> T note(String name, T value, String shown) {
            log.add(name + "=" + shown);
            return value;
        }

        boolean chance(double p) {
            return r.nextDouble() < p;
        }

        /** A seed for an op's own {@link Rng}. */
        long seed() {
            return r.nextLong(1000);
        }

        boolean flag(String name) {
            boolean b = r.nextBoolean();
            return note(name, b, String.valueOf(b));
        }

        int plain(String name, int lo, int hi) {
            int v = r.nextInt(lo, hi + 1);
            return note(name, v, String.valueOf(v));
        }

        @SafeVarargs
        final <T> T pick(String name, T... choices) {
            T v = choices[r.nextInt(choices.length)];
            return note(name, v, String.valueOf(v));
        }

        private int dimSize() {
            double u = r.nextDouble();
            return u < 0.12 ? 0 : u < 0.34 ? 1 : r.nextInt(2, 6);
        }

        /** An operand shape: rank 0–4, dims 0–5 (not logged: the tensor drawn with it is). */
        int[] shape() {
            int[] s = new int[r.nextInt(5)];
            for (int i = 0; i < s.length; i++) {
                s[i] = dimSize();
            }
            return s;
        }

        /** A shape argument of a creation op: usually an operand shape, sometimes with a negative or huge dim. */
        int[] shapeArg(String name) {
            int[] s = shape();
            if (s.length > 0 && chance(0.25)) {
                s[r.nextInt(s.length)] = badSize();
            }
            return note(name, s, Arrays.toString(s));
        }

        private int badSize() {
            return switch (r.nextInt(5)) {
                case 0 -> -1;
                case 1 -> -3;
                case 2 -> Integer.MIN_VALUE;
                case 3 -> Integer.MAX_VALUE;
                default -> 1 << 16;
            };
        }

        /** A size or count: 0–6, sometimes negative or past every limit. */
        int count(String name) {
            int v = chance(0.8) ? r.nextInt(7) : switch (r.nextInt(3)) {
                case 0 -> -1;
                case 1 -> Integer.MIN_VALUE;
                default -> Integer.MAX_VALUE;
            };
            return note(name, v, String.valueOf(v));
        }

        /** A slice step: mostly 1–3, sometimes 0, negative or huge. */
        int step(String name) {
            int v = chance(0.8) ? r.nextInt(1, 4) : pickInt(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE);
            return note(name, v, String.valueOf(v));
        }

        private int pickInt(int... choices) {
            return choices[r.nextInt(choices.length)];
        }

        /** A dim of a tensor of this rank: mostly in range (negative ones included), sometimes out of range. */
        int dim(String name, int rank) {
            int r1 = Math.max(rank, 1);
            int v = chance(0.75) ? r.nextInt(-r1, r1)
                    : pickInt(r1, -r1 - 1, r1 + 2, Integer.MAX_VALUE, Integer.MIN_VALUE);
            return note(name, v, String.valueOf(v));
        }

        /** The size of the dim an op is about to index (0 when the dim is out of range or the tensor 0-d). */
        int sizeAlong(Tensor x, int dim) {
            int rank = x.dim();
            return rank > 0 && dim >= -rank && dim < rank ? x.shape()[dim < 0 ? dim + rank : dim] : 1;
        }

        private int indexValue(int size) {
            if (size > 0 && chance(0.75)) {
                return r.nextInt(-size, size);
            }
            return pickInt(size, -size - 1, size + 3, Integer.MAX_VALUE, Integer.MIN_VALUE, 0);
        }

        /** An index into a dim of this size: mostly in range (negative ones included), sometimes out of it. */
        int index(String name, int size) {
            int v = indexValue(size);
            return note(name, v, String.valueOf(v));
        }

        /** One index per dim of the shape (sometimes one too many or too few). */
        int[] indices(String name, int[] shape) {
            int n = chance(0.85) ? shape.length : Math.max(0, shape.length + pickInt(-1, 1));
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = indexValue(i < shape.length ? shape[i] : 1);
            }
            return note(name, idx, Arrays.toString(idx));
        }

        /** 0–4 indices into a dim of this size. */
        int[] indexList(String name, int size) {
            int[] idx = new int[r.nextInt(5)];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = indexValue(size);
            }
            return note(name, idx, Arrays.toString(idx));
        }

        /** Dims to reduce over: 0–3 of them, sometimes repeated or out of range; sometimes null (all dims). */
        int[] dimsOrNull(String name, int rank) {
            if (chance(0.15)) {
                return note(name, null, "null");
            }
            int r1 = Math.max(rank, 1);
            int[] dims = new int[r.nextInt(Math.min(r1, 3) + 1)];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = chance(0.85) ? r.nextInt(-r1, r1) : pickInt(r1, -r1 - 1, Integer.MIN_VALUE);
            }
            return note(name, dims, Arrays.toString(dims));
        }

        int correction(String name) {
            int v = pickInt(0, 1, 1, 2, -1);
            return note(name, v, String.valueOf(v));
        }

        /** A permutation of the dims, sometimes with a repeat, a wrong length or an out-of-range dim. */
        int[] permutation(String name, int rank) {
            int[] order = new int[rank];
            for (int i = 0; i < rank; i++) {
                order[i] = i;
            }
            for (int i = rank - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            for (int i = 0; i < rank; i++) {
                if (chance(0.2)) {
                    order[i] -= rank; // the same dim, counted from the end
                }
            }
            if (chance(0.2)) {
                order = Arrays.copyOf(order, Math.max(0, rank + pickInt(-1, 1)));
            } else if (rank > 0 && chance(0.15)) {
                order[r.nextInt(rank)] = pickInt(0, rank, -rank - 1, Integer.MIN_VALUE);
            }
            return note(name, order, Arrays.toString(order));
        }

        /** A float argument: mostly ordinary, sometimes 0, NaN or infinite. */
        float value(String name) {
            float v = chance(0.8) ? (float) (r.nextGaussian() * 2) : pickFloat(0f, Float.NaN, Float.POSITIVE_INFINITY,
                    Float.NEGATIVE_INFINITY, -0f);
            return note(name, v, String.valueOf(v));
        }

        /** An arange bound: small values, sometimes a tiny or zero step, NaN or infinite. */
        float bound(String name) {
            float v = chance(0.8) ? pickFloat(-3f, -1f, 0.5f, 1f, 2.5f, 4f, 6f) : pickFloat(0f, 1e-7f, Float.NaN,
                    Float.POSITIVE_INFINITY, -1e30f);
            return note(name, v, String.valueOf(v));
        }

        float probability(String name) {
            float v = pickFloat(0f, 0.25f, 0.5f, 0.9f, 1f, -0.1f, 1.5f, Float.NaN);
            return note(name, v, String.valueOf(v));
        }

        private float pickFloat(float... choices) {
            return choices[r.nextInt(choices.length)];
        }

        /** How many values to give a tensor of this shape: usually as many as it has elements, sometimes another count. */
        private int valueCount(int[] shape) {
            long n = 1;
            for (int s : shape) {
                n *= Math.max(s, 0);
            }
            return n <= 625 && chance(0.6) ? (int) n : chance(0.5) ? r.nextInt(0, 8) : pickInt(0, 1, 6, 12, 24);
        }

        /** Values for a tensor of this shape: usually as many as it has elements, sometimes another count. */
        float[] floats(String name, int[] shape) {
            float[] v = new float[valueCount(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
            }
            return note(name, v, "float[" + v.length + "]");
        }

        double[] doubles(String name, int[] shape) {
            double[] v = new double[valueCount(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = chance(0.95) ? r.nextGaussian() : wildDouble();
            }
            return note(name, v, "double[" + v.length + "]");
        }

        long[] longs(String name, int[] shape) {
            long[] v = new long[valueCount(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = chance(0.95) ? r.nextInt(-4, 5) : wildLong();
            }
            return note(name, v, "long[" + v.length + "]");
        }

        int[] ints(String name, int[] shape) {
            int[] v = new int[valueCount(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = chance(0.95) ? r.nextInt(-4, 5) : pickInt(Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 30);
            }
            return note(name, v, "int[" + v.length + "]");
        }

        boolean[] booleans(String name, int[] shape) {
            boolean[] v = new boolean[valueCount(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextBoolean();
            }
            return note(name, v, "boolean[" + v.length + "]");
        }

        /** An extreme floating value: NaN, an infinity, -0, past the int32 or int64 range, subnormal. */
        private double wildDouble() {
            return pickDouble(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e20, -1e20, 3e9,
                    1e-40);
        }

        /** An extreme int64 value: at either end of the range, past the int32 range, past 2^53. */
        private long wildLong() {
            return pickLong(Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L,
                    (1L << 53) + 1);
        }

        private double pickDouble(double... choices) {
            return choices[r.nextInt(choices.length)];
        }

        private long pickLong(long... choices) {
            return choices[r.nextInt(choices.length)];
        }

        /**
         * A double argument that may have to fit an integer dtype: whole numbers and ordinary reals mostly, sometimes
         * a fraction, NaN, an infinity or a value past the int32 or int64 range.
         */
        double wideValue(String name) {
            double v = chance(0.8) ? (chance(0.5) ? r.nextInt(-5, 6) : r.nextGaussian() * 2)
                    : pickDouble(0.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e19, -1e19,
                            0x1p31, 0x1p63, -0x1p63, 1e300);
            return note(name, v, String.valueOf(v));
        }

        /** A long argument: small mostly, sometimes at the ends of the int64 range or past the int32 one. */
        long longValue(String name) {
            long v = chance(0.8) ? r.nextInt(-5, 6) : wildLong();
            return note(name, v, v + "L");
        }

        /** A double arange bound: small, mostly whole, values; sometimes a fraction, a tiny step, NaN or a huge one. */
        double wideBound(String name) {
            double v = chance(0.8) ? pickDouble(-3, -1, 0, 1, 2, 4, 6, 0.5, 2.5)
                    : pickDouble(1e-300, Double.NaN, Double.POSITIVE_INFINITY, -1e30, 1e300, 0x1p63, 0x1p53 + 2, -0.0);
            return note(name, v, String.valueOf(v));
        }

        /** A long arange start: small mostly, sometimes at the ends of the int64 range or near those of int32. */
        long longBound(String name) {
            long v = chance(0.8) ? r.nextInt(-3, 7) : pickLong(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
                    Long.MIN_VALUE + 1, Integer.MAX_VALUE - 1L, Integer.MIN_VALUE + 1L, (1L << 53) - 1);
            return note(name, v, v + "L");
        }

        /**
         * A long arange end for this start: a few steps away from a large start (so that the values cross the int32
         * or int64 limits), or small or at an end of the int64 range. Never a span of a billion or so, which would be
         * a valid request for gigabytes rather than a bad argument.
         */
        long longEnd(String name, long start) {
            boolean small = start >= -3 && start <= 6;
            boolean extreme = start > Long.MAX_VALUE - 2 || start < Long.MIN_VALUE + 2;
            long v;
            if (!small && (!extreme || chance(0.8))) { // a start near 2^31 or 2^53 and a small end: billions of values
                long delta = r.nextInt(-4, 5);
                v = delta > 0 && start > Long.MAX_VALUE - delta ? Long.MAX_VALUE
                        : delta < 0 && start < Long.MIN_VALUE - delta ? Long.MIN_VALUE : start + delta;
            } else {
                v = chance(0.8) ? r.nextInt(-3, 7) : pickLong(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
                        Long.MIN_VALUE + 1);
            }
            return note(name, v, v + "L");
        }

        /** A long arange step: small mostly, sometimes 0 or at the ends of the range. */
        long longStep(String name) {
            long v = chance(0.8) ? pickLong(1, 1, 2, 3, -1, -2) : pickLong(0, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32);
            return note(name, v, v + "L");
        }

        /** A diagonal of tril/triu: near the main one mostly, sometimes far away or at the ends of the int range. */
        int diagonal(String name) {
            int v = chance(0.85) ? r.nextInt(-3, 4) : pickInt(100, -100, Integer.MAX_VALUE, Integer.MIN_VALUE);
            return note(name, v, String.valueOf(v));
        }

        /** A top-k count for a dim of this size: in [0, size] mostly, sometimes negative, too large or huge. */
        int k(String name, int size) {
            int v = chance(0.8) ? r.nextInt(0, size + 1) : pickInt(-1, size + 1, Integer.MAX_VALUE, Integer.MIN_VALUE);
            return note(name, v, String.valueOf(v));
        }

        float[][] rows(String name) {
            float[][] rows = new float[r.nextInt(4)][];
            int n = r.nextInt(4);
            for (int i = 0; i < rows.length; i++) {
                rows[i] = new float[chance(0.85) ? n : r.nextInt(4)];
            }
            StringBuilder sb = new StringBuilder("{");
            for (float[] row : rows) {
                sb.append(sb.length() > 1 ? ", " : "").append(row.length);
            }
            return note(name, rows, "rows of lengths " + sb + "}");
        }

        // ---- tensors

        Tensor tensor(String name) {
            return tensor(name, shape());
        }

        /** A tensor of this shape in the draw's operand dtype ({@link #operandDtype}). */
        Tensor tensor(String name, int[] shape) {
            return tensor(name, shape, operandDtype());
        }

        /**
         * A tensor of this shape and dtype, laid out densely or as a transposed, expanded or strided view: normal values
         * (whole numbers in [-4, 4] for the integer dtypes, coin flips for bool), now and then with extreme ones.
         */
        Tensor tensor(String name, int[] shape, DType dtype) {
            boolean wild = chance(0.05);
            String[] layout = new String[1];
            Tensor t = laidOut(shape, s -> dense(s, dtype, wild), layout);
            return note(name, t, Arrays.toString(shape) + (dtype == DType.FLOAT32 ? "" : " " + dtype) + layout[0]
                    + (wild ? " with extreme values" : ""));
        }

        /**
         * A tensor of this shape made by {@code dense} (given the shape to fill), laid out densely or as a transposed,
         * expanded or strided view of what it makes; {@code layout[0]} is set to how.
         */
        private Tensor laidOut(int[] shape, java.util.function.Function<int[], Tensor> dense, String[] layout) {
            double u = r.nextDouble();
            Tensor t;
            if (u < 0.55) {
                t = dense.apply(shape);
                layout[0] = "";
            } else if (u < 0.75 && shape.length >= 2) {
                int[] rev = reversed(shape);
                int[] order = new int[shape.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = shape.length - 1 - i;
                }
                t = dense.apply(rev).permute(order);
                layout[0] = " transposed";
            } else if (u < 0.88) {
                int[] base = shape.clone();
                for (int i = 0; i < base.length; i++) {
                    if (chance(0.5)) {
                        base[i] = 1;
                    }
                }
                t = dense.apply(base).expand(shape);
                layout[0] = " expanded from " + Arrays.toString(base);
            } else {
                int[] wide = shape.length == 0 ? new int[] {2} : shape.clone();
                wide[0] = wide[0] * 2 + 1;
                Tensor w = dense.apply(wide);
                t = shape.length == 0 ? w.select(0, 1) : w.slice(0, 1, wide[0], 2);
                layout[0] = " strided";
            }
            return t;
        }

        private static int[] reversed(int[] s) {
            int[] out = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                out[i] = s[s.length - 1 - i];
            }
            return out;
        }

        private Tensor dense(int[] shape, DType dtype, boolean wild) {
            int n = 1;
            for (int s : shape) {
                n *= s;
            }
            double[] f = new double[n];
            long[] l = new long[n];
            for (int i = 0; i < n; i++) {
                boolean extreme = wild && chance(0.3);
                switch (dtype) {
                    case FLOAT32, FLOAT64 -> f[i] = extreme ? wildDouble() : r.nextGaussian();
                    case INT64 -> l[i] = extreme ? wildLong() : r.nextInt(-4, 5);
                    case INT32 -> l[i] = extreme ? pickInt(Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 30)
                            : r.nextInt(-4, 5);
                    case BOOL -> l[i] = r.nextBoolean() ? 1 : 0;
                }
            }
            return denseOf(dtype, shape, f, l);
        }

        /** A new dense tensor of this dtype and shape from values given as doubles (floating) or longs (the others). */
        private static Tensor denseOf(DType dtype, int[] shape, double[] f, long[] l) {
            if (shape.length == 0) {
                if (dtype == DType.FLOAT32) {
                    return Tensor.scalar((float) f[0]);
                }
                Tensor t = Tensor.zeros(dtype);
                if (dtype.isFloatingPoint()) {
                    t.set(f[0]);
                } else {
                    t.set(l[0]);
                }
                return t;
            }
            return switch (dtype) {
                case FLOAT32 -> {
                    float[] v = new float[f.length];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) f[i];
                    }
                    yield Tensor.of(v, shape);
                }
                case FLOAT64 -> Tensor.of(f, shape);
                case INT64 -> Tensor.of(l, shape);
                case INT32 -> {
                    int[] v = new int[l.length];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (int) l[i];
                    }
                    yield Tensor.of(v, shape);
                }
                case BOOL -> {
                    boolean[] v = new boolean[l.length];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = l[i] != 0;
                    }
                    yield Tensor.of(v, shape);
                }
            };
        }

        /** A mask of this shape: bool mostly (as where and maskedFill need), sometimes of another dtype. */
        Tensor mask(String name, int[] shape) {
            return tensor(name, shape, chance(0.85) ? DType.BOOL
                    : pickDtype(0.4, DType.FLOAT32, 0.2, DType.FLOAT64, 0.25, DType.INT64, 0.15, DType.INT32));
        }

        /**
         * A shape for a second operand: usually the same or one that broadcasts against {@code s} (leading dims dropped
         * or added, dims set to 1), sometimes a 0-d or an unrelated one.
         */
        int[] related(int[] s) {
            double u = r.nextDouble();
            if (u < 0.35) {
                return s.clone();
            }
            if (u < 0.6) {
                int drop = r.nextInt(s.length + 1);
                int[] out = Arrays.copyOfRange(s, drop, s.length);
                for (int i = 0; i < out.length; i++) {
                    if (chance(0.4)) {
                        out[i] = 1;
                    }
                }
                return out;
            }
            if (u < 0.7 && s.length < 4) {
                int[] out = new int[s.length + 1];
                out[0] = dimSize();
                System.arraycopy(s, 0, out, 1, s.length);
                return out;
            }
            if (u < 0.8) {
                return new int[0];
            }
            return shape();
        }

        /** A target shape for reshape/view: the same elements regrouped (one dim maybe -1), or something else. */
        int[] reshapeArg(String name, int[] s) {
            double u = r.nextDouble();
            int[] out;
            if (u < 0.25) {
                out = reversed(s);
            } else if (u < 0.45 && s.length >= 2) {
                int i = r.nextInt(s.length - 1);
                out = new int[s.length - 1]; // dims i and i + 1 merged
                for (int j = 0, k = 0; j < s.length; j++) {
                    if (j == i + 1) {
                        out[k - 1] *= s[j];
                    } else {
                        out[k++] = s[j];
                    }
                }
            } else if (u < 0.6) {
                out = s.clone();
                if (out.length > 0) {
                    out[r.nextInt(out.length)] = -1;
                }
            } else if (u < 0.7) {
                out = new int[] {-1};
            } else if (u < 0.8) {
                out = Arrays.copyOf(s, s.length + 1);
                out[s.length] = 1;
            } else {
                out = shape();
                if (out.length > 0 && chance(0.5)) {
                    out[r.nextInt(out.length)] = chance(0.5) ? -1 : badSize();
                }
                if (out.length > 1 && chance(0.2)) {
                    out[0] = -1;
                    out[1] = -1;
                }
            }
            return note(name, out, Arrays.toString(out));
        }

        /** A target for expand: this shape with size-1 dims stretched, leading dims added, -1s; or a bad one. */
        int[] expandArg(String name, int[] s) {
            int[] out;
            if (chance(0.75)) {
                int lead = r.nextInt(3);
                out = new int[s.length + lead];
                for (int i = 0; i < lead; i++) {
                    out[i] = dimSize();
                }
                for (int i = 0; i < s.length; i++) {
                    out[lead + i] = s[i] == 1 && chance(0.6) ? dimSize() : chance(0.2) ? -1 : s[i];
                }
            } else {
                out = shape();
                if (out.length > 0 && chance(0.4)) {
                    out[r.nextInt(out.length)] = badSize();
                }
            }
            return note(name, out, Arrays.toString(out));
        }

        /**
         * Integer-valued labels in [0, bound) of this shape, sometimes with an out-of-range, negative or fractional one;
         * float32 or int64 mostly, sometimes int32, float64 or bool (which index arguments refuse), in any layout.
         */
        Tensor labels(String name, int[] shape, int bound) {
            DType dtype = pickDtype(0.35, DType.FLOAT32, 0.35, DType.INT64, 0.15, DType.INT32, 0.08, DType.FLOAT64,
                    0.07, DType.BOOL);
            List<String> values = new ArrayList<>();
            String[] layout = new String[1];
            Tensor t = laidOut(shape, s -> {
                int n = 1;
                for (int x : s) {
                    n *= x;
                }
                double[] f = new double[n];
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    boolean ok = bound > 0 && chance(0.9);
                    switch (dtype) {
                        case FLOAT32, FLOAT64 -> f[i] = ok ? r.nextInt(bound)
                                : pickDouble(bound, -1, -100, 0.5, Double.NaN, 1e10, -0.0);
                        case INT64 -> l[i] = ok ? r.nextInt(bound) : pickLong(bound, -1, -100, 1L << 32, Long.MIN_VALUE,
                                Long.MAX_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE);
                        case INT32 -> l[i] = ok ? r.nextInt(bound) : pickInt(bound, -1, -100, Integer.MIN_VALUE,
                                Integer.MAX_VALUE);
                        case BOOL -> l[i] = r.nextBoolean() ? 1 : 0;
                    }
                    if (values.size() < 8) {
                        values.add(dtype.isFloatingPoint() ? String.valueOf(f[i]) : String.valueOf(l[i]));
                    }
                }
                return denseOf(dtype, s, f, l);
            }, layout);
            return note(name, t, Arrays.toString(shape) + " " + dtype + layout[0] + " " + values);
        }

        /** A gather/scatter index: this tensor's rank and no larger, with values mostly in range. */
        Tensor gatherIndex(String name, int[] xShape, int dim) {
            int[] s;
            if (chance(0.85)) {
                s = xShape.clone();
                for (int i = 0; i < s.length; i++) {
                    s[i] = chance(0.7) ? s[i] : chance(0.8) ? r.nextInt(s[i] + 1) : s[i] + 1;
                }
                int rank = s.length;
                if (rank > 0 && dim >= -rank && dim < rank && chance(0.5)) {
                    s[dim < 0 ? dim + rank : dim] = r.nextInt(5); // along the gathered dim any size goes
                }
            } else {
                s = shape();
            }
            int rank = xShape.length;
            int bound = rank > 0 && dim >= -rank && dim < rank ? xShape[dim < 0 ? dim + rank : dim] : 1;
            return labels(name, s, bound);
        }

        /** A [C] tensor for batchNorm's statistics and affine parameters, sometimes of another shape. */
        Tensor channelTensor(String name, int c) {
            return tensor(name, chance(0.92) ? new int[] {c} : shape()).contiguous();
        }

        /** Operands of matmul: usually compatible (inner dims equal, batch dims broadcasting), sometimes not. */
        Tensor[] matmulOperands() {
            int[] a = shape();
            int[] b;
            if (chance(0.65) && a.length > 0) {
                int k = a[a.length - 1];
                int rank = r.nextInt(1, 5);
                b = new int[rank];
                if (rank == 1) {
                    b[0] = k;
                } else {
                    b[rank - 2] = k;
                    b[rank - 1] = dimSize();
                    for (int i = 0; i < rank - 2; i++) {
                        int ai = a.length - 3 - (rank - 3 - i);
                        b[i] = ai >= 0 && ai < a.length - 2 && chance(0.8) ? (chance(0.3) ? 1 : a[ai]) : dimSize();
                    }
                }
            } else {
                b = shape();
            }
            return new Tensor[] {tensor("a", a), tensor("b", b)};
        }

        /** Parts to concat or stack along {@code dim}: matching outside it (or everywhere, to stack), or not. */
        Tensor[] joinable(String name, int dim, boolean sameShape) {
            int[] s = shape();
            Tensor[] parts = new Tensor[r.nextInt(4)];
            note(name, parts, parts.length + " parts");
            for (int i = 0; i < parts.length; i++) {
                int[] si = s.clone();
                if (!sameShape && si.length > 0 && dim >= -si.length && dim < si.length && chance(0.7)) {
                    si[dim < 0 ? dim + si.length : dim] = dimSize();
                }
                if (chance(0.1)) {
                    si = shape();
                }
                parts[i] = tensor(name + "[" + i + "]", si);
            }
            return parts;
        }

        /** x, weight and bias of linear: usually fitting, sometimes not; bias often null. */
        Tensor[] linearOperands() {
            int[] xs = shape();
            int in = xs.length > 0 ? xs[xs.length - 1] : 1, out = dimSize();
            int[] ws = chance(0.8) ? new int[] {out, in} : shape();
            Tensor x = tensor("x", xs), w = tensor("weight", ws);
            Tensor b = chance(0.4) ? null : tensor("bias", chance(0.8) ? new int[] {ws.length > 0 ? ws[0] : 1} : shape());
            if (b == null) {
                note("bias", null, "null");
            }
            return new Tensor[] {x, w, b};
        }

        /** A convolution's stride, padding, dilation and groups, all valid for the spec itself. */
        Conv2dSpec convSpec(String name) {
            Conv2dSpec s = new Conv2dSpec(r.nextInt(1, 3), r.nextInt(1, 3), r.nextInt(0, 3), r.nextInt(0, 3),
                    r.nextInt(1, 3), r.nextInt(1, 3), chance(0.7) ? 1 : r.nextInt(1, 4));
            return note(name, s, s.toString());
        }

        /** Input, weight and bias for conv2d: usually consistent with the spec's groups, sometimes not. */
        Tensor[] convOperands(Conv2dSpec spec) {
            int g = spec.groups();
            int[] xs = chance(0.85) ? new int[] {r.nextInt(0, 3), g * r.nextInt(chance(0.1) ? 0 : 1, 3), r.nextInt(0, 7),
                    r.nextInt(0, 7)} : shape();
            int c = xs.length == 4 ? xs[1] : 1;
            int oc = g * r.nextInt(chance(0.1) ? 0 : 1, 3);
            int[] ws = chance(0.85) ? new int[] {oc, chance(0.9) ? c / g : c / g + 1, r.nextInt(chance(0.1) ? 0 : 1, 4),
                    r.nextInt(1, 4)} : shape();
            Tensor x = tensor("x", xs), w = tensor("weight", ws);
            Tensor b = chance(0.4) ? null : tensor("bias", chance(0.85) ? new int[] {ws.length > 0 ? ws[0] : 1} : shape());
            if (b == null) {
                note("bias", null, "null");
            }
            return new Tensor[] {x, w, b};
        }

        /** {@code prefix} followed by {@code dims}. */
        int[] append(int[] prefix, int... dims) {
            int[] out = Arrays.copyOf(prefix, prefix.length + dims.length);
            System.arraycopy(dims, 0, out, prefix.length, dims.length);
            return out;
        }

        /** A batch: [N, C, ...] of rank 2–4, N 1–3 and C 1–3 (not logged: the tensor drawn with it is). */
        int[] batchShape() {
            int[] s = new int[r.nextInt(2, 5)];
            s[0] = r.nextInt(1, 4);
            s[1] = r.nextInt(1, 4);
            for (int i = 2; i < s.length; i++) {
                s[i] = r.nextInt(1, 4);
            }
            return s;
        }

        /** A pooling input: usually [N, C, H, W], sometimes of another rank. */
        Tensor image(String name) {
            return tensor(name, chance(0.85) ? new int[] {r.nextInt(0, 3), r.nextInt(0, 3), r.nextInt(0, 7),
                    r.nextInt(0, 7)} : shape());
        }

        /** A pooling window (valid for the spec; padding may exceed half the kernel, which the op refuses). */
        Pool2dSpec poolSpec(String name) {
            int kh = r.nextInt(1, 4), kw = r.nextInt(1, 4);
            Pool2dSpec s = new Pool2dSpec(kh, kw, r.nextInt(1, 4), r.nextInt(1, 4),
                    chance(0.8) ? r.nextInt(0, kh / 2 + 1) : r.nextInt(0, 3), chance(0.8) ? r.nextInt(0, kw / 2 + 1) : r.nextInt(0, 3),
                    chance(0.85) ? 1 : 2, chance(0.85) ? 1 : 2);
            return note(name, s, s.toString());
        }

        /** The shape a forward gives (the gradient a backward takes), or a random one when the forward fails. */
        int[] outputShape(Supplier<Tensor> forward) {
            try {
                return chance(0.85) ? forward.get().shape() : shape();
            } catch (IllegalArgumentException e) {
                return shape();
            }
        }

        /** A pooling kernel size: mostly 1–3, sometimes 0 or negative. */
        int kernel(String name) {
            int v = chance(0.85) ? r.nextInt(1, 4) : pickInt(0, -1, Integer.MIN_VALUE);
            return note(name, v, String.valueOf(v));
        }
    }
}
