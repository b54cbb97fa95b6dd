package dev.frelon.core;

import dev.frelon.core.kernel.ConvolutionKernels;
import dev.frelon.core.kernel.ConvolutionKernels.Batch;
import dev.frelon.core.kernel.ConvolutionKernels.ColumnTable;
import dev.frelon.core.kernel.ConvolutionKernels.DenseRows;
import dev.frelon.core.kernel.ConvolutionKernels.RowTable;
import dev.frelon.core.kernel.ConvolutionKernels.Strided;
import dev.frelon.core.kernel.ConvolutionKernels.Sum;
import dev.frelon.core.kernel.ElementwiseKernels;
import dev.frelon.core.kernel.FlopCounter;
import dev.frelon.core.kernel.GemmKernel;
import dev.frelon.core.kernel.Kernels;
import dev.frelon.core.kernel.Parallel;

import java.util.Arrays;

/**
 * 2-d convolution (cross-correlation, as in PyTorch) by im2col + GEMM, with its two gradients.
 *
 * <p>Shapes: input {@code [N, C, H, W]}, weight {@code [OC, C/groups, KH, KW]}, bias {@code [OC]}, output
 * {@code [N, OC, OH, OW]} with {@code OH = (H + 2·padH − dilH·(KH−1) − 1) / strideH + 1} (likewise OW).
 * Stride-1 convolutions with one group (the common case) use a "wide" im2col whose rows are contiguous runs
 * of the zero-padded image, read in place by the forward and weight-gradient kernels (see the comment above
 * {@code wide}). Images run in parallel on the shared pool:
 * with one group, each thread unfolds a batch of several images side by side into a reused column buffer
 * ({@code [C·KH·KW, B·OH·OW]}, at most 256 KB so that it stays in the L2 cache) and runs one GEMM per batch;
 * with groups, one image and group at a time ({@code [C/groups·KH·KW, OH·OW]}). Workspace: per-thread arrays
 * ({@code Workspace}), grown once and reused, so a call allocates only its outputs and one partial weight
 * gradient per thread.
 */
public final class Convolution {

    /**
     * Batched im2col: with one group, several images are unfolded side by side into one {@code [C·KH·KW,
     * B·OH·OW]} buffer of up to this many floats, so that one GEMM serves B images (wider, better-shaped
     * products than one small GEMM per image).
     */
    private static final int BATCH_FLOATS = 1 << 16;
    /** Columns a batched GEMM gets at least, cache bound or not: four register tiles of 64. */
    private static final int MIN_BATCH_COLUMNS = 256;
    /** The most floats a batch's columns take to reach {@link #MIN_BATCH_COLUMNS} (or a channels-last batch its rows). */
    private static final int WIDE_BATCH_FLOATS = 1 << 20;

    /**
     * Input channels from which a stride-1 input gradient runs as a forward convolution (see
     * {@code conv2dBackwardInput}): its GEMM has one row per input channel, and a register tile has six. LeNet's
     * first layer (1 channel) is 1.15× faster through columns and fold-back; its second (6) runs equally fast
     * either way.
     */
    private static final int TRANSPOSED_MIN_CHANNELS = 6;
    /**
     * Input channels from which a strided input gradient folds channels-last (see {@code channelsLastBackwardInput}):
     * from here on a fold step is a vector addition of at least this many floats.
     */
    private static final int CHANNELS_LAST_MIN_CHANNELS = 16;
    /**
     * Output pixels up to which a strided input gradient folds channels-last. Past that, each image's product is wide
     * enough already and its channels-first fold runs long rows, and the channels-last fold's transposition costs
     * more than it saves. Input gradients of a stride-2 3×3 convolution, one thread on Zen 5 (channels-first →
     * channels-last): [32, 64, 56, 56] to 28×28, 32 → 39–47 ms; [64, 128, 28, 28] to 14×14, 70–72 → 63–66 ms;
     * a 4×4 one, [64, 64, 14, 14] to 7×7, 13.3 → 7.6–8.0 ms.
     */
    private static final int CHANNELS_LAST_MAX_PIXELS = 256;
    /**
     * Rows that a channels-last input gradient's GEMM should have at least (images are batched until it does):
     * about 50 register tiles of six rows, so that the packing of each weight block pays for itself.
     */
    private static final int CHANNELS_LAST_MIN_ROWS = 288;
    /**
     * Column rows (C·KH·KW) up to which a strided input gradient runs one product per image, reading that image's
     * output gradient where it lies, instead of gathering a batch's side by side: the GEMM reads B in place for
     * products this short, and the gather (a copy of all of dY) cost as much as the product. A DCGAN generator's last
     * layer (128 channels of 14×14 to one of 28×28, 64 images), one Zen 5 thread: 645 µs gathered, 490 per image
     * (best of 20 calls).
     */
    private static final int IN_PLACE_MAX_ROWS = 16;
    /** Output pixels from which a per-image product of {@link #IN_PLACE_MAX_ROWS} rows is wide enough unbatched. */
    private static final int IN_PLACE_MIN_PIXELS = 64;
    /**
     * Floats kept past the end of a strided fold's column gradient and of the phase planes, so that {@link
     * ConvolutionKernels#addRows} and {@link ConvolutionKernels#copyRows} run the last row's end as a whole vector
     * too: a row's end reaches at most one vector less one float past it (15 floats at 512 bits).
     */
    private static final int FOLD_SLACK = 64;
    /**
     * Output pixels from which a forward convolution off the wide path runs one product per image, written straight
     * into the output, instead of a batch's product in a buffer that is then copied out: with this many columns a
     * product per image fills its register tiles. The input gradient of a DCGAN generator's last layer ([64, 1, 28,
     * 28] by a 4×4 stride-2 kernel to 128 channels of 14×14), one Zen 5 thread: 1,180 µs batched, 950 per image.
     */
    private static final int DIRECT_MIN_PIXELS = 128;
    /** Wide rows at least this long make one weight-gradient product per image (see {@code wideBackwardWeight}). */
    private static final int LONG_RUN = 512;

    private Convolution() {
    }

    /** The validated sizes of one convolution. */
    private record Geometry(int n, int c, int h, int w, int oc, int cg, int ocg, int kh, int kw, int oh, int ow,
                            Conv2dSpec s) {
        int kk() { return cg * kh * kw; }
        int ohw() { return oh * ow; }
    }

