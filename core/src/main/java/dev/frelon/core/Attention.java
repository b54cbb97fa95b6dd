package dev.frelon.core;

import dev.frelon.core.kernel.FlopCounter;
import dev.frelon.core.kernel.GemmKernel;
import dev.frelon.core.kernel.Parallel;
import dev.frelon.core.kernel.SoftmaxKernels;

import java.util.Arrays;

/**
 * Scaled dot-product attention, fused, with PyTorch's {@code F.scaled_dot_product_attention} semantics:
 *
 * <pre>
 *   out = dropout(softmax(scale · Q·Kᵀ + mask)) · V        Q [..., Tq, D], K [..., Tk, D], V [..., Tk, Dv]
 * </pre>
 *
 * with an additive {@code mask} broadcast to {@code [..., Tq, Tk]} ({@code -inf} where a query may not look),
 * {@code causal} forbidding key j for query i when {@code j > i}, and dropout on the attention weights. The
 * {@code Tq × Tk} weights are never stored: queries go in blocks of 64 rows, keys in blocks of 64, and each block of
 * scores is folded into the output with the online softmax (a running row maximum m, a running sum ℓ of
 * {@code exp(s − m)}, the output rescaled by {@code exp(m_old − m_new)} as m grows), so memory grows linearly
 * with the sequence. The forward keeps each row's log-sum-exp {@code m + log ℓ}, from which the backward recomputes
 * each block's weights; dropout masks come from a counter-based hash of the seed and the position, so the
 * backward sees the same mask without storing it. The block products run on the GEMM kernels and the
 * exponentials on the softmax kernels; batches of (leading dims × query blocks) run in parallel on the pool.
 * A row with every key masked gives NaN, as PyTorch does.
 */
public final class Attention {
    private static final int BLOCK = 64;

    private Attention() {
    }

    /**
     * What the forward computed and what the backward needs.
     *
     * @param output {@code [..., Tq, Dv]}
     * @param logSumExp {@code [..., Tq]}: each row's log Σ exp of its scaled, masked scores
     */
    public record Result(Tensor output, Tensor logSumExp) {
    }

    /**
     * The gradients of the three inputs.
     *
     * @param q like Q
     * @param k like K
     * @param v like V
     */
    public record Gradients(Tensor q, Tensor k, Tensor v) {
    }

    /** The sizes of one call, checked. */
    private record Geometry(int batch, int tq, int tk, int d, int dv, int[] lead, int[] maskStrides, int maskOffset) {
    }

    private static Geometry geometry(Tensor q, Tensor k, Tensor v, Tensor mask) {
        String op = "scaledDotProductAttention";
        if (q.dim() < 2 || k.dim() != q.dim() || v.dim() != q.dim()) {
            throw new IllegalArgumentException(op + ": q, k and v must have the same rank, at least 2 ([..., T, D]), got "
                    + Shape.str(q.shape) + ", " + Shape.str(k.shape) + " and " + Shape.str(v.shape));
        }
        int r = q.dim();
        int[] lead = Arrays.copyOf(q.shape, r - 2);
        if (!Arrays.equals(lead, Arrays.copyOf(k.shape, r - 2)) || !Arrays.equals(lead, Arrays.copyOf(v.shape, r - 2))) {
            throw new IllegalArgumentException(op + ": q, k and v must share their leading dims, got " + Shape.str(q.shape)
                    + ", " + Shape.str(k.shape) + " and " + Shape.str(v.shape));
        }
        int tq = q.shape[r - 2], d = q.shape[r - 1], tk = k.shape[r - 2], dv = v.shape[r - 1];
        if (k.shape[r - 1] != d || v.shape[r - 2] != tk) {
            throw new IllegalArgumentException(op + ": k must be [..., Tk, " + d + "] and v [..., Tk, Dv] with the same Tk,"
                    + " got k " + Shape.str(k.shape) + " and v " + Shape.str(v.shape));
        }
        int batch = Shape.numel(op, lead);
        int[] maskStrides = null;
        int maskOffset = 0;
        if (mask != null) {
            int[] full = Arrays.copyOf(lead, r);
            full[r - 2] = tq;
            full[r - 1] = tk;
            Tensor view;
            try {
                view = mask.expand(full);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(op + ": the mask " + Shape.str(mask.shape) + " does not broadcast to "
                        + Shape.str(full), e);
            }
            maskStrides = view.strides;
            maskOffset = view.offset;
        }
        return new Geometry(batch, tq, tk, d, dv, lead, maskStrides, maskOffset);
    }

