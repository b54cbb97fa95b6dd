package dev.frelon.core;

import dev.frelon.core.kernel.BinaryOp;
import dev.frelon.core.kernel.Float64Kernels;
import dev.frelon.core.kernel.UnaryOp;

/**
 * Elementwise operations on operands that are not both float32: PyTorch's type promotion, then the float32 or
 * float64 kernels, or plain-Java loops over integers and bools. {@link Elementwise} does the broadcasting for all
 * of them; this class decides the dtypes and supplies the strips.
 */
final class TypedElementwise {

    private TypedElementwise() {
    }

    /**
     * PyTorch's {@code result_type} for two operands: {@link DType#promote} of both, except that a 0-d operand
     * (such as a scalar) only decides the dtype when its category is higher than the other operand's. So a float32
     * tensor plus a float64 scalar stays float32, and an int64 tensor plus a float32 scalar is float32.
     */
    static DType resultType(Tensor a, Tensor b) {
        boolean za = a.shape.length == 0, zb = b.shape.length == 0;
        if (za == zb) {
            return DType.promote(a.dtype, b.dtype);
        }
        Tensor dimensioned = za ? b : a, zeroDim = za ? a : b;
        return zeroDim.dtype.category() > dimensioned.dtype.category() ? zeroDim.dtype : dimensioned.dtype;
    }

    /** {@code a kind b} after promotion: comparisons give bool; division of integers is true division (float32). */
    static Tensor binary(String op, BinaryOp kind, Tensor a, Tensor b) {
        DType promoted = resultType(a, b);
        DType common = kind == BinaryOp.DIV && !promoted.isFloatingPoint() ? DType.FLOAT32 : promoted;
        if (kind == BinaryOp.RELU_BACKWARD && !common.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": needs floating operands, got " + a.dtype + " and " + b.dtype);
        }
        if (common == DType.BOOL && (kind == BinaryOp.SUB || kind == BinaryOp.POW)) {
            throw new IllegalArgumentException(op + ": is not defined on two bool tensors (shapes "
                    + Shape.str(a.shape) + " and " + Shape.str(b.shape) + "); convert one with to(DType.INT64)");
        }
        Tensor x = Casts.to(op, a, common), y = Casts.to(op, b, common);
        DType out = kind.isComparison() ? DType.BOOL : common;
        return switch (common) {
            case FLOAT32 -> kind.isComparison()
                    ? Elementwise.broadcast(op, x, y, out, (p, po, ps, q, qo, qs, r, ro, n) -> {
                        float[] u = (float[]) p, v = (float[]) q;
                        boolean[] w = (boolean[]) r;
                        for (int i = 0; i < n; i++) {
                            w[ro + i] = kind.apply(u[po + i * ps], v[qo + i * qs]) != 0f;
                        }
                    })
                    : Elementwise.binary(op, kind, x, y);
            case FLOAT64 -> {
                Float64Kernels k = Float64Kernels.CHOSEN;
                if (!kind.isComparison()) {
                    yield Elementwise.broadcast(op, x, y, out, (p, po, ps, q, qo, qs, r, ro, n) ->
                            k.binary(kind, (double[]) p, po, ps, (double[]) q, qo, qs, (double[]) r, ro, n));
                }
                yield Elementwise.broadcast(op, x, y, out, (p, po, ps, q, qo, qs, r, ro, n) -> {
                    double[] u = (double[]) p, v = (double[]) q;
                    boolean[] w = (boolean[]) r;
                    for (int i = 0; i < n; i++) {
                        w[ro + i] = kind.apply(u[po + i * ps], v[qo + i * qs]) != 0;
                    }
                });
            }
            case INT64, INT32, BOOL -> Elementwise.broadcast(op, x, y, out, (p, po, ps, q, qo, qs, r, ro, n) -> {
                for (int i = 0; i < n; i++) {
                    long u = Elements.getLong(common, p, po + i * ps), v = Elements.getLong(common, q, qo + i * qs);
                    Elements.setLong(out, r, ro + i, integer(op, kind, u, v));
                }
            });
        };
    }

    /**
     * One integer operation: +, − and × wrap in two's complement as PyTorch's do; comparisons give 1 or 0; a
     * negative exponent is refused (PyTorch refuses a scalar one, and gives 0, 1 or −1 for a tensor of them).
     */
    private static long integer(String op, BinaryOp kind, long a, long b) {
        return switch (kind) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case POW -> power(op, a, b);
            case DIV, RELU_BACKWARD -> throw new IllegalStateException(kind + " reached the integer path");
        };
    }

    /** {@code a^b} by squaring, wrapping as repeated multiplication does. */
    private static long power(String op, long a, long b) {
        if (b < 0) {
            throw new IllegalArgumentException(op + ": integers to negative integer powers are not allowed (" + a
                    + " ^ " + b + " in an integer dtype); convert to a floating dtype first");
        }
        long result = 1, base = a;
        for (long e = b; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                result *= base;
            }
            base *= base;
        }
        return result;
    }

    /**
     * {@code kind(x)} for a tensor that is not float32: float64 through its kernels; integers keep their dtype for
     * the operations that keep integers integral (neg, abs, sign, square, relu) and become float32 for the others,
     * as in PyTorch; bool is refused by neg and otherwise treated as int64.
     */
    static Tensor unary(UnaryOp kind, Tensor x) {
        String op = kind.label();
        if (x.dtype == DType.FLOAT64) {
            Float64Kernels k = Float64Kernels.CHOSEN;
            return Elementwise.map(op, x, DType.FLOAT64,
                    (a, ao, as, out, oo, n) -> k.unary(kind, (double[]) a, ao, as, (double[]) out, oo, n));
        }
        boolean staysIntegral = switch (kind) {
            case NEG, ABS, SIGN, SQUARE, RELU -> true;
            default -> false;
        };
        if (!staysIntegral) {
            return Elementwise.unary(kind, x.to(DType.FLOAT32));
        }
        if (x.dtype == DType.BOOL) {
            // As PyTorch: the sign of a bool is itself, its square an int64; neg, abs and relu are not defined.
            return switch (kind) {
                case SIGN -> x.copy();
                case SQUARE -> unary(kind, x.to(DType.INT64));
                default -> throw new IllegalArgumentException(op + ": is not defined on a bool tensor (shape "
                        + Shape.str(x.shape) + ")" + (kind == UnaryOp.NEG ? "; use logicalNot()" : ""));
            };
        }
        DType t = x.dtype;
        return Elementwise.map(op, x, t, (a, ao, as, out, oo, n) -> {
            for (int i = 0; i < n; i++) {
                long v = Elements.getLong(t, a, ao + i * as);
                Elements.setLong(t, out, oo + i, switch (kind) {
                    case NEG -> -v;
                    case ABS -> Math.abs(v);
                    case SIGN -> Long.signum(v);
                    case SQUARE -> v * v;
                    default -> Math.max(v, 0);
                });
            }
        });
    }
}