    private static Geometry geometry(String op, int[] x, int[] wt, Conv2dSpec s) {
        if (x.length != 4) {
            throw new IllegalArgumentException(op + ": input must be [N, C, H, W], got " + Shape.str(x));
        }
        if (wt.length != 4) {
            throw new IllegalArgumentException(op + ": weight must be [OC, C/groups, KH, KW], got " + Shape.str(wt));
        }
        int g = s.groups();
        if (x[1] % g != 0 || wt[0] % g != 0) {
            throw new IllegalArgumentException(op + ": channels in (" + x[1] + ") and out (" + wt[0]
                    + ") must both be divisible by groups " + g);
        }
        if (wt[1] != x[1] / g) {
            throw new IllegalArgumentException(op + ": weight " + Shape.str(wt) + " expects " + wt[1] * g
                    + " input channels, input " + Shape.str(x) + " has " + x[1]);
        }
        if (wt[2] < 1 || wt[3] < 1) {
            throw new IllegalArgumentException(op + ": the kernel must be at least 1×1, got weight " + Shape.str(wt));
        }
        // The padded image is materialised on some paths: its size must fit a tensor, counted in long.
        Shape.count(op, (double) x[0] * x[1] * (x[2] + 2.0 * s.padH()) * (x[3] + 2.0 * s.padW()),
                "input " + Shape.str(x) + " with padding (" + s.padH() + ", " + s.padW() + ")");
        int oh = Conv2dSpec.outSize(op, x[2], wt[2], s.strideH(), s.padH(), s.dilationH());
        int ow = Conv2dSpec.outSize(op, x[3], wt[3], s.strideW(), s.padW(), s.dilationW());
        Shape.numel(op, new int[] {x[0], wt[0], oh, ow});
        return new Geometry(x[0], x[1], x[2], x[3], wt[0], x[1] / g, wt[0] / g, wt[2], wt[3], oh, ow, s);
    }

    /**
     * One thread's scratch arrays, each named for what it holds, grown when a call needs more, never shrunk, and
     * reused by every later call on that thread. Arrays that one call uses at the same time on the same thread are
     * distinct: the flipped kernel of an input gradient, made on the calling thread, stays in use while that
     * thread runs batches of the forward path with the output block, the padded input and the row table.
     */
    private static final class Workspace {
        private static final ThreadLocal<Workspace> CURRENT = ThreadLocal.withInitial(Workspace::new);

        private float[] columns = new float[0];
        private float[] outputBlock = new float[0];
        private float[] paddedInput = new float[0];
        private float[] flippedKernel = new float[0];
        private float[] reorderedKernel = new float[0];
        private float[] phasePlanes = new float[0];
        private int[] rowTable = new int[0];

        /** @return this thread's workspace */
        static Workspace current() {
            return CURRENT.get();
        }

        /**
         * The im2col columns of a batch, {@code [C·KH·KW, B·OH·OW]} (images side by side), of one image and group,
         * or of the wide grid; or the column gradient that an input gradient folds back, {@code [C·KH·KW, B·OH·OW]}
         * or, channels-last, {@code [B·OH·OW, KH·KW·C]}.
         */
        float[] columns(int size) {
            return columns = columns.length >= size ? columns : new float[size];
        }

        /**
         * A batch's outputs as one GEMM writes them, or its output gradients gathered side by side:
         * {@code [OC, B·OH·OW]}, or {@code [OC, B·OH·Wp]} on the wide grid, or transposed, {@code [B·OH·OW, OC]},
         * for a channels-last input gradient.
         */
        float[] outputBlock(int size) {
            return outputBlock = outputBlock.length >= size ? outputBlock : new float[size];
        }

        /**
         * The zero-padded images of a wide batch, {@code [B, C, Hp, Wp]} plus the floats that the row table's runs
         * read past the end; or the padded input gradient that a wide input gradient is folded into; or the
         * channels-last image {@code [H, W, C]} that a channels-last input gradient is folded into.
         */
        float[] paddedInput(int size) {
            return paddedInput = paddedInput.length >= size ? paddedInput : new float[size];
        }

        /** The flipped, channel-swapped kernel {@code [C, OC, KH, KW]} of an input gradient run as a convolution. */
        float[] flippedKernel(int size) {
            return flippedKernel = flippedKernel.length >= size ? flippedKernel : new float[size];
        }

        /** The weight {@code [OC, KH, KW, C]} of a channels-last input gradient, made on the calling thread. */
        float[] reorderedKernel(int size) {
            return reorderedKernel = reorderedKernel.length >= size ? reorderedKernel : new float[size];
        }

        /** The phase planes of one channel of a strided fold or unfold (see {@code Phases}). */
        float[] phasePlanes(int size) {
            return phasePlanes = phasePlanes.length >= size ? phasePlanes : new float[size];
        }

        /** The offsets of the wide column rows in one padded image (see {@code rowTable}). */
        int[] rowTable(int size) {
            return rowTable = rowTable.length >= size ? rowTable : new int[size];
        }
    }

    /** Images per batched GEMM (1 when batching does not apply), leaving at least one batch per thread. */
    private static int imagesPerBatch(Geometry g) {
        if (g.s.groups() != 1) {
            return 1;
        }
        int byCache = Math.max(1, BATCH_FLOATS / Math.max(1, g.kk() * g.ohw()));
        // Small images of many channels overflow the cache bound with one image, and a GEMM as narrow as one small
        // image (49 columns for 7×7) leaves its register tiles half empty: batch until the GEMM is wide enough.
        // (Within WIDE_BATCH_FLOATS: a 1×1 output of a deep kernel would otherwise batch 256 images of columns.)
        int byWidth = Math.min((MIN_BATCH_COLUMNS + g.ohw() - 1) / g.ohw(),
                WIDE_BATCH_FLOATS / Math.max(1, g.kk() * g.ohw()));
        byCache = Math.max(byCache, byWidth);
        int perThread = (g.n + Parallel.threads() - 1) / Parallel.threads();
        return Math.max(1, Math.min(byCache, perThread));
    }

    /** Copies the gradient planes of images [i0, i1) into {@code dst [OC, (i1−i0)·OH·OW]}. */
    private static void gatherBatch(float[] dy, int dyOff, Geometry g, int i0, int i1, float[] dst) {
        int ohw = g.ohw(), ld = (i1 - i0) * ohw;
        for (int img = i0; img < i1; img++) {
            for (int o = 0; o < g.oc; o++) {
                System.arraycopy(dy, dyOff + (img * g.oc + o) * ohw, dst, o * ld + (img - i0) * ohw, ohw);
            }
        }
    }

