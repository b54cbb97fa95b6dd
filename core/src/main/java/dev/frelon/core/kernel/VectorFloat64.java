package dev.frelon.core.kernel;

import static dev.frelon.core.kernel.VectorWidth.FMA;

import java.util.Arrays;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API float64 kernels: the SIMD twin of {@link ScalarFloat64}, loaded by {@link Kernels#choose} by name and
 * reflectively, so that the library runs without the incubator module.
 *
 * <p><b>Which results equal the plain twin's bits.</b> The elementwise ops that run in SIMD here (add, subtract,
 * multiply, divide, max, min, negate, abs, square root, square, reciprocal, relu) are exactly rounded or exact, so
 * a lane gives the bits {@link BinaryOp#apply(double, double)} or {@link UnaryOp#apply(double)} gives; every other
 * op (comparisons, {@code POW}, {@code RELU_BACKWARD}, the {@link StrictMath} transcendentals and {@code SIGN}),
 * every stride other than 0 and 1, and every tail shorter than a vector calls those definitions themselves. No
 * {@code lanewise(EXP/LOG/TANH)}: C2 computes those with a native library and the interpreter with {@code Math},
 * so their bits would change when the JIT compiles a loop. The matrix product adds each element's products in
 * increasing {@code p} with fused multiply-adds, starting from 0 (or C's old value), exactly as the plain twin's
 * {@link Math#fma} loop does, so it too gives the same bits. Only {@link #sum} and {@link #dot} add in another
 * order (documented on each), fixed by the length and the vector width.
 *
 * <p><b>Width.</b> {@link DoubleVector#SPECIES_PREFERRED}, or the width {@code -Dfrelon.vector.bits} forces on
 * every family (the shape of {@link VectorWidth#SPECIES}): 8 doubles with AVX-512, 4 with AVX2, 2 with SSE or
 * NEON.
 *
 * <p><b>Where this class runs its plain loops anyway.</b> Strips shorter than {@link VectorWidth#TINY} (a short job
 * would spend its life in Vector API code run by the interpreter and C1). On x86 without AVX ({@code -XX:UseAVX=0}),
 * max, min and square root (the JDK compiles no vector double min/max or square root there, and they run lane by
 * lane in Java: square root at 0.4× the plain loop). Relu, everywhere: a plain {@code Math.max(x, 0.0)} loop of its
 * own, which C2 vectorises by itself and which ran a few percent faster than the Vector API loop (see the comment
 * on that loop). Without a hardware FMA, the matrix product: its {@code fma} would then run through
 * {@code BigDecimal}, lane by lane, and the bits must stay those of {@link Math#fma}, so there is no cheaper
 * multiply-then-add to fall back to.
 *
 * <p><b>Workspace.</b> One set of packing buffers per thread ({@link ThreadLocal}), allocated once; a call
 * allocates nothing.
 */
public final class VectorFloat64 implements Float64Kernels {

    /** The double species, at the width every family uses (see the class comment). */
    static final VectorSpecies<Double> S = species();
    /** Doubles per vector. */
    static final int V = S.length();
    /** x86 without AVX: no vector compare or min/max for doubles (see the class comment). */
    private static final boolean SSE_ONLY = Isa.current().sseOnly();
    /**
     * 32 vector registers (AVX-512 at any width, NEON): 6 × 4-vector tiles, 24 accumulators. With 16 (AVX2, SSE),
     * 4 × 2-vector tiles: 8 accumulators, 2 B vectors and a broadcast; a larger tile spills (see {@link VectorGemm}).
     */
    private static final boolean WIDE_FILE = VectorWidth.REGISTERS >= 32;
    /** Rows of a register tile. */
    static final int MR = WIDE_FILE ? 6 : 4;
    /** Vectors per tile row. */
    private static final int NVEC = WIDE_FILE ? 4 : 2;
    /** Columns of a register tile. */
    static final int NR = NVEC * V;
    /** Depth of a packed block: a packed B strip (KC × NR doubles) of 24 to 32 KB stays in the L1 cache. */
    static final int KC = Math.max(128, Math.min(384, 4096 / NR));
    /** Rows of a packed A block: 144 × 128 or 96 × 384 doubles, about 150 to 300 KB, which stay in L2. */
    static final int MC = 24 * MR;
    /** Columns of a packed B block: 16 strips. */
    static final int NC = 16 * NR;
    /**
     * Products of fewer multiply-adds than this run the plain loop: packing costs more than it saves, and a
     * short job would run Vector API code in the interpreter and C1.
     */
    private static final long SMALL_GEMM = 2048;

    /** Per thread: packed A block, packed B block, edge tile. Grown once, reused; see the class comment. */
    private static final ThreadLocal<double[][]> WORKSPACE = ThreadLocal.withInitial(
            () -> new double[][] {new double[MC * KC], new double[KC * NC], new double[MR * NR]});
    /** Per thread: the lanes of a reduction's last vector, stored to be added in index order. */
    private static final ThreadLocal<double[]> LANES = ThreadLocal.withInitial(() -> new double[V]);

    private final ScalarFloat64 scalar = new ScalarFloat64();

    /** Creates the Vector API implementation (stateless but for per-thread scratch). */
    public VectorFloat64() {
    }

    private static VectorSpecies<Double> species() {
        // A forced width applies to every family alike; otherwise the platform's preferred one.
        return Kernels.requestedBits() > 0
                ? VectorSpecies.of(double.class, VectorShape.forBitSize(VectorWidth.SPECIES.vectorBitSize()))
                : DoubleVector.SPECIES_PREFERRED;
    }

    // ------------------------------------------------------------------------------------------ elementwise
    //
    // One small method per op, each with its three loops (both operands dense, b broadcast, a broadcast) and no
    // switch inside a loop. A shared loop with the op's switch inside ran 2 to 5 times slower than the plain twin
    // (subtract, negate and square measured 0.2-0.5× at every width): C2 did not unswitch it once several ops had
    // run through it, and the plain loop, which C2 vectorises by itself once it has inlined op.apply, then won.

    @Override
    public void binary(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                       double[] out, int outOff, int n) {
        if (n < VectorWidth.TINY || !simd(op) || aStride < 0 || aStride > 1 || bStride < 0 || bStride > 1) {
            scalar.binary(op, a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            return;
        }
        if (aStride == 0 && bStride == 0) {
            // Both operands broadcast: one value, n times.
            Arrays.fill(out, outOff, outOff + n, op.apply(a[aOff], b[bOff]));
            return;
        }
        int i = switch (op) {
            case ADD -> add(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            case SUB -> sub(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            case MUL -> mul(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            case DIV -> div(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            case MAX -> max(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            case MIN -> min(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            default -> throw new AssertionError(op + " takes the plain loop");
        };
        if (i < n) {
            scalar.binary(op, a, aOff + i * aStride, aStride, b, bOff + i * bStride, bStride, out, outOff + i, n - i);
        }
    }

    /**
     * The binary ops with a SIMD loop here: exactly rounded, so each lane equals {@code op.apply}. Max and min are
     * the Vector API's {@code MAX}/{@code MIN}, defined as {@link Math#max}/{@link Math#min} (NaN if either is NaN,
     * {@code -0.0 < 0.0}), as {@link VectorElementwise} uses them for floats.
     */
    private static boolean simd(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV -> true;
            case MAX, MIN -> !SSE_ONLY;
            default -> false;
        };
    }

    // Each binary loop below: both dense, then b broadcast, then a broadcast (the caller sent both-broadcast away).
    // The vectors done are returned; the caller finishes the tail with op.apply.

    private static int add(double[] a, int aOff, int as, double[] b, int bOff, int bs, double[] out, int oOff, int n) {
        int i = 0, bound = S.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; i < bound; i += V) {
                DoubleVector.fromArray(S, a, aOff + i).add(DoubleVector.fromArray(S, b, bOff + i)).intoArray(out, oOff + i);
            }
        } else if (bs == 0) {
            DoubleVector y = DoubleVector.broadcast(S, b[bOff]);
            for (; i < bound; i += V) {
                DoubleVector.fromArray(S, a, aOff + i).add(y).intoArray(out, oOff + i);
            }
        } else {
            DoubleVector x = DoubleVector.broadcast(S, a[aOff]);
            for (; i < bound; i += V) {
                x.add(DoubleVector.fromArray(S, b, bOff + i)).intoArray(out, oOff + i);
            }
        }
        return i;
    }

    private static int sub(double[] a, int aOff, int as, double[] b, int bOff, int bs, double[] out, int oOff, int n) {
        int i = 0, bound = S.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; i < bound; i += V) {
                DoubleVector.fromArray(S, a, aOff + i).sub(DoubleVector.fromArray(S, b, bOff + i)).intoArray(out, oOff + i);
            }
        } else if (bs == 0) {
            DoubleVector y = DoubleVector.broadcast(S, b[bOff]);
            for (; i < bound; i += V) {
                DoubleVector.fromArray(S, a, aOff + i).sub(y).intoArray(out, oOff + i);
            }
        } else {
            DoubleVector x = DoubleVector.broadcast(S, a[aOff]);
            for (; i < bound; i += V) {
                x.sub(DoubleVector.fromArray(S, b, bOff + i)).intoArray(out, oOff + i);
            }
        }
        return i;
    }

    private static int mul(double[] a, int aOff, int as, double[] b, int bOff, int bs, double[] out, int oOff, int n) {
        int i = 0, bound = S.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; i < bound; i += V) {
                DoubleVector.fromArray(S, a, aOff + i).mul(DoubleVector.fromArray(S, b, bOff + i)).intoArray(out, oOff + i);
            }
        } else if (bs == 0) {
            DoubleVector y = DoubleVector.broadcast(S, b[bOff]);
            for (; i < bound; i += V) {
                DoubleVector.fromArray(S, a, aOff + i).mul(y).intoArray(out, oOff + i);
            }
        } else {
            DoubleVector x = DoubleVector.broadcast(S, a[aOff]);
            for (; i < bound; i += V) {
                x.mul(DoubleVector.fromArray(S, b, bOff + i)).intoArray(out, oOff + i);
            }
        }
        return i;
    }

    private static int div(double[] a, int aOff, int as, double[] b, int bOff, int bs, double[] out, int oOff, int n) {
        int i = 0, bound = S.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; i < bound; i += V) {
                DoubleVector.fromArray(S, a, aOff + i).div(DoubleVector.fromArray(S, b, bOff + i)).intoArray(out, oOff + i);
            }
        } else if (bs == 0) {
            DoubleVector y = DoubleVector.broadcast(S, b[bOff]);
            for (; i < bound; i += V) {
                DoubleVector.fromArray(S, a, aOff + i).div(y).intoArray(out, oOff + i);
            }
        } else {
            DoubleVector x = DoubleVector.broadcast(S, a[aOff]);
            for (; i < bound; i += V) {
                x.div(DoubleVector.fromArray(S, b, bOff + i)).intoArray(out, oOff + i);
            }
        }
        return i;
    }

    private static int max(double[] a, int aOff, int as, double[] b, int bOff, int bs, double[] out, int oOff, int n) {
        int i = 0, bound = S.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; i < bound; i += V) {
                DoubleVector.fromArray(S, a, aOff + i).max(DoubleVector.fromArray(S, b, bOff + i)).intoArray(out, oOff + i);
            }
        } else if (bs == 0) {
            DoubleVector y = DoubleVector.broadcast(S, b[bOff]);
            for (; i < bound; i += V) {
                DoubleVector.fromArray(S, a, aOff + i).max(y).intoArray(out, oOff + i);
            }
        } else {
            DoubleVector x = DoubleVector.broadcast(S, a[aOff]);
            for (; i < bound; i += V) {
                x.max(DoubleVector.fromArray(S, b, bOff + i)).intoArray(out, oOff + i);
            }
        }
        return i;
    }

    private static int min(double[] a, int aOff, int as, double[] b, int bOff, int bs, double[] out, int oOff, int n) {
        int i = 0, bound = S.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; i < bound; i += V) {
                DoubleVector.fromArray(S, a, aOff + i).min(DoubleVector.fromArray(S, b, bOff + i)).intoArray(out, oOff + i);
            }
        } else if (bs == 0) {
            DoubleVector y = DoubleVector.broadcast(S, b[bOff]);
            for (; i < bound; i += V) {
                DoubleVector.fromArray(S, a, aOff + i).min(y).intoArray(out, oOff + i);
            }
        } else {
            DoubleVector x = DoubleVector.broadcast(S, a[aOff]);
            for (; i < bound; i += V) {
                x.min(DoubleVector.fromArray(S, b, bOff + i)).intoArray(out, oOff + i);
            }
        }
        return i;
    }

    @Override
    public void unary(UnaryOp op, double[] a, int aOff, int aStride, double[] out, int outOff, int n) {
        if (n < VectorWidth.TINY || aStride != 1 || !simd(op)) {
            scalar.unary(op, a, aOff, aStride, out, outOff, n);
            return;
        }
        int i = switch (op) {
            case NEG -> neg(a, aOff, out, outOff, n);
            case ABS -> abs(a, aOff, out, outOff, n);
            case SQRT -> sqrt(a, aOff, out, outOff, n);
            case SQUARE -> square(a, aOff, out, outOff, n);
            case RECIPROCAL -> reciprocal(a, aOff, out, outOff, n);
            case RELU -> relu(a, aOff, out, outOff, n);
            default -> throw new AssertionError(op + " takes the plain loop");
        };
        if (i < n) {
            scalar.unary(op, a, aOff + i, 1, out, outOff + i, n - i);
        }
    }

    /**
     * The unary ops with a loop of their own here: exact (negate, abs) or exactly rounded (square root, square,
     * reciprocal) Vector API loops, and relu (a plain loop C2 vectorises, see its comment). The transcendental ones
     * and {@code SIGN} keep {@link UnaryOp#apply(double)} (see the class comment).
     */
    private static boolean simd(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SQUARE, RECIPROCAL, RELU -> true;
            // Without AVX the JDK compiles no vector double square root (0.4× the plain loop).
            case SQRT -> !SSE_ONLY;
            default -> false;
        };
    }

    /** Sign flipped, as Java's {@code -x} (so {@code -0.0} for {@code 0.0}). */
    private static int neg(double[] a, int aOff, double[] out, int oOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            DoubleVector.fromArray(S, a, aOff + i).neg().intoArray(out, oOff + i);
        }
        return i;
    }

    private static int abs(double[] a, int aOff, double[] out, int oOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            DoubleVector.fromArray(S, a, aOff + i).abs().intoArray(out, oOff + i);
        }
        return i;
    }

    private static int sqrt(double[] a, int aOff, double[] out, int oOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            DoubleVector.fromArray(S, a, aOff + i).sqrt().intoArray(out, oOff + i);
        }
        return i;
    }

    private static int square(double[] a, int aOff, double[] out, int oOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            DoubleVector x = DoubleVector.fromArray(S, a, aOff + i);
            x.mul(x).intoArray(out, oOff + i);
        }
        return i;
    }

    private static int reciprocal(double[] a, int aOff, double[] out, int oOff, int n) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += V) {
            one.div(DoubleVector.fromArray(S, a, aOff + i)).intoArray(out, oOff + i);
        }
        return i;
    }

    /**
     * {@code Math.max(x, 0.0)} (NaN stays NaN, {@code -0.0} becomes {@code 0.0}) in a plain loop of its own, which
     * C2 vectorises by itself (the same vector max instructions) and whose profile no other op pollutes. The Vector
     * API loop, {@code x.max(zero)}, ran at 0.94× the plain twin at 512 bits and 0.96-0.99× at 256 and 128 on
     * 2^16 doubles (the stores' alignment, presumably, which C2's own loop adjusts in a pre-loop); this loop at
     * 1.00-1.02× everywhere. Compare and blend ({@code x ≤ 0 ? 0 : x}, the same bits) ran 10% faster at 256 and
     * 512 bits but 30 times slower at 128 bits on AVX-512 ({@code -XX:MaxVectorSize=16}), where the JDK did not
     * compile it. Without AVX C2 vectorises no double max, and this is the scalar loop.
     */
    private static int relu(double[] a, int aOff, double[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = Math.max(a[aOff + i], 0.0);
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------ reductions

    /**
     * The order of the adds, for {@code n ≥} {@link VectorWidth#TINY} (shorter runs take the plain twin's order):
     * four vector accumulators {@code acc0..acc3}, all starting at +0; each block of 4V values adds its j-th vector
     * to {@code accj}, blocks in increasing order; the whole vectors left after the last block add to
     * {@code acc0}, in order; then {@code t = (acc0 + acc1) + (acc2 + acc3)}, lane by lane; then
     * {@code s = ((t[0] + t[1]) + t[2]) + … + t[V−1]}, lanes in index order; then the last {@code n mod V} values,
     * one by one in order. Not {@code reduceLanes(ADD)}, whose order the API leaves open (and which the JIT tiers
     * do not share, see {@link LaneSum}). Four accumulators keep four add chains in flight.
     */
    @Override
    public double sum(double[] a, int off, int n) {
        if (n < VectorWidth.TINY) {
            return scalar.sum(a, off, n);
        }
        DoubleVector acc0 = DoubleVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (; i + 4 * V <= n; i += 4 * V) {
            acc0 = acc0.add(DoubleVector.fromArray(S, a, off + i));
            acc1 = acc1.add(DoubleVector.fromArray(S, a, off + i + V));
            acc2 = acc2.add(DoubleVector.fromArray(S, a, off + i + 2 * V));
            acc3 = acc3.add(DoubleVector.fromArray(S, a, off + i + 3 * V));
        }
        for (; i + V <= n; i += V) {
            acc0 = acc0.add(DoubleVector.fromArray(S, a, off + i));
        }
        double[] lanes = LANES.get();
        acc0.add(acc1).add(acc2.add(acc3)).intoArray(lanes, 0);
        double s = lanes[0];
        for (int l = 1; l < V; l++) {
            s += lanes[l];
        }
        for (; i < n; i++) {
            s += a[off + i];
        }
        return s;
    }

    /**
     * The same order as {@link #sum}, of the products: each accumulator lane adds its products with a fused
     * multiply-add ({@code acc = x·y + acc}, one rounding), the tail too; where the hardware has no FMA, a multiply
     * then an add (a vector {@code fma} would run through {@code BigDecimal} there).
     */
    @Override
    public double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        if (n < VectorWidth.TINY) {
            return scalar.dot(a, aOff, b, bOff, n);
        }
        DoubleVector acc0 = DoubleVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (; i + 4 * V <= n; i += 4 * V) {
            DoubleVector x0 = DoubleVector.fromArray(S, a, aOff + i), y0 = DoubleVector.fromArray(S, b, bOff + i);
            DoubleVector x1 = DoubleVector.fromArray(S, a, aOff + i + V), y1 = DoubleVector.fromArray(S, b, bOff + i + V);
            DoubleVector x2 = DoubleVector.fromArray(S, a, aOff + i + 2 * V);
            DoubleVector y2 = DoubleVector.fromArray(S, b, bOff + i + 2 * V);
            DoubleVector x3 = DoubleVector.fromArray(S, a, aOff + i + 3 * V);
            DoubleVector y3 = DoubleVector.fromArray(S, b, bOff + i + 3 * V);
            acc0 = FMA ? x0.fma(y0, acc0) : x0.mul(y0).add(acc0);
            acc1 = FMA ? x1.fma(y1, acc1) : x1.mul(y1).add(acc1);
            acc2 = FMA ? x2.fma(y2, acc2) : x2.mul(y2).add(acc2);
            acc3 = FMA ? x3.fma(y3, acc3) : x3.mul(y3).add(acc3);
        }
        for (; i + V <= n; i += V) {
            DoubleVector x0 = DoubleVector.fromArray(S, a, aOff + i), y0 = DoubleVector.fromArray(S, b, bOff + i);
            acc0 = FMA ? x0.fma(y0, acc0) : x0.mul(y0).add(acc0);
        }
        double[] lanes = LANES.get();
        acc0.add(acc1).add(acc2.add(acc3)).intoArray(lanes, 0);
        double s = lanes[0];
        for (int l = 1; l < V; l++) {
            s += lanes[l];
        }
        for (; i < n; i++) {
            s = FMA ? Math.fma(a[aOff + i], b[bOff + i], s) : s + a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    // ------------------------------------------------------------------------------------------ matrix product

    /**
     * Goto/BLIS-shaped, on one thread: B is packed in KC×NC blocks of NR-wide strips and A in MC×KC blocks of
     * MR-tall strips, both zero-padded, so that ragged edges run the same register tile, written through a small
     * edge tile. Each tile starts its accumulators from C (or from 0 in the first depth block when not
     * accumulating) and adds {@code A[i, p]·B[p, j]} for p in increasing order with one fused multiply-add each;
     * a depth block stores C and the next one reloads it, which rounds nothing. So every element of C sees the
     * plain twin's chain of {@link Math#fma} calls, and the same bits, whatever the blocking and the width.
     * Small products and machines without FMA take the plain twin itself; products with fewer rows than a tile
     * and dense B rows take {@link #rows}, in the plain twin's loop order.
     */
    @Override
    public void gemm(int m, int n, int k, double[] a, int aOff, int aRs, int aCs, double[] b, int bOff, int bRs,
                     int bCs, double[] c, int cOff, int cRs, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (!FMA || (long) m * n * k < SMALL_GEMM) {
            scalar.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, accumulate);
            return;
        }
        if (m < MR && bCs == 1) {
            rows(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, cRs, accumulate);
            return;
        }
        double[][] ws = WORKSPACE.get();
        double[] packA = ws[0], packB = ws[1], tile = ws[2];
        // Equal depth blocks of at most KC (256 = 2 × 128, not 3 × 100): a short last block would pay for loading
        // and storing C for few multiply-adds.
        int blocks = (k + KC - 1) / KC, kb = (k + blocks - 1) / blocks;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kb) {
                int kc = Math.min(kb, k - pc);
                boolean acc = accumulate || pc > 0;
                packB(b, bOff + pc * bRs + jc * bCs, bRs, bCs, kc, nc, packB);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(a, aOff + ic * aRs + pc * aCs, aRs, aCs, mc, kc, packA);
                    // One B strip (in L1) against every A strip of the block (in L2).
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int ct = cOff + (ic + ir) * cRs + jc + jr;
                            if (WIDE_FILE) {
                                micro6x4(kc, packA, ir * kc, packB, jr * kc, c, ct, cRs, Math.min(MR, mc - ir), cols,
                                        acc, tile);
                            } else {
                                micro4x2(kc, packA, ir * kc, packB, jr * kc, c, ct, cRs, Math.min(MR, mc - ir), cols,
                                        acc, tile);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Fewer rows than a tile, B with dense rows: the plain twin's loops (row i, then p, then j), with j in SIMD.
     * Each C element still gets its products in increasing p, by fused multiply-adds, so the bits are the twin's.
     */
    private static void rows(int m, int n, int k, double[] a, int aOff, int aRs, int aCs, double[] b, int bOff,
                             int bRs, double[] c, int cOff, int cRs, boolean accumulate) {
        int bound = S.loopBound(n);
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * cRs;
            if (!accumulate) {
                Arrays.fill(c, ci, ci + n, 0.0);
            }
            for (int p = 0; p < k; p++) {
                double aip = a[aOff + i * aRs + p * aCs];
                DoubleVector va = DoubleVector.broadcast(S, aip);
                int bp = bOff + p * bRs;
                int j = 0;
                for (; j < bound; j += V) {
                    DoubleVector.fromArray(S, b, bp + j).fma(va, DoubleVector.fromArray(S, c, ci + j))
                            .intoArray(c, ci + j);
                }
                for (; j < n; j++) {
                    c[ci + j] = Math.fma(aip, b[bp + j], c[ci + j]);
                }
            }
        }
    }

    /**
     * Packs an mc×kc block of A into MR-row strips: strip s holds, for each p, its MR values contiguously, at
     * {@code dst[s·MR·kc]}; rows past mc are zero (their results are never stored).
     */
    private static void packA(double[] a, int off, int rs, int cs, int mc, int kc, double[] dst) {
        for (int ir = 0; ir < mc; ir += MR) {
            int base = ir * kc, rows = Math.min(MR, mc - ir);
            if (rs == 1 && rows == MR) {
                // A read transposed: the MR values of one p are adjacent in memory.
                for (int p = 0; p < kc; p++) {
                    int src = off + ir + p * cs, d = base + p * MR;
                    for (int r = 0; r < MR; r++) {
                        dst[d + r] = a[src + r];
                    }
                }
            } else if (cs == 1 && rows == MR) {
                // Dense rows: MR read streams and one sequential write stream; MR is a constant, C2 unrolls.
                int s0 = off + ir * rs;
                for (int p = 0; p < kc; p++) {
                    int d = base + p * MR;
                    for (int r = 0; r < MR; r++) {
                        dst[d + r] = a[s0 + r * rs + p];
                    }
                }
            } else {
                for (int r = 0; r < MR; r++) {
                    int src = off + (ir + r) * rs;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * MR + r] = r < rows ? a[src + p * cs] : 0.0;
                    }
                }
            }
        }
    }

    /**
     * Packs a kc×nc block of B into NR-column strips: strip s holds, for each p, its NR values contiguously, at
     * {@code dst[s·NR·kc]}; columns past nc in the last strip are zero.
     */
    private static void packB(double[] b, int off, int rs, int cs, int kc, int nc, double[] dst) {
        for (int jr = 0; jr < nc; jr += NR) {
            int base = jr * kc, cols = Math.min(NR, nc - jr);
            if (cs == 1) {
                for (int p = 0; p < kc; p++) {
                    int d = base + p * NR;
                    System.arraycopy(b, off + p * rs + jr, dst, d, cols);
                    Arrays.fill(dst, d + cols, d + NR, 0.0);
                }
                continue;
            }
            // B read transposed (or strided): walk each column, dense along p when rs == 1, sixteen depths at a time
            // so that the writes, NR apart, stay within a few KB of the strip (in L1).
            for (int p0 = 0; p0 < kc; p0 += 16) {
                int p1 = Math.min(kc, p0 + 16);
                for (int j = 0; j < NR; j++) {
                    int src = off + (jr + j) * cs;
                    for (int p = p0; p < p1; p++) {
                        dst[base + p * NR + j] = j < cols ? b[src + p * rs] : 0.0;
                    }
                }
            }
        }
    }

    /** Copies the valid {@code rows × cols} corner of C into the edge tile, whose rows are {@code ld} apart. */
    private static void loadTile(double[] tile, int ld, double[] c, int cOff, int cRs, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(c, cOff + r * cRs, tile, r * ld, cols);
        }
    }

    /** Copies the valid {@code rows × cols} corner of the edge tile back into C. */
    private static void storeTile(double[] tile, int ld, double[] c, int cOff, int cRs, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tile, r * ld, c, cOff + r * cRs, cols);
        }
    }

    /**
     * One 6 × 4-vector tile of C from a packed A strip and a packed B strip: 24 accumulators, 4 B vectors and a
     * broadcast in the 32 registers. A full tile reads and writes C in place; an edge tile goes through
     * {@code tile}, so the same code runs for both. Every vector is loaded and stored in this method: one passed to
     * a helper that C2 does not inline would be boxed.
     */
    private static void micro6x4(int kc, double[] pa, int aBase, double[] pb, int bBase, double[] c, int cOff,
                                 int cRs, int rows, int cols, boolean acc, double[] tile) {
        boolean full = rows == 6 && cols == 4 * V;
        int ld = full ? cRs : 4 * V;
        if (!full && acc) {
            loadTile(tile, ld, c, cOff, cRs, rows, cols);
        }
        double[] t = full ? c : tile;
        int o0 = full ? cOff : 0, o1 = o0 + ld, o2 = o1 + ld, o3 = o2 + ld, o4 = o3 + ld, o5 = o4 + ld;
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        DoubleVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        DoubleVector c40 = z, c41 = z, c42 = z, c43 = z, c50 = z, c51 = z, c52 = z, c53 = z;
        if (acc) {
            // The chains start from C's value, not from 0 with C added at the end: that is the plain twin's order.
            c00 = DoubleVector.fromArray(S, t, o0); c01 = DoubleVector.fromArray(S, t, o0 + V);
            c02 = DoubleVector.fromArray(S, t, o0 + 2 * V); c03 = DoubleVector.fromArray(S, t, o0 + 3 * V);
            c10 = DoubleVector.fromArray(S, t, o1); c11 = DoubleVector.fromArray(S, t, o1 + V);
            c12 = DoubleVector.fromArray(S, t, o1 + 2 * V); c13 = DoubleVector.fromArray(S, t, o1 + 3 * V);
            c20 = DoubleVector.fromArray(S, t, o2); c21 = DoubleVector.fromArray(S, t, o2 + V);
            c22 = DoubleVector.fromArray(S, t, o2 + 2 * V); c23 = DoubleVector.fromArray(S, t, o2 + 3 * V);
            c30 = DoubleVector.fromArray(S, t, o3); c31 = DoubleVector.fromArray(S, t, o3 + V);
            c32 = DoubleVector.fromArray(S, t, o3 + 2 * V); c33 = DoubleVector.fromArray(S, t, o3 + 3 * V);
            c40 = DoubleVector.fromArray(S, t, o4); c41 = DoubleVector.fromArray(S, t, o4 + V);
            c42 = DoubleVector.fromArray(S, t, o4 + 2 * V); c43 = DoubleVector.fromArray(S, t, o4 + 3 * V);
            c50 = DoubleVector.fromArray(S, t, o5); c51 = DoubleVector.fromArray(S, t, o5 + V);
            c52 = DoubleVector.fromArray(S, t, o5 + 2 * V); c53 = DoubleVector.fromArray(S, t, o5 + 3 * V);
        }
        for (int p = 0; p < kc; p++) {
            // Indices linear in p, so that C2 hoists the bounds checks out of the loop.
            int ai = aBase + p * 6, bi = bBase + p * (4 * V);
            DoubleVector b0 = DoubleVector.fromArray(S, pb, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, pb, bi + V);
            DoubleVector b2 = DoubleVector.fromArray(S, pb, bi + 2 * V);
            DoubleVector b3 = DoubleVector.fromArray(S, pb, bi + 3 * V);
            DoubleVector a0 = DoubleVector.broadcast(S, pa[ai]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01); c02 = b2.fma(a0, c02); c03 = b3.fma(a0, c03);
            DoubleVector a1 = DoubleVector.broadcast(S, pa[ai + 1]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11); c12 = b2.fma(a1, c12); c13 = b3.fma(a1, c13);
            DoubleVector a2 = DoubleVector.broadcast(S, pa[ai + 2]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21); c22 = b2.fma(a2, c22); c23 = b3.fma(a2, c23);
            DoubleVector a3 = DoubleVector.broadcast(S, pa[ai + 3]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31); c32 = b2.fma(a3, c32); c33 = b3.fma(a3, c33);
            DoubleVector a4 = DoubleVector.broadcast(S, pa[ai + 4]);
            c40 = b0.fma(a4, c40); c41 = b1.fma(a4, c41); c42 = b2.fma(a4, c42); c43 = b3.fma(a4, c43);
            DoubleVector a5 = DoubleVector.broadcast(S, pa[ai + 5]);
            c50 = b0.fma(a5, c50); c51 = b1.fma(a5, c51); c52 = b2.fma(a5, c52); c53 = b3.fma(a5, c53);
        }
        c00.intoArray(t, o0); c01.intoArray(t, o0 + V); c02.intoArray(t, o0 + 2 * V); c03.intoArray(t, o0 + 3 * V);
        c10.intoArray(t, o1); c11.intoArray(t, o1 + V); c12.intoArray(t, o1 + 2 * V); c13.intoArray(t, o1 + 3 * V);
        c20.intoArray(t, o2); c21.intoArray(t, o2 + V); c22.intoArray(t, o2 + 2 * V); c23.intoArray(t, o2 + 3 * V);
        c30.intoArray(t, o3); c31.intoArray(t, o3 + V); c32.intoArray(t, o3 + 2 * V); c33.intoArray(t, o3 + 3 * V);
        c40.intoArray(t, o4); c41.intoArray(t, o4 + V); c42.intoArray(t, o4 + 2 * V); c43.intoArray(t, o4 + 3 * V);
        c50.intoArray(t, o5); c51.intoArray(t, o5 + V); c52.intoArray(t, o5 + 2 * V); c53.intoArray(t, o5 + 3 * V);
        if (!full) {
            storeTile(tile, ld, c, cOff, cRs, rows, cols);
        }
    }

    /**
     * One 4 × 2-vector tile of C, for 16 registers: 8 accumulators (the FMA latency times two pipes), 2 B vectors
     * and a broadcast. Otherwise as {@link #micro6x4}.
     */
    private static void micro4x2(int kc, double[] pa, int aBase, double[] pb, int bBase, double[] c, int cOff,
                                 int cRs, int rows, int cols, boolean acc, double[] tile) {
        boolean full = rows == 4 && cols == 2 * V;
        int ld = full ? cRs : 2 * V;
        if (!full && acc) {
            loadTile(tile, ld, c, cOff, cRs, rows, cols);
        }
        double[] t = full ? c : tile;
        int o0 = full ? cOff : 0, o1 = o0 + ld, o2 = o1 + ld, o3 = o2 + ld;
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        if (acc) {
            c00 = DoubleVector.fromArray(S, t, o0); c01 = DoubleVector.fromArray(S, t, o0 + V);
            c10 = DoubleVector.fromArray(S, t, o1); c11 = DoubleVector.fromArray(S, t, o1 + V);
            c20 = DoubleVector.fromArray(S, t, o2); c21 = DoubleVector.fromArray(S, t, o2 + V);
            c30 = DoubleVector.fromArray(S, t, o3); c31 = DoubleVector.fromArray(S, t, o3 + V);
        }
        for (int p = 0; p < kc; p++) {
            int ai = aBase + p * 4, bi = bBase + p * (2 * V);
            DoubleVector b0 = DoubleVector.fromArray(S, pb, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, pb, bi + V);
            DoubleVector a0 = DoubleVector.broadcast(S, pa[ai]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01);
            DoubleVector a1 = DoubleVector.broadcast(S, pa[ai + 1]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11);
            DoubleVector a2 = DoubleVector.broadcast(S, pa[ai + 2]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21);
            DoubleVector a3 = DoubleVector.broadcast(S, pa[ai + 3]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31);
        }
        c00.intoArray(t, o0); c01.intoArray(t, o0 + V);
        c10.intoArray(t, o1); c11.intoArray(t, o1 + V);
        c20.intoArray(t, o2); c21.intoArray(t, o2 + V);
        c30.intoArray(t, o3); c31.intoArray(t, o3 + V);
        if (!full) {
            storeTile(tile, ld, c, cOff, cRs, rows, cols);
        }
    }
}