    /**
     * The mask as the kernels read it: a float32 mask is additive already; a bool mask is PyTorch's
     * {@code scaled_dot_product_attention} convention, true where a query may look, and becomes 0 there and
     * {@code -inf} elsewhere.
     */
    private static Tensor additive(Tensor mask) {
        if (mask == null || mask.dtype == DType.FLOAT32) {
            return mask;
        }
        if (mask.dtype == DType.BOOL) {
            return Tensor.where(mask, 0f, Float.NEGATIVE_INFINITY);
        }
        throw new IllegalArgumentException("scaledDotProductAttention: the mask must be bool (true where a query may"
                + " look) or an additive float32 mask, got " + mask.dtype + " of shape " + Shape.str(mask.shape));
    }

    /** Offset of mask row 0 for batch entry bh (its leading indices from bh, row-major). */
    private static int maskBase(Geometry g, int bh) {
        int off = g.maskOffset;
        for (int dim = g.lead.length - 1; dim >= 0; dim--) {
            off += (bh % g.lead[dim]) * g.maskStrides[dim];
            bh /= g.lead[dim];
        }
        return off;
    }

    /** Whether dropout keeps weight (bh, i, j): a SplitMix64 hash of the seed and the position against p. */
    static boolean keep(long seed, long bh, long i, long j, int tq, int tk, double p) {
        long z = seed + ((bh * tq + i) * tk + j + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53 >= p;
    }

    /**
     * Fills {@code s} (rows × cols, row stride cols) with the scaled, masked scores of query rows
     * {@code [i0, i0 + rows)} against key rows {@code [j0, j0 + cols)} of batch entry bh.
     */
    private static void scores(Geometry g, int bh, int i0, int rows, int j0, int cols, float[] q, int qOff, float[] k,
                               int kOff, float scale, Tensor mask, boolean causal, float[] s) {
        GemmKernel.CHOSEN.gemm(rows, cols, g.d, q, qOff + i0 * g.d, g.d, 1, k, kOff + j0 * g.d, 1, g.d, s, 0, cols, false);
        int mBase = mask == null ? 0 : maskBase(g, bh);
        int r = g.lead.length;
        for (int a = 0; a < rows; a++) {
            int row = a * cols, i = i0 + a;
            for (int b = 0; b < cols; b++) {
                float x = s[row + b] * scale;
                if (mask != null) {
                    x += mask.data[mBase + i * g.maskStrides[r] + (j0 + b) * g.maskStrides[r + 1]];
                }
                if (causal && j0 + b > i) {
                    x = Float.NEGATIVE_INFINITY;
                }
                s[row + b] = x;
            }
        }
    }

    /**
     * The forward pass.
     *
     * @param q {@code [..., Tq, D]}
     * @param k {@code [..., Tk, D]}
     * @param v {@code [..., Tk, Dv]}
     * @param givenMask additive float32, or bool (true where a query may look), broadcast to {@code [..., Tq, Tk]}, or null
     * @param causal forbid keys after the query's position
     * @param dropout the probability of dropping a weight, in [0, 1)
     * @param seed the dropout seed (ignored without dropout)
     * @param scale the score scale, usually {@code 1/√D}
     * @return the output and the rows' log-sum-exp
     * @throws IllegalArgumentException when the shapes do not fit or dropout is out of range
     */
    public static Result forward(Tensor q, Tensor k, Tensor v, Tensor givenMask, boolean causal, double dropout, long seed,
                                 float scale) {
        Elements.requireFloat32("scaledDotProductAttention", q);
        Elements.requireFloat32("scaledDotProductAttention", k);
        Elements.requireFloat32("scaledDotProductAttention", v);
        Tensor mask = additive(givenMask);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("scaledDotProductAttention: dropout must be in [0, 1), got " + dropout);
        }
        Geometry g = geometry(q, k, v, mask);
        Tensor qc = q.contiguous(), kc = k.contiguous(), vc = v.contiguous();
        int[] outShape = v.shape.clone();
        outShape[outShape.length - 2] = g.tq;
        Tensor out = Tensor.zeros(outShape), lse = Tensor.zeros(Arrays.copyOf(q.shape, q.dim() - 1));
        int qBlocks = (g.tq + BLOCK - 1) / BLOCK;
        float keepScale = (float) (1 / (1 - dropout));
        SoftmaxKernels sm = SoftmaxKernels.CHOSEN;
        FlopCounter.addGemm((long) g.batch * g.tq, g.tk, g.d + g.dv);
        Parallel.forRange(0, g.batch * qBlocks, 1, (lo, hi) -> {
            float[] s = new float[BLOCK * BLOCK], acc = new float[BLOCK * g.dv], pv = new float[BLOCK * g.dv];
            float[] m = new float[BLOCK], l = new float[BLOCK];
            for (int task = lo; task < hi; task++) {
                int bh = task / qBlocks, i0 = (task % qBlocks) * BLOCK, rows = Math.min(BLOCK, g.tq - i0);
                int qOff = qc.offset + bh * g.tq * g.d, kOff = kc.offset + bh * g.tk * g.d, vOff = vc.offset + bh * g.tk * g.dv;
                Arrays.fill(m, Float.NEGATIVE_INFINITY);
                Arrays.fill(l, 0f);
                Arrays.fill(acc, 0, rows * g.dv, 0f);
                int jEnd = causal ? Math.min(g.tk, i0 + rows) : g.tk;
                for (int j0 = 0; j0 < jEnd; j0 += BLOCK) {
                    int cols = Math.min(BLOCK, jEnd - j0);
                    scores(g, bh, i0, rows, j0, cols, qc.data, qOff, kc.data, kOff, scale, mask, causal, s);
                    for (int a = 0; a < rows; a++) {
                        int row = a * cols;
                        float blockMax = sm.max(s, row, cols), mNew = Math.max(m[a], blockMax);
                        if (mNew == Float.NEGATIVE_INFINITY) {
                            Arrays.fill(s, row, row + cols, 0f);         // nothing visible yet in this row
                            continue;
                        }
                        float rescale = m[a] == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(m[a] - mNew);
                        l[a] = l[a] * rescale + sm.expShiftSum(s, row, cols, mNew, s, row);
                        m[a] = mNew;
                        for (int c = 0; c < g.dv; c++) {
                            acc[a * g.dv + c] *= rescale;
                        }
                        if (dropout > 0) {
                            for (int b = 0; b < cols; b++) {
                                s[row + b] = keep(seed, bh, i0 + a, j0 + b, g.tq, g.tk, dropout) ? s[row + b] * keepScale : 0f;
                            }
                        }
                    }
                    GemmKernel.CHOSEN.gemm(rows, g.dv, cols, s, 0, cols, 1, vc.data, vOff + j0 * g.dv, g.dv, 1, pv, 0, g.dv, false);
                    for (int e = 0; e < rows * g.dv; e++) {
                        acc[e] += pv[e];
                    }
                }
                int oOff = (bh * g.tq + i0) * g.dv;
                for (int a = 0; a < rows; a++) {
                    float inv = 1f / l[a];
                    for (int c = 0; c < g.dv; c++) {
                        out.data[oOff + a * g.dv + c] = acc[a * g.dv + c] * inv;
                    }
                    lse.data[bh * g.tq + i0 + a] = m[a] + (float) Math.log(l[a]);
                }
            }
        });
        return new Result(out, lse);
    }