    /**
     * 2-d convolution (cross-correlation, as PyTorch's {@code F.conv2d}):
     * {@code out[n, o, i, j] = bias[o] + Σ x[n, g·C/groups + c, i·strideH − padH + dilH·p,
     * j·strideW − padW + dilW·q] · weight[o, c, p, q]}, where g is output channel o's group and the sum runs
     * over the group's input channels c in {@code [0, C/groups)} and the kernel taps (p, q), with zeros outside
     * the image. The inputs are not modified.
     *
     * @param input {@code [N, C, H, W]}
     * @param weight {@code [OC, C/groups, KH, KW]}
     * @param bias {@code [OC]}, or null
     * @param spec stride, padding, dilation, groups
     * @return {@code [N, OC, OH, OW]}, a new tensor
     * @throws IllegalArgumentException if the input or weight is not 4-d, C or OC does not divide by the groups,
     *         the weight's channels do not match the input's, the padded input is smaller than the dilated
     *         kernel, or the bias is not {@code [OC]}
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, Conv2dSpec spec) {
        Elements.requireFloat32("conv2d", input);
        Elements.requireFloat32("conv2d", weight);
        Geometry g = geometry("conv2d", input.shape, weight.shape, spec);
        if (bias != null) {
            Elements.requireFloat32("conv2d", bias);
        }
        if (bias != null && (bias.dim() != 1 || bias.shape[0] != g.oc)) {
            throw new IllegalArgumentException("conv2d: bias must be [" + g.oc + "], got " + Shape.str(bias.shape));
        }
        Tensor x = input.contiguous(), w = weight.contiguous();
        float[] b = bias == null ? null : bias.toArray();
        Tensor out = Tensor.zeros(g.n, g.oc, g.oh, g.ow);
        FlopCounter.addGemm((long) g.n * g.oc, g.ohw(), g.kk());
        if (wide(g)) {
            wideForward(x, w, b, g, out);
            return out;
        }
        GemmKernel gemm = GemmKernel.CHOSEN;
        int kk = g.kk(), ohw = g.ohw();
        int per = ohw >= DIRECT_MIN_PIXELS ? 1 : imagesPerBatch(g);
        if (per > 1) {
            int batches = (g.n + per - 1) / per;
            Parallel.forRange(0, batches, 1, (lo, hi) -> {
                Workspace ws = Workspace.current();
                float[] col = ws.columns(kk * per * ohw), y = ws.outputBlock(g.oc * per * ohw);
                for (int bt = lo; bt < hi; bt++) {
                    int i0 = bt * per, i1 = Math.min(g.n, i0 + per), ld = (i1 - i0) * ohw;
                    for (int img = i0; img < i1; img++) {
                        im2col(x.data, x.offset + img * g.c * g.h * g.w, g, col, (img - i0) * ohw, ld);
                    }
                    gemm.gemm(g.oc, ld, kk, w.data, w.offset, kk, 1, col, 0, ld, 1, y, 0, ld, false);
                    for (int img = i0; img < i1; img++) {
                        for (int o = 0; o < g.oc; o++) {
                            int src = o * ld + (img - i0) * ohw, dst = (img * g.oc + o) * ohw;
                            float bv = b == null ? 0f : b[o];
                            for (int i = 0; i < ohw; i++) {
                                out.data[dst + i] = y[src + i] + bv;
                            }
                        }
                    }
                }
            });
            return out;
        }
        Parallel.forRange(0, g.n, 1, (lo, hi) -> {
            float[] col = Workspace.current().columns(kk * ohw);
            for (int img = lo; img < hi; img++) {
                for (int grp = 0; grp < spec.groups(); grp++) {
                    im2col(x.data, x.offset + (img * g.c + grp * g.cg) * g.h * g.w, g, col, 0, ohw);
                    int outOff = (img * g.oc + grp * g.ocg) * ohw;
                    gemm.gemm(g.ocg, ohw, kk, w.data, w.offset + grp * g.ocg * kk, kk, 1, col, 0, ohw, 1,
                            out.data, outOff, ohw, false);
                    if (b != null) {
                        for (int o = 0; o < g.ocg; o++) {
                            float bv = b[grp * g.ocg + o];
                            int base = outOff + o * ohw;
                            for (int i = 0; i < ohw; i++) {
                                out.data[base + i] += bv;
                            }
                        }
                    }
                }
            }
        });
        return out;
    }

    /**
     * Gradient with respect to the input.
     *
     * @param gradOutput {@code [N, OC, OH, OW]}
     * @param weight {@code [OC, C/groups, KH, KW]}
     * @param inputShape {@code [N, C, H, W]}
     * @param spec the forward's spec
     * @return {@code [N, C, H, W]}
     */
    public static Tensor conv2dBackwardInput(Tensor gradOutput, Tensor weight, int[] inputShape, Conv2dSpec spec) {
        Elements.requireFloat32("conv2dBackwardInput", gradOutput);
        Elements.requireFloat32("conv2dBackwardInput", weight);
        Geometry g = geometry("conv2dBackwardInput", inputShape, weight.shape, spec);
        checkGradOutput("conv2dBackwardInput", gradOutput, g);
        Tensor dy = gradOutput.contiguous(), w = weight.contiguous();
        Tensor dx = Tensor.zeros(inputShape);
        FlopCounter.addGemm((long) g.n * g.oc, g.ohw(), g.kk());
        if (wide(g) && g.c >= TRANSPOSED_MIN_CHANNELS && g.s.padH() < g.kh && g.s.padW() < g.kw) {
            // A stride-1 convolution's input gradient is a stride-1 convolution too: of dY padded by K−1−p, with
            // the kernel flipped in both spatial dims and its channel axes swapped. It takes the forward's wide
            // path, whose GEMM reads the padded gradient in place: no column buffer and no fold-back. Its GEMM has
            // C rows, so few input channels would leave most of each register tile empty.
            Geometry t = new Geometry(g.n, g.oc, g.oh, g.ow, g.c, g.oc, g.c, g.kh, g.kw, g.h, g.w,
                    new Conv2dSpec(1, 1, g.kh - 1 - g.s.padH(), g.kw - 1 - g.s.padW(), 1, 1, 1));
            wideForward(dy, flippedTransposed(w, g), null, t, dx);
            return dx;
        }
        if (wide(g)) {
            wideBackwardInput(dy, w, g, dx);
            return dx;
        }
        if (g.s.groups() == 1 && g.c >= CHANNELS_LAST_MIN_CHANNELS && g.ohw() <= CHANNELS_LAST_MAX_PIXELS) {
            channelsLastBackwardInput(dy, w, g, dx);
            return dx;
        }
        GemmKernel gemm = GemmKernel.CHOSEN;
        int kk = g.kk(), ohw = g.ohw();
        int per = kk <= IN_PLACE_MAX_ROWS && ohw >= IN_PLACE_MIN_PIXELS ? 1 : imagesPerBatch(g);
        if (per > 1) {
            int batches = (g.n + per - 1) / per;
            Parallel.forRange(0, batches, 1, (lo, hi) -> {
                Workspace ws = Workspace.current();
                float[] col = ws.columns(kk * per * ohw + FOLD_SLACK), dyb = ws.outputBlock(g.oc * per * ohw);
                for (int bt = lo; bt < hi; bt++) {
                    int i0 = bt * per, i1 = Math.min(g.n, i0 + per), ld = (i1 - i0) * ohw;
                    gatherBatch(dy.data, dy.offset, g, i0, i1, dyb);
                    // dcols = Wᵀ · dY for the whole batch: A is W read transposed through its strides.
                    gemm.gemm(kk, ld, g.oc, w.data, w.offset, 1, kk, dyb, 0, ld, 1, col, 0, ld, false);
                    for (int img = i0; img < i1; img++) {
                        col2im(col, (img - i0) * ohw, ld, g, dx.data, img * g.c * g.h * g.w);
                    }
                }
            });
            return dx;
        }
        Parallel.forRange(0, g.n, 1, (lo, hi) -> {
            float[] col = Workspace.current().columns(kk * ohw + FOLD_SLACK);
            for (int img = lo; img < hi; img++) {
                for (int grp = 0; grp < spec.groups(); grp++) {
                    // dcols = W_gᵀ · dY_g : A is W_g read transposed through its strides.
                    gemm.gemm(kk, ohw, g.ocg, w.data, w.offset + grp * g.ocg * kk, 1, kk,
                            dy.data, dy.offset + (img * g.oc + grp * g.ocg) * ohw, ohw, 1, col, 0, ohw, false);
                    col2im(col, 0, ohw, g, dx.data, (img * g.c + grp * g.cg) * g.h * g.w);
                }
            }
        });
        return dx;
    }

    /**
     * The input gradient of a strided convolution with many input channels and a small output (and the forward pass
     * of a strided transposed convolution, which is this), folded channels-last. Per batch of images, one GEMM
     * <pre>
     *   colsᵀ[(img, p), (ki, kj, c)] = Σ_o dY[img, o, p] · W[o, c, ki, kj]
     * </pre>
     * has one long row (KH·KW·C) per output pixel p, so its register tiles are full even when the images are small;
     * then each output pixel adds its KH·KW runs of C floats into a channels-last image {@code [H, W, C]} with vector
     * additions, and that image is transposed into dx. The channels-first fold ({@code col2im}) would add runs of
     * OW floats at the stride, one float at a time, which cost as much as the GEMM for a DCGAN generator's layers.
     * Each image's additions run in a fixed order (output pixel, then ki, then kj), on whichever thread.
     */
    private static void channelsLastBackwardInput(Tensor dy, Tensor w, Geometry g, Tensor dx) {
        int c = g.c, oc = g.oc, kh = g.kh, kw = g.kw, ohw = g.ohw(), hw = g.h * g.w, rowLen = kh * kw * c;
        Conv2dSpec s = g.s;
        // The weight's rows reordered to (ki, kj, c), so that a kernel tap's C values are one dense run.
        float[] wr = Workspace.current().reorderedKernel(oc * rowLen);
        for (int o = 0; o < oc; o++) {
            for (int ch = 0; ch < c; ch++) {
                int src = w.offset + (o * c + ch) * kh * kw;
                for (int t = 0; t < kh * kw; t++) {
                    wr[o * rowLen + t * c + ch] = w.data[src + t];
                }
            }
        }
        // Batches do not depend on the thread count, so neither do the GEMM's blocking and the bits of dx.
        int per = Math.max(1, Math.min(Math.min(g.n, (CHANNELS_LAST_MIN_ROWS + ohw - 1) / ohw),
                WIDE_BATCH_FLOATS / Math.max(1, ohw * rowLen)));
        int batches = (g.n + per - 1) / per;
        GemmKernel gemm = GemmKernel.CHOSEN;
        ElementwiseKernels add = ElementwiseKernels.CHOSEN;
        Parallel.forRange(0, batches, 1, (lo, hi) -> {
            Workspace ws = Workspace.current();
            float[] dyT = ws.outputBlock(per * ohw * oc), cols = ws.columns(per * ohw * rowLen);
            float[] image = ws.paddedInput(hw * c);
            for (int bt = lo; bt < hi; bt++) {
                int i0 = bt * per, i1 = Math.min(g.n, i0 + per);
                for (int img = i0; img < i1; img++) {
                    int rows = (img - i0) * ohw;
                    for (int o = 0; o < oc; o++) {
                        int src = dy.offset + (img * oc + o) * ohw;
                        for (int q = 0; q < ohw; q++) {
                            dyT[(rows + q) * oc + o] = dy.data[src + q];
                        }
                    }
                }
                gemm.gemm((i1 - i0) * ohw, rowLen, oc, dyT, 0, oc, 1, wr, 0, rowLen, 1, cols, 0, rowLen, false);
                for (int img = i0; img < i1; img++) {
                    Arrays.fill(image, 0, hw * c, 0f);
                    for (int oi = 0; oi < g.oh; oi++) {
                        for (int oj = 0; oj < g.ow; oj++) {
                            int row = ((img - i0) * ohw + oi * g.ow + oj) * rowLen;
                            for (int ki = 0; ki < kh; ki++) {
                                int ii = oi * s.strideH() - s.padH() + ki * s.dilationH();
                                if (ii < 0 || ii >= g.h) {
                                    continue;
                                }
                                for (int kj = 0; kj < kw; kj++) {
                                    int jj = oj * s.strideW() - s.padW() + kj * s.dilationW();
                                    if (jj >= 0 && jj < g.w) {
                                        // y += 1·x is exact addition on every path, with or without FMA.
                                        add.axpy(1f, cols, row + (ki * kw + kj) * c, image, (ii * g.w + jj) * c, c);
                                    }
                                }
                            }
                        }
                    }
                    int dst = dx.offset + img * c * hw;
                    for (int q = 0; q < hw; q++) {
                        for (int ch = 0; ch < c; ch++) {
                            dx.data[dst + ch * hw + q] = image[q * c + ch];
                        }
                    }
                }
            }
        });
    }