    /**
     * The backward pass: the weights of each block recomputed from the saved log-sum-exp,
     * {@code dV += Pᵀ·dO}, {@code dS = P ∘ (dO·Vᵀ − rowsum(dO ∘ O))}, {@code dQ += scale·dS·K},
     * {@code dK += scale·dSᵀ·Q} (with the dropout mask applied where the forward applied it).
     *
     * @param gradOutput {@code [..., Tq, Dv]}
     * @param q the forward's Q
     * @param k the forward's K
     * @param v the forward's V
     * @param forward the forward's result
     * @param givenMask the forward's mask, or null
     * @param causal as in the forward
     * @param dropout as in the forward
     * @param seed as in the forward
     * @param scale as in the forward
     * @return the gradients of Q, K and V
     */
    public static Gradients backward(Tensor gradOutput, Tensor q, Tensor k, Tensor v, Result forward, Tensor givenMask,
                                     boolean causal, double dropout, long seed, float scale) {
        for (Tensor t : new Tensor[] {gradOutput, q, k, v}) {
            Elements.requireFloat32("scaledDotProductAttention", t);
        }
        Tensor mask = additive(givenMask);
        Geometry g = geometry(q, k, v, mask);
        if (!Arrays.equals(gradOutput.shape, forward.output().shape)) {
            throw new IllegalArgumentException("scaledDotProductAttention backward: gradient has shape "
                    + Shape.str(gradOutput.shape) + ", expected " + Shape.str(forward.output().shape));
        }
        Tensor qc = q.contiguous(), kc = k.contiguous(), vc = v.contiguous(), dO = gradOutput.contiguous();
        Tensor o = forward.output(), lse = forward.logSumExp();
        Tensor dq = Tensor.zeros(q.shape), dk = Tensor.zeros(k.shape), dv = Tensor.zeros(v.shape);
        float keepScale = (float) (1 / (1 - dropout));
        FlopCounter.addGemm(2L * g.batch * g.tq, g.tk, g.d + g.dv);
        Parallel.forRange(0, g.batch, 1, (lo, hi) -> {
            float[] s = new float[BLOCK * BLOCK], dp = new float[BLOCK * BLOCK], delta = new float[BLOCK];
            for (int bh = lo; bh < hi; bh++) {
                int qOff = qc.offset + bh * g.tq * g.d, kOff = kc.offset + bh * g.tk * g.d, vOff = vc.offset + bh * g.tk * g.dv;
                int oOff = bh * g.tq * g.dv, gOff = dO.offset + bh * g.tq * g.dv;
                for (int i0 = 0; i0 < g.tq; i0 += BLOCK) {
                    int rows = Math.min(BLOCK, g.tq - i0);
                    for (int a = 0; a < rows; a++) {
                        double dsum = 0;
                        for (int c = 0; c < g.dv; c++) {
                            dsum += (double) dO.data[gOff + (i0 + a) * g.dv + c] * o.data[oOff + (i0 + a) * g.dv + c];
                        }
                        delta[a] = (float) dsum;
                    }
                    int jEnd = causal ? Math.min(g.tk, i0 + rows) : g.tk;
                    for (int j0 = 0; j0 < jEnd; j0 += BLOCK) {
                        int cols = Math.min(BLOCK, jEnd - j0);
                        scores(g, bh, i0, rows, j0, cols, qc.data, qOff, kc.data, kOff, scale, mask, causal, s);
                        for (int a = 0; a < rows; a++) {
                            float rowLse = lse.data[bh * g.tq + i0 + a];
                            int row = a * cols;
                            if (rowLse == Float.NEGATIVE_INFINITY || Float.isNaN(rowLse)) {
                                Arrays.fill(s, row, row + cols, 0f);     // a fully masked row passes no gradient
                            } else {
                                SoftmaxKernels.CHOSEN.expShiftSum(s, row, cols, rowLse, s, row);
                            }
                        }
                        // dP = dO·Vᵀ for the block.
                        GemmKernel.CHOSEN.gemm(rows, cols, g.dv, dO.data, gOff + i0 * g.dv, g.dv, 1, vc.data, vOff + j0 * g.dv, 1,
                                g.dv, dp, 0, cols, false);
                        for (int a = 0; a < rows; a++) {
                            int row = a * cols;
                            for (int b = 0; b < cols; b++) {
                                float p = s[row + b], grad = dp[row + b];
                                if (dropout > 0) {
                                    boolean kept = keep(seed, bh, i0 + a, j0 + b, g.tq, g.tk, dropout);
                                    grad = kept ? grad * keepScale : 0f;
                                    dp[row + b] = kept ? p * keepScale : 0f;        // the dropped weights, for dV
                                } else {
                                    dp[row + b] = p;
                                }
                                s[row + b] = p * (grad - delta[a]) * scale;          // dS, scaled
                            }
                        }
                        // dV_j += P_dropᵀ·dO_i ; dQ_i += dS·K_j ; dK_j += dSᵀ·Q_i
                        GemmKernel.CHOSEN.gemm(cols, g.dv, rows, dp, 0, 1, cols, dO.data, gOff + i0 * g.dv, g.dv, 1,
                                dv.data, bh * g.tk * g.dv + j0 * g.dv, g.dv, true);
                        GemmKernel.CHOSEN.gemm(rows, g.d, cols, s, 0, cols, 1, kc.data, kOff + j0 * g.d, g.d, 1,
                                dq.data, bh * g.tq * g.d + i0 * g.d, g.d, true);
                        GemmKernel.CHOSEN.gemm(cols, g.d, rows, s, 0, 1, cols, qc.data, qOff + i0 * g.d, g.d, 1,
                                dk.data, bh * g.tk * g.d + j0 * g.d, g.d, true);
                    }
                }
            }
        });
        return new Gradients(dq, dk, dv);
    }
}