    /**
     * Gradient with respect to the weight.
     *
     * @param gradOutput {@code [N, OC, OH, OW]}
     * @param input {@code [N, C, H, W]}
     * @param weightShape {@code [OC, C/groups, KH, KW]}
     * @param spec the forward's spec
     * @return {@code [OC, C/groups, KH, KW]}
     */
    public static Tensor conv2dBackwardWeight(Tensor gradOutput, Tensor input, int[] weightShape, Conv2dSpec spec) {
        Elements.requireFloat32("conv2dBackwardWeight", gradOutput);
        Elements.requireFloat32("conv2dBackwardWeight", input);
        Geometry g = geometry("conv2dBackwardWeight", input.shape, weightShape, spec);
        checkGradOutput("conv2dBackwardWeight", gradOutput, g);
        Tensor dy = gradOutput.contiguous(), x = input.contiguous();
        int kk = g.kk(), ohw = g.ohw();
        int wsize = g.oc * kk;
        int chunks = Math.max(1, Math.min(Parallel.threads(), g.n));
        float[][] partial = new float[chunks][];
        FlopCounter.addGemm((long) g.n * g.oc, g.ohw(), g.kk());
        if (wide(g)) {
            return Tensor.wrap(wideBackwardWeight(dy, x, g), weightShape.clone());
        }
        GemmKernel gemm = GemmKernel.CHOSEN;
        int per = imagesPerBatch(g);
        Parallel.forRange(0, chunks, 1, (clo, chi) -> {
            Workspace ws = Workspace.current();
            float[] col = ws.columns(kk * per * ohw);
            for (int ch = clo; ch < chi; ch++) {
                float[] dw = new float[wsize];
                int i0 = (int) ((long) g.n * ch / chunks), i1 = (int) ((long) g.n * (ch + 1) / chunks);
                if (per > 1) {
                    float[] dyb = ws.outputBlock(g.oc * per * ohw);
                    for (int b0 = i0; b0 < i1; b0 += per) {
                        int b1 = Math.min(i1, b0 + per), ld = (b1 - b0) * ohw;
                        gatherBatch(dy.data, dy.offset, g, b0, b1, dyb);
                        for (int img = b0; img < b1; img++) {
                            im2col(x.data, x.offset + img * g.c * g.h * g.w, g, col, (img - b0) * ohw, ld);
                        }
                        // dW += dY · colsᵀ over the whole batch (k = images × OH·OW).
                        gemm.gemm(g.oc, kk, ld, dyb, 0, ld, 1, col, 0, 1, ld, dw, 0, kk, true);
                    }
                    partial[ch] = dw;
                    continue;
                }
                for (int img = i0; img < i1; img++) {
                    for (int grp = 0; grp < spec.groups(); grp++) {
                        im2col(x.data, x.offset + (img * g.c + grp * g.cg) * g.h * g.w, g, col, 0, ohw);
                        // dW_g += dY_g · colsᵀ : B is the column buffer read transposed through its strides.
                        gemm.gemm(g.ocg, kk, ohw, dy.data, dy.offset + (img * g.oc + grp * g.ocg) * ohw, ohw, 1,
                                col, 0, 1, ohw, dw, grp * g.ocg * kk, kk, true);
                    }
                }
                partial[ch] = dw;
            }
        });
        float[] dw = partial[0];
        for (int ch = 1; ch < chunks; ch++) {
            ElementwiseKernels.CHOSEN.axpy(1f, partial[ch], 0, dw, 0, wsize);
        }
        return Tensor.wrap(dw, weightShape.clone());
    }

    /**
     * Gradient with respect to the bias: {@code gradOutput} summed over N, OH and OW.
     *
     * @param gradOutput {@code [N, OC, OH, OW]}
     * @return {@code [OC]}
     */
    public static Tensor conv2dBackwardBias(Tensor gradOutput) {
        Elements.requireFloat32("conv2dBackwardBias", gradOutput);
        if (gradOutput.dim() != 4) {
            throw new IllegalArgumentException("conv2dBackwardBias: gradOutput must be [N, OC, OH, OW], got "
                    + Shape.str(gradOutput.shape));
        }
        return gradOutput.sum(new int[] {0, 2, 3}, false);
    }

    private static void checkGradOutput(String op, Tensor dy, Geometry g) {
        int[] expected = {g.n, g.oc, g.oh, g.ow};
        if (!Arrays.equals(dy.shape, expected)) {
            throw new IllegalArgumentException(op + ": gradOutput has shape " + Shape.str(dy.shape) + ", expected "
                    + Shape.str(expected));
        }
    }

    /**
     * Unfolds one group of one image ({@code cg} channels at {@code xOff}) into {@code col [cg·kh·kw, oh·ow]},
     * stored from column {@code colOff} of a buffer whose rows are {@code ld} long (several images side by side).
     * A strided unfold with more taps than phases goes through {@link #unfoldThroughPhases}.
     */
    static void im2col(float[] x, int xOff, Geometry g, float[] col, int colOff, int ld) {
        Conv2dSpec s = g.s;
        if (throughPhases(g)) {
            unfoldThroughPhases(x, xOff, g, col, colOff, ld);
            return;
        }
        for (int c = 0; c < g.cg; c++) {
            for (int ki = 0; ki < g.kh; ki++) {
                for (int kj = 0; kj < g.kw; kj++) {
                    int row = ((c * g.kh + ki) * g.kw + kj) * ld + colOff;
                    int dj = kj * s.dilationW() - s.padW();
                    // Output columns whose input column lies inside the image: [owLo, owHi). With padding wider
                    // than the dilated kernel reaches, that range can be empty at either end: clamp both to ow.
                    int owLo = Math.min(g.ow, Math.max(0, ceilDiv(-dj, s.strideW())));
                    int owHi = Math.min(g.ow, Math.max(owLo, ceilDiv(g.w - dj, s.strideW())));
                    for (int oi = 0; oi < g.oh; oi++) {
                        int ii = oi * s.strideH() - s.padH() + ki * s.dilationH();
                        int dst = row + oi * g.ow;
                        if (ii < 0 || ii >= g.h) {
                            Arrays.fill(col, dst, dst + g.ow, 0f);
                            continue;
                        }
                        int src = xOff + (c * g.h + ii) * g.w + dj;
                        // Rows are short (an output row): plain loops beat arraycopy and fill calls here.
                        for (int oj = 0; oj < owLo; oj++) {
                            col[dst + oj] = 0f;
                        }
                        if (s.strideW() == 1) {
                            for (int oj = owLo; oj < owHi; oj++) {
                                col[dst + oj] = x[src + oj];
                            }
                        } else {
                            for (int oj = owLo; oj < owHi; oj++) {
                                col[dst + oj] = x[src + oj * s.strideW()];
                            }
                        }
                        for (int oj = owHi; oj < g.ow; oj++) {
                            col[dst + oj] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * Folds {@code col} (laid out as in {@link #im2col}) back, adding each entry to the input position it was read
     * from. A strided fold with more taps than phases goes through {@link #foldThroughPhases}.
     */
    static void col2im(float[] col, int colOff, int ld, Geometry g, float[] dx, int dxOff) {
        Conv2dSpec s = g.s;
        if (throughPhases(g)) {
            foldThroughPhases(col, colOff, ld, g, dx, dxOff);
            return;
        }
        for (int c = 0; c < g.cg; c++) {
            for (int ki = 0; ki < g.kh; ki++) {
                for (int kj = 0; kj < g.kw; kj++) {
                    int row = ((c * g.kh + ki) * g.kw + kj) * ld + colOff;
                    int dj = kj * s.dilationW() - s.padW();
                    int owLo = Math.min(g.ow, Math.max(0, ceilDiv(-dj, s.strideW())));
                    int owHi = Math.min(g.ow, Math.max(owLo, ceilDiv(g.w - dj, s.strideW())));
                    for (int oi = 0; oi < g.oh; oi++) {
                        int ii = oi * s.strideH() - s.padH() + ki * s.dilationH();
                        if (ii < 0 || ii >= g.h) {
                            continue;
                        }
                        int src = row + oi * g.ow;
                        int dst = dxOff + (c * g.h + ii) * g.w + dj;
                        for (int oj = owLo; oj < owHi; oj++) {
                            dx[dst + oj * s.strideW()] += col[src + oj];
                        }
                    }
                }
            }
        }
    }

    /**
     * Whether a fold or unfold goes through phase planes: strided, with more kernel taps than phases, and planes no
     * larger than about twice the image. Splitting or interleaving the planes moves every input float once, one at
     * a time, so it pays where the taps would move more (16 taps against 4 phases for a 4×4 kernel at stride 2); a
     * 1×1 stride-2 shortcut reads a quarter of the input and keeps the direct loops.
     */
    private static boolean throughPhases(Geometry g) {
        int phases = g.s.strideH() * g.s.strideW();
        // A stride larger than the image (one output row or column) would make planes larger than the image.
        return phases > 1 && g.kh * g.kw > phases && Phases.floats(g) <= 2L * g.h * g.w + 4096;
    }

    /**
     * The strided fold, as dense additions. With strides (sH, sW), input row {@code ii = oi·sH + di} (where
     * {@code di = ki·dilH − padH}) is row {@code oi + ⌊di/sH⌋} of phase {@code di mod sH}, and likewise for columns:
     * each kernel tap (ki, kj) adds its whole OH×OW block of col, unclipped, at a fixed shift into one of sH·sW
     * phase planes, one dense row of OW floats per output row ({@link ConvolutionKernels#addRows}). The planes have
     * room for every shift, so no run is clipped; the floats that fall outside the input are dropped when the
     * planes are interleaved into dx, row by row and phase by phase. Scattering each tap's runs at the stride, one
     * float at a time, cost as much as a DCGAN generator layer's GEMM.
     *
     * <p>Each plane float sums its taps in (ki, kj) order from zero, which is the order in which a scatter adds
     * them into a zeroed dx, so a fold into zeros has the scatter's bits (dx is added to, not overwritten).
     */
    private static void foldThroughPhases(float[] col, int colOff, int ld, Geometry g, float[] dx, int dxOff) {
        Phases p = new Phases(g);
        float[] planes = Workspace.current().phasePlanes(p.floats() + FOLD_SLACK);
        ConvolutionKernels kernels = ConvolutionKernels.CHOSEN;
        for (int c = 0; c < g.cg; c++) {
            Arrays.fill(planes, 0, p.floats(), 0f);
            for (int ki = 0; ki < g.kh; ki++) {
                for (int kj = 0; kj < g.kw; kj++) {
                    kernels.addRows(g.oh, g.ow, col, ((c * g.kh + ki) * g.kw + kj) * ld + colOff, g.ow,
                            planes, p.tap(ki, kj), p.cols);
                }
            }
            p.exchange(dx, dxOff + c * g.h * g.w, planes, true);
        }
    }

    /**
     * The strided im2col, as dense copies: the transpose of {@link #foldThroughPhases}. Each channel is split
     * into its sH·sW phase planes once (zeros where the padding is), and each tap's OH×OW block of col is then a
     * copy of OW-float rows from one plane at a fixed shift ({@link ConvolutionKernels#copyRows}), where gathering
     * at the stride read one float at a time.
     */
    private static void unfoldThroughPhases(float[] x, int xOff, Geometry g, float[] col, int colOff, int ld) {
        Phases p = new Phases(g);
        float[] planes = Workspace.current().phasePlanes(p.floats() + FOLD_SLACK);
        ConvolutionKernels kernels = ConvolutionKernels.CHOSEN;
        // Every channel writes the same plane positions, so the padding stays zero from one channel to the next.
        Arrays.fill(planes, 0, p.floats(), 0f);
        for (int c = 0; c < g.cg; c++) {
            p.exchange(x, xOff + c * g.h * g.w, planes, false);
            for (int ki = 0; ki < g.kh; ki++) {
                for (int kj = 0; kj < g.kw; kj++) {
                    kernels.copyRows(g.oh, g.ow, planes, p.tap(ki, kj), p.cols,
                            col, ((c * g.kh + ki) * g.kw + kj) * ld + colOff, g.ow);
                }
            }
        }
    }

    /**
     * The phase planes of one channel of a strided convolution: sH·sW planes of {@code rows × cols} floats, plane
     * {@code (ri, rj)} holding input float {@code (sH·(mi + qiLo) + ri, sW·(mj + qjLo) + rj)} at {@code (mi, mj)},
     * and rows and columns enough for every tap's OH×OW block at its shift ({@code qiLo}, {@code qjLo} are the
     * first tap's shifts, ≤ 0, so the padding has room).
     */
    private static final class Phases {
        final Geometry g;
        final int sh, sw, qiLo, qjLo, rows, cols, plane;

        Phases(Geometry g) {
            Conv2dSpec s = g.s;
            this.g = g;
            sh = s.strideH();
            sw = s.strideW();
            qiLo = Math.floorDiv(-s.padH(), sh);
            qjLo = Math.floorDiv(-s.padW(), sw);
            rows = (int) planeRows(g);
            cols = (int) planeCols(g);
            plane = rows * cols;
        }

        /** @return the floats of all the planes */
        int floats() {
            return sh * sw * plane;
        }

        /** @return the floats of all the planes of g, in long (before a Phases is made, to check its size) */
        static long floats(Geometry g) {
            return (long) g.s.strideH() * g.s.strideW() * planeRows(g) * planeCols(g);
        }

        /** @return rows per plane: OH, and the shifts from the first tap's to the last's */
        private static long planeRows(Geometry g) {
            Conv2dSpec s = g.s;
            return g.oh + (long) Math.floorDiv((g.kh - 1) * s.dilationH() - s.padH(), s.strideH())
                    - Math.floorDiv(-s.padH(), s.strideH());
        }

        /** @return columns per plane: OW, and the shifts from the first tap's to the last's */
        private static long planeCols(Geometry g) {
            Conv2dSpec s = g.s;
            return g.ow + (long) Math.floorDiv((g.kw - 1) * s.dilationW() - s.padW(), s.strideW())
                    - Math.floorDiv(-s.padW(), s.strideW());
        }

        /** @return where tap (ki, kj)'s block starts in the planes: its output (0, 0) */
        int tap(int ki, int kj) {
            int di = ki * g.s.dilationH() - g.s.padH(), dj = kj * g.s.dilationW() - g.s.padW();
            int phase = Math.floorMod(di, sh) * sw + Math.floorMod(dj, sw);
            return phase * plane + (Math.floorDiv(di, sh) - qiLo) * cols + Math.floorDiv(dj, sw) - qjLo;
        }

        /**
         * Walks one channel's input floats that some tap reaches, row by row and phase by phase: adds each plane
         * float into the image ({@code fold}), or copies each image float into its plane.
         */
        void exchange(float[] image, int off, float[] planes, boolean fold) {
            // Past plane column cols − 1, i.e. input column sw·(cols + qjLo), no tap reaches; likewise for rows.
            int end = Math.min(g.w, sw * (cols + qjLo));
            for (int ii = 0; ii < g.h; ii++) {
                int mi = ii / sh - qiLo;
                if (mi >= rows) {
                    break;
                }
                int row = off + ii * g.w;
                for (int pj = 0; pj < sw; pj++) {
                    int at = ((ii % sh) * sw + pj) * plane + mi * cols - qjLo;
                    if (fold) {
                        for (int jj = pj, m = at; jj < end; jj += sw, m++) {
                            image[row + jj] += planes[m];
                        }
                    } else {
                        for (int jj = pj, m = at; jj < end; jj += sw, m++) {
                            planes[m] = image[row + jj];
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ stride 1: the "wide" formulation
    //
    // With stride 1, dilation 1 and one group, the outputs are computed on a grid as wide as the padded input
    // (Wp columns per output row instead of OW; the last KW−1 of each row are discarded). Row (c, ki, kj) of
    // the columns is then one contiguous run of the padded image, xp[c][ki·Wp + kj + q] for q < OH·Wp, so
    // im2col is KH·KW·C long copies instead of KH·KW·C·OH short ones, and col2im is as many SIMD axpys. The
    // GEMMs do Wp/OW more work (1.14× for LeNet's first layer, 1.4× for its second); the discarded outputs
    // are dropped when scattering, and their gradients enter as zeros. The forward and the weight gradient do
    // not even copy the columns: their kernels read the runs in place through a table of row offsets
    // (ConvolutionKernels.rowTableProduct, ConvolutionKernels.columnTableProduct). The input gradient runs as a
    // forward convolution from TRANSPOSED_MIN_CHANNELS input channels on; below that it forms a column buffer and
    // folds it back.

    private static boolean wide(Geometry g) {
        Conv2dSpec s = g.s;
        return s.groups() == 1 && s.strideH() == 1 && s.strideW() == 1 && s.dilationH() == 1 && s.dilationW() == 1;
    }

    private static int padded(int size, int pad) {
        return size + 2 * pad;
    }

    /** Images per wide batch: columns of up to {@link #BATCH_FLOATS} floats, at least one batch per thread. */
    private static int widePerBatch(Geometry g) {
        long perImage = (long) g.kk() * g.oh * padded(g.w, g.s.padW());
        int byCache = (int) Math.max(1, BATCH_FLOATS / Math.max(1, perImage));
        int perThread = (g.n + Parallel.threads() - 1) / Parallel.threads();
        return Math.max(1, Math.min(byCache, perThread));
    }

    /** Copies images [i0, i1) into {@code xp [i1−i0, C, Hp, Wp]} with zero borders, plus KW zero floats after. */
    private static void padBatch(float[] x, int xOff, Geometry g, int i0, int i1, float[] xp) {
        int hp = padded(g.h, g.s.padH()), wp = padded(g.w, g.s.padW()), ph = g.s.padH(), pw = g.s.padW();
        int planes = (i1 - i0) * g.c, size = planes * hp * wp;
        if (ph == 0 && pw == 0) {
            System.arraycopy(x, xOff + i0 * g.c * g.h * g.w, xp, 0, size);
        } else {
            Arrays.fill(xp, 0, size, 0f);
            for (int p = 0; p < planes; p++) {
                int src = xOff + (i0 * g.c + p) * g.h * g.w, dst = p * hp * wp + ph * wp + pw;
                for (int i = 0; i < g.h; i++) {
                    System.arraycopy(x, src + i * g.w, xp, dst + i * wp, g.w);
                }
            }
        }
        Arrays.fill(xp, size, size + g.kw, 0f); // read by the discarded columns of the last rows
    }

    /** Copies the gradients of images [i0, i1) onto the wide grid, {@code dst [OC, nb·OH·Wp]}, zeros in the discarded columns. */
    private static void gatherWide(float[] dy, int dyOff, Geometry g, int i0, int i1, float[] dst) {
        gatherWide(dy, dyOff, g, i0, i1, dst, g.oh * padded(g.w, g.s.padW()));
    }

    /** As above with image {@code img} at column {@code (img−i0)·stride} ({@code stride >= OH·Wp}), zeros between images. */
    private static void gatherWide(float[] dy, int dyOff, Geometry g, int i0, int i1, float[] dst, int stride) {
        int wp = padded(g.w, g.s.padW()), len = g.oh * wp, ld = (i1 - i0) * stride;
        for (int img = i0; img < i1; img++) {
            for (int o = 0; o < g.oc; o++) {
                for (int oi = 0; oi < g.oh; oi++) {
                    int d = o * ld + (img - i0) * stride + oi * wp;
                    System.arraycopy(dy, dyOff + ((img * g.oc + o) * g.oh + oi) * g.ow, dst, d, g.ow);
                    Arrays.fill(dst, d + g.ow, d + wp, 0f);
                }
                int e = o * ld + (img - i0) * stride;
                Arrays.fill(dst, e + len, e + stride, 0f);
            }
        }
    }

    private static void wideForward(Tensor x, Tensor w, float[] b, Geometry g, Tensor out) {
        ConvolutionKernels conv = ConvolutionKernels.CHOSEN;
        int kk = g.kk(), hp = padded(g.h, g.s.padH()), wp = padded(g.w, g.s.padW()), len = g.oh * wp;
        int plane = hp * wp, image = g.c * plane;
        // No column buffer: a batch holds its padded images and wide outputs, up to BATCH_FLOATS floats.
        int perImage = image + g.oc * len, perThread = (g.n + Parallel.threads() - 1) / Parallel.threads();
        int per = Math.max(1, Math.min(perThread, BATCH_FLOATS / Math.max(1, perImage))), batches = (g.n + per - 1) / per;
        // Row (c, ki, kj) of the wide columns is the run of the padded image starting at c·Hp·Wp + ki·Wp + kj:
        // the GEMM reads it in place through this table, so the columns are never copied out.
        int[] rows = rowTable(g, kk);
        Parallel.forRange(0, batches, 1, (lo, hi) -> {
            Workspace ws = Workspace.current();
            float[] y = ws.outputBlock(per * g.oc * len);
            float[] xp = ws.paddedInput(per * image + g.kw + ConvolutionKernels.ROW_TABLE_SLACK);
            for (int bt = lo; bt < hi; bt++) {
                int i0 = bt * per, i1 = Math.min(g.n, i0 + per);
                // Without padding the images are read where they are, unless the rows of the last ones would run
                // past the end of the storage; the overreach only feeds discarded outputs.
                boolean inPlace = g.s.padH() == 0 && g.s.padW() == 0
                        && x.offset + i1 * image + g.kw + ConvolutionKernels.ROW_TABLE_SLACK <= x.data.length;
                if (!inPlace) {
                    padBatch(x.data, x.offset, g, i0, i1, xp);
                }
                // One call for the batch, so that the weight is packed once: image e → y[e·OC·len ...].
                RowTable images = inPlace ? new RowTable(x.data, x.offset + i0 * image, rows)
                        : new RowTable(xp, 0, rows);
                conv.rowTableProduct(g.oc, len, kk, new Strided(w.data, w.offset, kk, 1), images,
                        new DenseRows(y, 0, len), false, new Batch(i1 - i0, image, g.oc * len));
                for (int img = i0; img < i1; img++) {
                    for (int o = 0; o < g.oc; o++) {
                        float bv = b == null ? 0f : b[o];
                        for (int oi = 0; oi < g.oh; oi++) {
                            int src = ((img - i0) * g.oc + o) * len + oi * wp, dst = ((img * g.oc + o) * g.oh + oi) * g.ow;
                            for (int oj = 0; oj < g.ow; oj++) {
                                out.data[dst + oj] = y[src + oj] + bv;
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * {@code W'[c][o][ki][kj] = W[o][c][KH−1−ki][KW−1−kj]}: the kernel of the input gradient as a convolution, in this
     * thread's workspace (the forward's batches use the other arrays).
     */
    private static Tensor flippedTransposed(Tensor w, Geometry g) {
        int kk = g.kh * g.kw;
        float[] t = Workspace.current().flippedKernel(g.c * g.oc * kk);
        for (int o = 0; o < g.oc; o++) {
            for (int c = 0; c < g.c; c++) {
                int src = w.offset + (o * g.c + c) * kk, dst = (c * g.oc + o) * kk;
                for (int q = 0; q < kk; q++) {
                    t[dst + kk - 1 - q] = w.data[src + q];
                }
            }
        }
        return Tensor.dense(t, new int[] {g.c, g.oc, g.kh, g.kw});
    }

    /** Offsets of the wide column rows (c, ki, kj) in one padded image: {@code c·Hp·Wp + ki·Wp + kj}; reused per thread. */
    private static int[] rowTable(Geometry g, int kk) {
        int[] rows = Workspace.current().rowTable(kk);
        int hp = padded(g.h, g.s.padH()), wp = padded(g.w, g.s.padW());
        for (int c = 0; c < g.c; c++) {
            for (int ki = 0; ki < g.kh; ki++) {
                for (int kj = 0; kj < g.kw; kj++) {
                    rows[(c * g.kh + ki) * g.kw + kj] = c * hp * wp + ki * wp + kj;
                }
            }
        }
        return rows;
    }

    private static void wideBackwardInput(Tensor dy, Tensor w, Geometry g, Tensor dx) {
        GemmKernel gemm = GemmKernel.CHOSEN;
        ElementwiseKernels ew = ElementwiseKernels.CHOSEN;
        int kk = g.kk(), hp = padded(g.h, g.s.padH()), wp = padded(g.w, g.s.padW()), len = g.oh * wp;
        int ph = g.s.padH(), pw = g.s.padW();
        int per = widePerBatch(g), batches = (g.n + per - 1) / per;
        Parallel.forRange(0, batches, 1, (lo, hi) -> {
            Workspace ws = Workspace.current();
            float[] col = ws.columns(kk * per * len), dyw = ws.outputBlock(g.oc * per * len);
            float[] dxp = ws.paddedInput(per * g.c * hp * wp + g.kw);
            for (int bt = lo; bt < hi; bt++) {
                int i0 = bt * per, i1 = Math.min(g.n, i0 + per), nb = i1 - i0, ld = nb * len;
                gatherWide(dy.data, dy.offset, g, i0, i1, dyw);
                // dcols = Wᵀ · dY on the wide grid (zero in the discarded columns).
                gemm.gemm(kk, ld, g.oc, w.data, w.offset, 1, kk, dyw, 0, ld, 1, col, 0, ld, false);
                Arrays.fill(dxp, 0, nb * g.c * hp * wp + g.kw, 0f);
                for (int img = 0; img < nb; img++) {
                    for (int c = 0; c < g.c; c++) {
                        for (int ki = 0; ki < g.kh; ki++) {
                            for (int kj = 0; kj < g.kw; kj++) {
                                int row = (c * g.kh + ki) * g.kw + kj;
                                ew.axpy(1f, col, row * ld + img * len, dxp, (img * g.c + c) * hp * wp + ki * wp + kj, len);
                            }
                        }
                    }
                }
                for (int p = 0; p < nb * g.c; p++) {
                    for (int i = 0; i < g.h; i++) {
                        System.arraycopy(dxp, p * hp * wp + (i + ph) * wp + pw, dx.data, (i0 * g.c + p) * g.h * g.w + i * g.w, g.w);
                    }
                }
            }
        });
    }

    /**
     * Stride-1 weight gradient: {@code dW[o][(c, ki, kj)] = Σ_images Σ_q dY_wide[o][q] · xp[c][ki·Wp + kj + q]}, dot
     * products of the wide output gradient (zero in the discarded columns, and padded with zeros to a multiple of
     * 16 floats per image) with runs of the padded image read in place through the row table.
     */
    private static float[] wideBackwardWeight(Tensor dy, Tensor x, Geometry g) {
        ConvolutionKernels conv = ConvolutionKernels.CHOSEN;
        int kk = g.kk(), hp = padded(g.h, g.s.padH()), wp = padded(g.w, g.s.padW()), len = g.oh * wp;
        int image = g.c * hp * wp, lenR = (len + 15) & ~15;
        int[] rows = rowTable(g, kk);
        // A batch holds padded images and wide gradients only (no columns).
        int per = Math.max(1, Math.min((g.n + Parallel.threads() - 1) / Parallel.threads(),
                BATCH_FLOATS / Math.max(1, image + g.oc * lenR)));
        int chunks = Math.max(1, Math.min(Parallel.threads(), g.n));
        float[][] partial = new float[chunks][];
        Parallel.forRange(0, chunks, 1, (clo, chi) -> {
            Workspace ws = Workspace.current();
            float[] dyw = ws.outputBlock(g.oc * per * lenR);
            // The runs read past their ends by up to 15 floats (into the zeros of the padded gradient).
            float[] xp = ws.paddedInput(per * image + g.kw + ConvolutionKernels.ROW_TABLE_SLACK);
            for (int ch = clo; ch < chi; ch++) {
                float[] dw = new float[g.oc * kk];
                int i0 = (int) ((long) g.n * ch / chunks), i1 = (int) ((long) g.n * (ch + 1) / chunks);
                for (int b0 = i0; b0 < i1; b0 += per) {
                    int b1 = Math.min(i1, b0 + per), nb = b1 - b0;
                    padBatch(x.data, x.offset, g, b0, b1, xp);
                    gatherWide(dy.data, dy.offset, g, b0, b1, dyw, lenR);
                    // Long runs (an image's operands fill the L1 cache) go one image per call; short ones several
                    // images per call, so that each dW value is reduced from its vector accumulator once per batch.
                    int step = lenR >= LONG_RUN ? 1 : nb;
                    for (int e = 0; e < nb; e += step) {
                        conv.columnTableProduct(g.oc, kk, lenR, new DenseRows(dyw, e * lenR, nb * lenR),
                                new ColumnTable(xp, e * image, rows), new DenseRows(dw, 0, kk), true,
                                new Sum(Math.min(step, nb - e), lenR, image));
                    }
                }
                partial[ch] = dw;
            }
        });
        float[] dw = partial[0];
        for (int ch = 1; ch < chunks; ch++) {
            ElementwiseKernels.CHOSEN.axpy(1f, partial[ch], 0, dw, 0, dw.length);
        }
        return dw;
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
