package dev.frelon.core.kernel;

import static dev.frelon.core.kernel.VectorWidth.FMA;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API GEMM in the Goto/BLIS shape: B is packed in KC×NC blocks of NR-wide strips, A in MC×KC blocks of
 * MR-tall strips (both zero-padded, so edge tiles run the same micro-kernel), and an MR × NR register tile
 * accumulates independent FMA chains, sized to the register file ({@link Isa#registers()}): 6 rows × 4 vectors
 * (24 accumulators) with 32 vector registers (AVX-512 at any width, NEON), 4 rows × 2 vectors with 16 (AVX2,
 * SSE). A 6 × 2 tile needs 12 accumulators, 2 B vectors and a broadcast, all 16 registers of AVX2, and C2 then
 * spills: 50 GFLOPS on a Zen 5 core under {@code -XX:UseAVX=2} against 100 for 4 × 2 and a 114 GFLOPS peak.
 * KC is chosen so that one packed B strip (KC×NR) stays in
 * the L1 cache while the A strips stream past it. Transposed operands are packed with their dense dimension
 * innermost, so that no operand layout pays for strided reads. Products of at most 16 rows with dense B rows
 * pack only A and read B's strips in place ({@link #inPlaceB}; from 7 rows with 32 registers in 8 × 2-vector tiles,
 * {@link #microTall}). A transposed B with a depth of at least twice the rows (X·Wᵀ at a small batch) is computed
 * as Cᵀ = W·Xᵀ with W's rows read in place ({@link #transposedB}). Small or skinny products skip packing: a row
 * of C is then an axpy over rows of B, or a dot product with a column of B stored as a row.
 *
 * <p>Workspace: one set of packing buffers per thread (thread-local), grown once and reused; a call allocates
 * nothing.
 */
final class VectorGemm implements GemmKernel {

    private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
    private static final int V = S.length();
    /** 32 vector registers (AVX-512, NEON): the 6 × 4 tiles; else the 4 × 2 ones. */
    static final boolean WIDE_FILE = VectorWidth.REGISTERS >= 32;
    static final int MR = WIDE_FILE ? 6 : 4;
    /** Vectors per tile row. */
    private static final int NVEC = WIDE_FILE ? 4 : 2;
    static final int NR = NVEC * V;
    /** A packed B strip of KC×NR floats takes about 32 KB: it stays in L1. */
    static final int KC = Math.max(128, Math.min(384, 8192 / NR));
    /**
     * Depth of the packed blocks when C is large (see {@link #depthBlock}): a B strip of up to 192 KB then streams
     * from L2, and C is loaded and stored three times for k = 2048 instead of sixteen (gemm_2048 on one thread:
     * 100 GFLOPS with 128, 119 with 256, 128-142 with 768).
     */
    private static final int KC_LARGE = 768;
    /** From this many elements of C (1 MiB) on, C does not stay in L2 from one depth block to the next. */
    private static final long LARGE_C = 1L << 18;
    static final int MC = 48 * MR;
    private static final int NC = 16 * NR;
    /**
     * Products with at most this many rows (three register tiles of six rows, four of four) read B in place
     * ({@link #inPlaceB}).
     */
    private static final int IN_PLACE_B_ROWS = 16;
    /**
     * Rows of the tall tiles that serve in-place products of more than MR rows with 32 registers (see
     * {@link #microTall}): 8 rows × 2 vectors, 16 accumulators, so that each B vector loaded from its row in place
     * serves 8 rows instead of 6 of a 6 × 4 tile, and a 16-row product is two tiles instead of three.
     */
    private static final int TALL_MR = 8;
    /** Columns of a tall tile: two vectors. */
    private static final int TALL_NR = 2 * V;
    /** Below this many multiply-adds packing costs more than it saves. */
    private static final long SMALL = 32L * 32 * 32;

    /** {@link #dotTiles} serves A·Bᵀ products whose smaller side is at most this. */
    static final int DOT_TILE_MAX = 32;
    /** Length of the stretches in which {@link #dotTiles} walks long dot products: 4 KB of each run. */
    private static final int DOT_CHUNK = 1024;
    /**
     * Floats of the vector partial sums that {@link #dotTiles} carries from one stretch to the next (128 KB, in L2):
     * C's rows are taken in groups whose blocks' accumulators fit.
     */
    private static final int DOT_PARTIAL_FLOATS = 1 << 15;
    /**
     * Per thread: the vector partial sums of a group of dot-product blocks (see {@link #dotTiles}); more than
     * {@link #DOT_PARTIAL_FLOATS} when one row of blocks needs more.
     */
    private static final ThreadLocal<float[][]> DOT_PARTIALS = ThreadLocal.withInitial(() -> new float[1][0]);

    /**
     * Per thread: the packed A block (MC×KC_LARGE), the packed B block (KC_LARGE×NC) and an edge tile (MR×NR).
     * {@link #transposedB} borrows the first for Cᵀ and the second for Aᵀ's strips.
     * {@link VectorConvolution}'s row-table products use the packed A block and the edge tile too.
     */
    static final ThreadLocal<float[][]> WORKSPACE = ThreadLocal.withInitial(
            () -> new float[][] {new float[MC * KC_LARGE], new float[KC_LARGE * NC], new float[MR * NR]});

    /**
     * Per thread: the accumulators of a block of dot products, stored to be summed lane by lane
     * ({@link LaneSum#sum(float[], int)}). Sixteen vector lane sums inlined into one kernel exceed C2's inlining
     * budget; the calls past it are compiled out of line, box their vectors and run the Vector API's Java fallback
     * (seen: a convolution's weight gradient 2× slower under {@code -XX:UseAVX=2}).
     */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[16 * V]);

    /**
     * Whether the instruction set has vector gathers: x86 from AVX2 on. NEON and SSE have none, and the JDK then
     * gathers lane by lane in Java; there a transposed B is packed by the scalar loop instead. Where they exist they
     * pack dY·Wᵀ's B a little faster than that loop (Zen 5: 112 against 97 GFLOPS for 64×256×784).
     */
    private static final boolean GATHERS = Isa.current().avx() >= 2;


    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs, int bCs,
                     float[] c, int cOff, int cRs, boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        if ((long) m * n * k < (long) VectorWidth.TINY * VectorWidth.TINY) {
            ScalarGemm.naive(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, accumulate);
            return;
        }
        if (!packed(m, n, k, aCs, bRs)) {
            unpacked(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, accumulate);
            return;
        }
        if (bCs == 1 && m <= IN_PLACE_B_ROWS && n >= NR) {
            inPlaceB(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, cRs, accumulate);
            return;
        }
        if (bRs == 1 && bCs != 1 && transposesC(m, n, k)) {
            transposedB(m, n, k, a, aOff, aRs, aCs, b, bOff, bCs, c, cOff, cRs, accumulate);
            return;
        }
        float[][] ws = WORKSPACE.get();
        int kb = depthBlock(m, n, k);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kb) {
                int kc = Math.min(kb, k - pc);
                packB(b, bOff + pc * bRs + jc * bCs, bRs, bCs, kc, 0, nc, ws[1]);
                packedBlock(0, m, 0, nc, kc, a, aOff + pc * aCs, aRs, aCs, ws[1], c, cOff + jc, cRs,
                        accumulate || pc > 0, ws);
            }
        }
    }

    /**
     * The packed path on the pool, as BLIS does it, for products with a large C: for each block of B (NC columns ×
     * one depth block) the threads first pack the block's strips together into the calling thread's workspace, then
     * each computes a share of that block's tiles — by rows of C, packing only its own rows of A, or by strips of B
     * when C has too few rows to share evenly. Nothing is packed twice. Smaller products take the default bands.
     */
    @Override
    public void gemmParallel(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs,
                             int bCs, float[] c, int cOff, int cRs, boolean accumulate) {
        int t = Parallel.threads();
        // With a small C the default bands cost one fork for the whole product instead of two per block, and what
        // they pack twice (A when split by columns, B by rows) is small beside their share of the work.
        if (t == 1 || !packed(m, n, k, aCs, bRs) || (long) m * n < LARGE_C) {
            GemmKernel.super.gemmParallel(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, accumulate);
            return;
        }
        float[] packB = WORKSPACE.get()[1];
        int kb = depthBlock(m, n, k);
        int rowUnits = (m + MR - 1) / MR;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc), strips = (nc + NR - 1) / NR;
            // The busiest thread's share of the block, by rows or by strips; rows win ties (no A packed twice).
            boolean byRows = (double) ((rowUnits + t - 1) / t) / rowUnits <= (double) ((strips + t - 1) / t) / strips;
            for (int pc = 0; pc < k; pc += kb) {
                int kc = Math.min(kb, k - pc), bBlock = bOff + pc * bRs + jc * bCs, aBlock = aOff + pc * aCs;
                int cBlock = cOff + jc;
                boolean acc = accumulate || pc > 0;
                Parallel.forRange(0, strips, 1, (lo, hi) ->
                        packB(b, bBlock, bRs, bCs, kc, lo * NR, Math.min(nc, hi * NR), packB));
                if (byRows) {
                    Parallel.forRange(0, rowUnits, 1, (lo, hi) -> packedBlock(lo * MR, Math.min(m, hi * MR), 0, nc,
                            kc, a, aBlock, aRs, aCs, packB, c, cBlock, cRs, acc, WORKSPACE.get()));
                } else {
                    Parallel.forRange(0, strips, 1, (lo, hi) -> packedBlock(0, m, lo * NR, Math.min(nc, hi * NR),
                            kc, a, aBlock, aRs, aCs, packB, c, cBlock, cRs, acc, WORKSPACE.get()));
                }
            }
        }
    }

    /**
     * Whether an m×n×k product takes the packed path. Skinny products whose A rows and B columns are both dense
     * runs (a weight gradient such as dY·colsᵀ with few columns) are dot products, and packing them would compute
     * mostly padding; below {@link #SMALL} packing costs more than it saves.
     */
    private static boolean packed(int m, int n, int k, int aCs, int bRs) {
        boolean denseDots = aCs == 1 && bRs == 1;
        if (denseDots && (n < NR / 2 || (k >= 4 * V && Math.min(m, n) <= DOT_TILE_MAX))) {
            return false;
        }
        return k > 0 && m >= MR && (long) m * n * k >= SMALL;
    }

    /** The products {@link #packed} declines: blocks of dot products, or axpy rows. */
    private static void unpacked(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff,
                                 int bRs, int bCs, float[] c, int cOff, int cRs, boolean accumulate) {
        if (aCs == 1 && bRs == 1 && k >= 4 * V && Math.min(m, n) <= DOT_TILE_MAX) {
            // A·Bᵀ with few rows or columns and a long k (a convolution's weight gradient, dY · colsᵀ): blocks of
            // 4×4 dot products read each loaded vector four times, and nothing is packed.
            dotTiles(m, n, k, a, aOff, aRs, b, bOff, bCs, c, cOff, cRs, accumulate);
        } else {
            small(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, accumulate);
        }
    }

    /**
     * A product with few rows ({@link #IN_PLACE_B_ROWS} at most) and B with dense rows: each B vector then serves
     * only a few register tiles, so packing B (a copy of all of it) costs more than the tiles' reads of B in place,
     * NR columns at a row stride, save. A DCGAN generator's last layer (128 channels of 14×14 to one of 28×28, 64
     * images; a 16 × 3,920 × 128 product per 20 images) on one Zen 5 core: 1,506 µs packed against 808 in place at
     * 512 bits, 1,360 against 1,022 under AVX2, 2,090 against 1,521 at 128 bits. Only the last, partial strip is
     * packed, zero-padded.
     * The depth blocks and each tile's order of multiply-adds are the packed path's, so the bits are the same.
     */
    private static void inPlaceB(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff,
                                 int bRs, float[] c, int cOff, int cRs, boolean accumulate) {
        if (WIDE_FILE && m > MR) {
            inPlaceTall(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, cRs, accumulate);
            return;
        }
        float[][] ws = WORKSPACE.get();
        float[] packA = ws[0], packB = ws[1], tile = ws[2];
        int kb = depthBlock(m, n, k), full = n / NR * NR;
        for (int pc = 0; pc < k; pc += kb) {
            int kc = Math.min(kb, k - pc);
            boolean acc = accumulate || pc > 0;
            packA(a, aOff + pc * aCs, aRs, aCs, m, kc, packA);
            for (int jr = 0; jr < full; jr += NR) {
                for (int ir = 0; ir < m; ir += MR) {
                    micro(kc, packA, ir * kc, b, bOff + pc * bRs + jr, bRs, c, cOff + ir * cRs + jr, cRs,
                            Math.min(MR, m - ir), NR, acc, tile);
                }
            }
            if (full < n) {
                packB(b, bOff + pc * bRs + full, bRs, 1, kc, 0, n - full, packB);
                for (int ir = 0; ir < m; ir += MR) {
                    int rows = Math.min(MR, m - ir), cOffTile = cOff + ir * cRs + full;
                    if (n - full <= V) {
                        // A tail of one vector or less (196 = 3·64 + 4 columns for a 14×14 image): a full tile
                        // would be three quarters padding.
                        microOneVector(kc, packA, ir * kc, packB, NR, c, cOffTile, cRs, rows, n - full, acc, tile);
                    } else {
                        micro(kc, packA, ir * kc, packB, 0, NR, c, cOffTile, cRs, rows, n - full, acc, tile);
                    }
                }
            }
        }
    }

    /**
     * Whether an m×n×k product with a transposed B takes {@link #transposedB}. It trades packing B (n×k floats, by
     * gathers) for transposing C (m×n, twice with accumulation), so k must be at least twice m; its tiles pad m to
     * a multiple of NR and n to one of MR, where the packed path pads m to MR and n to NR, and the padded tiles may
     * not do more multiply-adds than the packed path's (at 512 bits, with n = 256 and k = 784: 64 rows in 153–161
     * against 217–221 µs and 128 rows 342 against 383, but 60 rows would take 222 against 202, 120 rows 386 against
     * 359, and 65 rows 323 against 222); Cᵀ must fit the packed-A workspace it borrows, and Aᵀ's strips (m
     * columns of a depth block of at most KC_LARGE) the packed-B one, which m ≤ NC ensures. Only with 32 vector
     * registers and FMA (AVX-512, NEON): with 16 (AVX2, SSE) a 4 × 2 tile reading A in place measured no faster
     * than packing B, and under AVX2 at times 1.3 times slower.
     */
    static boolean transposesC(int m, int n, int k) {
        if (!WIDE_FILE || !FMA || k < 2 * m || n < MR || m > NC || (long) m * n > (long) MC * KC_LARGE) {
            return false;
        }
        long inPlaceTiles = (long) roundUp(m, NR) * roundUp(n, MR);
        long packedTiles = (long) roundUp(m, MR) * roundUp(n, NR);
        return inPlaceTiles <= packedTiles;
    }

    /** {@code x} rounded up to a multiple of {@code multiple}. */
    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * A product with a transposed B, B[p][j] at {@code b[bOff + j·bCs + p]}, and few rows beside its depth: a
     * {@code Linear} layer's forward X·Wᵀ at a small batch, where packing B copies all of W (n×k) for only m rows
     * of X to use each strip. It computes Cᵀ = Bᵀ·Aᵀ instead: W's rows are read in place as the tiles' broadcast
     * operand, Aᵀ (k×m) is packed into strips, and the tiles accumulate Cᵀ in the packed-A workspace, which is
     * transposed into C at the end. An MLP's first layer at batch 64 (64 × 256 × 784) on one Zen 5 core: 148–157
     * against 212–226 µs at 512 bits, 516–541 against 619–631 µs at 128 (the median call, in five to ten JVMs).
     * The depth blocks are the packed path's, and each element's multiply-adds are the same, in the same order
     * (a·b = b·a exactly): the bits are the same, NaN payloads aside.
     */
    private static void transposedB(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff,
                                    int bCs, float[] c, int cOff, int cRs, boolean accumulate) {
        float[][] ws = WORKSPACE.get();
        float[] ct = ws[0], packB = ws[1], tile = ws[2];
        if (accumulate) {
            for (int i = 0; i < m; i++) {
                for (int j = 0, src = cOff + i * cRs; j < n; j++) {
                    ct[j * m + i] = c[src + j];
                }
            }
        }
        int kb = depthBlock(m, n, k);
        for (int pc = 0; pc < k; pc += kb) {
            int kc = Math.min(kb, k - pc);
            boolean acc = accumulate || pc > 0;
            // Aᵀ's block: element (p, i) is A[i][pc + p], at a row stride of aCs and a column stride of aRs.
            packB(a, aOff + pc * aCs, aCs, aRs, kc, 0, m, packB);
            for (int jr = 0; jr < m; jr += NR) {
                int cols = Math.min(NR, m - jr);
                for (int ir = 0; ir < n; ir += MR) {
                    rows6x4(kc, b, bOff + ir * bCs + pc, bCs, packB, jr * kc, NR, ct, ir * m + jr, m,
                            Math.min(MR, n - ir), cols, acc, tile);
                }
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0, dst = cOff + i * cRs; j < n; j++) {
                c[dst + j] = ct[j * m + i];
            }
        }
    }

    /**
     * {@link #inPlaceB} for 7 to 16 rows with 32 vector registers, in tall tiles ({@link #microTall}). A DCGAN
     * generator's last layer (16 × 196 × 128 per image, B the image's output gradient read where it lies) on one
     * Zen 5 core at 512 bits: 64 images in 290 µs against 570 in 6 × 4 tiles, which read each B strip three times
     * and pad the 16 rows to 18. The last strip (fewer than two vectors of columns) is read in place too when b
     * holds two vectors' worth of floats from its start on every row, else packed, zero-padded; one vector or less
     * runs {@link #microTallOneVector}. Each element's multiply-adds are those of the packed path, in the same order:
     * the bits are the same.
     */
    private static void inPlaceTall(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff,
                                    int bRs, float[] c, int cOff, int cRs, boolean accumulate) {
        float[][] ws = WORKSPACE.get();
        float[] packA = ws[0], packB = ws[1], tile = ws[2];
        int kb = depthBlock(m, n, k), full = n / TALL_NR * TALL_NR;
        for (int pc = 0; pc < k; pc += kb) {
            int kc = Math.min(kb, k - pc);
            boolean acc = accumulate || pc > 0;
            packTall(a, aOff + pc * aCs, aRs, aCs, m, kc, packA);
            for (int jr = 0; jr < full; jr += TALL_NR) {
                for (int ir = 0; ir < m; ir += TALL_MR) {
                    microTall(kc, packA, ir * kc, b, bOff + pc * bRs + jr, bRs, c, cOff + ir * cRs + jr, cRs,
                            Math.min(TALL_MR, m - ir), TALL_NR, acc, tile);
                }
            }
            if (full < n) {
                int cols = n - full, src = bOff + pc * bRs + full;
                float[] pb = b;
                int stride = bRs;
                if ((long) src + (long) (kc - 1) * bRs + TALL_NR > b.length) {
                    // The last strip's vectors would run past the end of b: pack it, two vectors wide.
                    for (int p = 0; p < kc; p++) {
                        System.arraycopy(b, src + p * bRs, packB, p * TALL_NR, cols);
                        Arrays.fill(packB, p * TALL_NR + cols, (p + 1) * TALL_NR, 0f);
                    }
                    pb = packB;
                    src = 0;
                    stride = TALL_NR;
                }
                // Otherwise read in place: the lanes past the last column load whatever follows it in b (the next
                // row), and their sums go to the edge tile's columns that are never copied to C.
                for (int ir = 0; ir < m; ir += TALL_MR) {
                    if (cols <= V) {
                        // A tail of one vector or less (196 = 6·32 + 4 columns for a 14×14 image at 512 bits).
                        microTallOneVector(kc, packA, ir * kc, pb, src, stride, c, cOff + ir * cRs + full, cRs,
                                Math.min(TALL_MR, m - ir), cols, acc, tile);
                    } else {
                        microTall(kc, packA, ir * kc, pb, src, stride, c, cOff + ir * cRs + full, cRs,
                                Math.min(TALL_MR, m - ir), cols, acc, tile);
                    }
                }
            }
        }
    }

    /**
     * Packs an mc×kc block of A into {@link #TALL_MR}-row strips for {@link #microTall}: strip s holds, for each p,
     * its TALL_MR values contiguously at {@code dst[s·TALL_MR·kc + p·TALL_MR]} (zero rows past mc).
     */
    private static void packTall(float[] a, int off, int rs, int cs, int mc, int kc, float[] dst) {
        for (int ir = 0; ir < mc; ir += TALL_MR) {
            int base = ir * kc, rows = Math.min(TALL_MR, mc - ir);
            for (int p = 0; p < kc; p++) {
                int d = base + p * TALL_MR, src = off + ir * rs + p * cs;
                if (rs == 1 && rows == TALL_MR) {
                    // A read transposed (a weight in an input gradient): one p's values are adjacent.
                    System.arraycopy(a, src, dst, d, TALL_MR);
                    continue;
                }
                for (int r = 0; r < TALL_MR; r++) {
                    dst[d + r] = r < rows ? a[src + r * rs] : 0f;
                }
            }
        }
    }

    /**
     * One {@link #TALL_MR} × 2-vector tile of C from a packed tall A strip and B rows {@code bStride} apart from
     * {@code pb[bBase]} (in place, or a packed last strip): each element's multiply-adds in increasing p, as in
     * {@link #micro6x4}. Partial tiles go through the edge tile.
     */
    private static void microTall(int kc, float[] pa, int aBase, float[] pb, int bBase, int bStride, float[] c,
                                  int cOff, int cRs, int rows, int cols, boolean acc, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        for (int p = 0; p < kc; p++) {
            int ai = aBase + p * TALL_MR, bi = bBase + p * bStride;
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + V);
            FloatVector a0 = FloatVector.broadcast(S, pa[ai]);
            c00 = FMA ? b0.fma(a0, c00) : b0.mul(a0).add(c00);
            c01 = FMA ? b1.fma(a0, c01) : b1.mul(a0).add(c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[ai + 1]);
            c10 = FMA ? b0.fma(a1, c10) : b0.mul(a1).add(c10);
            c11 = FMA ? b1.fma(a1, c11) : b1.mul(a1).add(c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[ai + 2]);
            c20 = FMA ? b0.fma(a2, c20) : b0.mul(a2).add(c20);
            c21 = FMA ? b1.fma(a2, c21) : b1.mul(a2).add(c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[ai + 3]);
            c30 = FMA ? b0.fma(a3, c30) : b0.mul(a3).add(c30);
            c31 = FMA ? b1.fma(a3, c31) : b1.mul(a3).add(c31);
            FloatVector a4 = FloatVector.broadcast(S, pa[ai + 4]);
            c40 = FMA ? b0.fma(a4, c40) : b0.mul(a4).add(c40);
            c41 = FMA ? b1.fma(a4, c41) : b1.mul(a4).add(c41);
            FloatVector a5 = FloatVector.broadcast(S, pa[ai + 5]);
            c50 = FMA ? b0.fma(a5, c50) : b0.mul(a5).add(c50);
            c51 = FMA ? b1.fma(a5, c51) : b1.mul(a5).add(c51);
            FloatVector a6 = FloatVector.broadcast(S, pa[ai + 6]);
            c60 = FMA ? b0.fma(a6, c60) : b0.mul(a6).add(c60);
            c61 = FMA ? b1.fma(a6, c61) : b1.mul(a6).add(c61);
            FloatVector a7 = FloatVector.broadcast(S, pa[ai + 7]);
            c70 = FMA ? b0.fma(a7, c70) : b0.mul(a7).add(c70);
            c71 = FMA ? b1.fma(a7, c71) : b1.mul(a7).add(c71);
        }
        // As in micro6x4: every vector is stored here, so that C2 keeps the accumulators in registers.
        boolean full = rows == TALL_MR && cols == TALL_NR;
        float[] dst = full ? c : tile;
        int ld = full ? cRs : TALL_NR;
        int o0 = full ? cOff : 0, o1 = o0 + ld, o2 = o1 + ld, o3 = o2 + ld, o4 = o3 + ld, o5 = o4 + ld;
        int o6 = o5 + ld, o7 = o6 + ld;
        if (full && acc) {
            c00 = c00.add(FloatVector.fromArray(S, dst, o0)); c01 = c01.add(FloatVector.fromArray(S, dst, o0 + V));
            c10 = c10.add(FloatVector.fromArray(S, dst, o1)); c11 = c11.add(FloatVector.fromArray(S, dst, o1 + V));
            c20 = c20.add(FloatVector.fromArray(S, dst, o2)); c21 = c21.add(FloatVector.fromArray(S, dst, o2 + V));
            c30 = c30.add(FloatVector.fromArray(S, dst, o3)); c31 = c31.add(FloatVector.fromArray(S, dst, o3 + V));
            c40 = c40.add(FloatVector.fromArray(S, dst, o4)); c41 = c41.add(FloatVector.fromArray(S, dst, o4 + V));
            c50 = c50.add(FloatVector.fromArray(S, dst, o5)); c51 = c51.add(FloatVector.fromArray(S, dst, o5 + V));
            c60 = c60.add(FloatVector.fromArray(S, dst, o6)); c61 = c61.add(FloatVector.fromArray(S, dst, o6 + V));
            c70 = c70.add(FloatVector.fromArray(S, dst, o7)); c71 = c71.add(FloatVector.fromArray(S, dst, o7 + V));
        }
        c00.intoArray(dst, o0); c01.intoArray(dst, o0 + V);
        c10.intoArray(dst, o1); c11.intoArray(dst, o1 + V);
        c20.intoArray(dst, o2); c21.intoArray(dst, o2 + V);
        c30.intoArray(dst, o3); c31.intoArray(dst, o3 + V);
        c40.intoArray(dst, o4); c41.intoArray(dst, o4 + V);
        c50.intoArray(dst, o5); c51.intoArray(dst, o5 + V);
        c60.intoArray(dst, o6); c61.intoArray(dst, o6 + V);
        c70.intoArray(dst, o7); c71.intoArray(dst, o7 + V);
        if (!full) {
            flushTile(tile, TALL_NR, c, cOff, cRs, rows, cols, acc);
        }
    }

    /**
     * The first vector of {@link #microTall}'s tile, for a last strip of at most V columns: the same multiply-adds in
     * the same order, written through the edge tile.
     */
    private static void microTallOneVector(int kc, float[] pa, int aBase, float[] pb, int bBase, int bStride,
                                           float[] c, int cOff, int cRs, int rows, int cols, boolean acc,
                                           float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        for (int p = 0; p < kc; p++) {
            int ai = aBase + p * TALL_MR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bBase + p * bStride);
            c0 = FMA ? b0.fma(FloatVector.broadcast(S, pa[ai]), c0) : b0.mul(pa[ai]).add(c0);
            c1 = FMA ? b0.fma(FloatVector.broadcast(S, pa[ai + 1]), c1) : b0.mul(pa[ai + 1]).add(c1);
            c2 = FMA ? b0.fma(FloatVector.broadcast(S, pa[ai + 2]), c2) : b0.mul(pa[ai + 2]).add(c2);
            c3 = FMA ? b0.fma(FloatVector.broadcast(S, pa[ai + 3]), c3) : b0.mul(pa[ai + 3]).add(c3);
            c4 = FMA ? b0.fma(FloatVector.broadcast(S, pa[ai + 4]), c4) : b0.mul(pa[ai + 4]).add(c4);
            c5 = FMA ? b0.fma(FloatVector.broadcast(S, pa[ai + 5]), c5) : b0.mul(pa[ai + 5]).add(c5);
            c6 = FMA ? b0.fma(FloatVector.broadcast(S, pa[ai + 6]), c6) : b0.mul(pa[ai + 6]).add(c6);
            c7 = FMA ? b0.fma(FloatVector.broadcast(S, pa[ai + 7]), c7) : b0.mul(pa[ai + 7]).add(c7);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, V);
        c2.intoArray(tile, 2 * V);
        c3.intoArray(tile, 3 * V);
        c4.intoArray(tile, 4 * V);
        c5.intoArray(tile, 5 * V);
        c6.intoArray(tile, 6 * V);
        c7.intoArray(tile, 7 * V);
        flushTile(tile, V, c, cOff, cRs, rows, cols, acc);
    }

    /**
     * The depth of the packed blocks of an m×n×k product: k split into equal blocks of at most {@link #KC}, or of
     * at most {@link #KC_LARGE} when C is large, since every block loads and stores all of C once more, which then
     * costs more than a B strip spilling from L1 to L2. Equal blocks (784 = 7 × 112, not 6 × 128 + 16): a short
     * last block would pay the tile's load and store for few multiply-adds.
     */
    private static int depthBlock(int m, int n, int k) {
        int max = (long) m * n >= LARGE_C ? KC_LARGE : KC;
        int blocks = (k + max - 1) / max;
        return (k + blocks - 1) / blocks;
    }

    /**
     * Rows {@code [i0, i1)} × block columns {@code [j0, j1)} of C ({@code j0} a multiple of NR) from packed B strips
     * (strip s at {@code packB[s·NR·kc]}): packs A by MC rows into this thread's workspace and runs the tiles.
     */
    private static void packedBlock(int i0, int i1, int j0, int j1, int kc, float[] a, int aOff, int aRs, int aCs,
                                    float[] packB, float[] c, int cOff, int cRs, boolean acc, float[][] ws) {
        float[] packA = ws[0], tile = ws[2];
        for (int ic = i0; ic < i1; ic += MC) {
            int mc = Math.min(MC, i1 - ic);
            packA(a, aOff + ic * aRs, aRs, aCs, mc, kc, packA);
            for (int jr = j0; jr < j1; jr += NR) {
                int cols = Math.min(NR, j1 - jr);
                for (int ir = 0; ir < mc; ir += MR) {
                    micro(kc, packA, ir * kc, packB, jr * kc, NR, c, cOff + (ic + ir) * cRs + jr, cRs,
                            Math.min(MR, mc - ir), cols, acc, tile);
                }
            }
        }
    }

    /**
     * Packs an mc×kc block of A into MR-row strips: strip s holds, for each p, its MR values contiguously (zero rows
     * past mc). Also packs the A of {@link VectorConvolution}'s row-table products.
     */
    static void packA(float[] a, int off, int rs, int cs, int mc, int kc, float[] dst) {
        for (int ir = 0; ir < mc; ir += MR) {
            int base = ir * kc;
            int rows = Math.min(MR, mc - ir);
            if (rs == 1 && rows == MR) {
                // A read transposed (Xᵀ in a weight gradient): the MR values of one p are adjacent in memory.
                for (int p = 0; p < kc; p++) {
                    int src = off + ir + p * cs, d = base + p * MR;
                    for (int r = 0; r < MR; r++) {
                        dst[d + r] = a[src + r];
                    }
                }
                continue;
            }
            if (cs == 1 && rows == MR) {
                // Dense rows: MR read streams, one sequential write stream (writing each row's values MR apart
                // costs three times as much). MR is a constant: C2 unrolls the inner loop.
                int s0 = off + ir * rs;
                for (int p = 0; p < kc; p++) {
                    int d = base + p * MR;
                    for (int r = 0; r < MR; r++) {
                        dst[d + r] = a[s0 + r * rs + p];
                    }
                }
                continue;
            }
            for (int r = 0; r < MR; r++) {
                if (r < rows) {
                    int src = off + (ir + r) * rs;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * MR + r] = a[src + p * cs];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * MR + r] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs columns {@code [j0, j1)} ({@code j0} a multiple of NR) of a kc-deep block of B into NR-column strips:
     * strip s holds, for each p, its NR values contiguously, at {@code dst[s·NR·kc]}; columns past j1 in the last
     * strip are zero.
     */
    private static void packB(float[] b, int off, int rs, int cs, int kc, int j0, int j1, float[] dst) {
        // The lane offsets of a gather across columns of a transposed B: made once per call, not looked up in a
        // thread-local per strip, which cost a tenth of an MLP's step on a Spark executor's threads (whose many
        // thread-locals make lookups probe far).
        int[] lanes = null;
        for (int jr = j0; jr < j1; jr += NR) {
            int base = jr * kc;
            int cols = Math.min(NR, j1 - jr);
            if (cs == 1) {
                for (int p = 0; p < kc; p++) {
                    int d = base + p * NR;
                    System.arraycopy(b, off + p * rs + jr, dst, d, cols);
                    for (int j = cols; j < NR; j++) {
                        dst[d + j] = 0f;
                    }
                }
                continue;
            }
            if (cols == NR && rs == 1 && GATHERS) {
                // B read transposed (Wᵀ in an input gradient), a whole strip: each packed vector is one gather of V
                // columns at the same depth.
                if (lanes == null) {
                    lanes = new int[V];
                    for (int v = 0; v < V; v++) {
                        lanes[v] = v * cs;
                    }
                }
                for (int p = 0; p < kc; p++) {
                    int d = base + p * NR, src = off + jr * cs + p;
                    for (int jv = 0; jv < NR; jv += V) {
                        FloatVector.fromArray(S, b, src + jv * cs, lanes, 0).intoArray(dst, d + jv);
                    }
                }
                continue;
            }
            // B read transposed, the last strip or a strided layout: walk each column, dense along p when rs == 1,
            // sixteen depths at a time so that the writes, NR apart, stay within a few KB of the strip (in L1).
            for (int p0 = 0; p0 < kc; p0 += 16) {
                int p1 = Math.min(kc, p0 + 16);
                for (int j = 0; j < NR; j++) {
                    if (j < cols) {
                        int src = off + (jr + j) * cs;
                        for (int p = p0; p < p1; p++) {
                            dst[base + p * NR + j] = b[src + p * rs];
                        }
                    } else {
                        for (int p = p0; p < p1; p++) {
                            dst[base + p * NR + j] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** One MR×NR tile of C from a packed A strip and a packed B strip, by the kernel for this vector width. */
    private static void micro(int kc, float[] pa, int aBase, float[] pb, int bBase, int bStride, float[] c, int cOff,
                              int cRs, int rows, int cols, boolean acc, float[] tile) {
        if (WIDE_FILE) {
            micro6x4(kc, pa, aBase, pb, bBase, bStride, c, cOff, cRs, rows, cols, acc, tile);
        } else {
            micro4x2(kc, pa, aBase, pb, bBase, bStride, c, cOff, cRs, rows, cols, acc, tile);
        }
    }

    /**
     * Copies (or adds) the valid {@code rows × cols} corner of an edge tile into C (for these tiles and
     * {@link VectorConvolution}'s).
     */
    static void flushTile(float[] tile, int ld, float[] c, int cOff, int cRs, int rows, int cols, boolean acc) {
        for (int r = 0; r < rows; r++) {
            int d = cOff + r * cRs, src = r * ld;
            if (acc) {
                for (int j = 0; j < cols; j++) {
                    c[d + j] += tile[src + j];
                }
            } else {
                System.arraycopy(tile, src, c, d, cols);
            }
        }
    }

    /**
     * An MR-row tile one vector wide, for a last strip of at most V columns: the columns of {@link #micro}'s tile
     * with the same multiply-adds in the same order, written through the edge tile. B rows are {@code bStride}
     * apart from {@code pb[0]}.
     */
    private static void microOneVector(int kc, float[] pa, int aBase, float[] pb, int bStride, float[] c, int cOff,
                                       int cRs, int rows, int cols, boolean acc, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
        for (int p = 0; p < kc; p++) {
            int ai = aBase + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, pb, p * bStride);
            c0 = FMA ? b0.fma(FloatVector.broadcast(S, pa[ai]), c0) : b0.mul(pa[ai]).add(c0);
            c1 = FMA ? b0.fma(FloatVector.broadcast(S, pa[ai + 1]), c1) : b0.mul(pa[ai + 1]).add(c1);
            c2 = FMA ? b0.fma(FloatVector.broadcast(S, pa[ai + 2]), c2) : b0.mul(pa[ai + 2]).add(c2);
            c3 = FMA ? b0.fma(FloatVector.broadcast(S, pa[ai + 3]), c3) : b0.mul(pa[ai + 3]).add(c3);
            if (MR == 6) { // a constant: C2 folds the test away
                c4 = FMA ? b0.fma(FloatVector.broadcast(S, pa[ai + 4]), c4) : b0.mul(pa[ai + 4]).add(c4);
                c5 = FMA ? b0.fma(FloatVector.broadcast(S, pa[ai + 5]), c5) : b0.mul(pa[ai + 5]).add(c5);
            }
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, V);
        c2.intoArray(tile, 2 * V);
        c3.intoArray(tile, 3 * V);
        if (MR == 6) {
            c4.intoArray(tile, 4 * V);
            c5.intoArray(tile, 5 * V);
        }
        flushTile(tile, V, c, cOff, cRs, rows, cols, acc);
    }

    /** One 6×4-vector tile of C from a packed A strip and a packed B strip (see {@link #micro}). */
    private static void micro6x4(int kc, float[] pa, int aBase, float[] pb, int bBase, int bStride, float[] c,
                                 int cOff, int cRs, int rows, int cols, boolean acc, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z;
        FloatVector c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z;
        FloatVector c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z;
        FloatVector c50 = z, c51 = z, c52 = z, c53 = z;
        for (int p = 0; p < kc; p++) {
            // Indices linear in p, so that C2 hoists the bounds checks out of the loop.
            int ai = aBase + p * 6, bi = bBase + p * bStride;
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + 1 * V);
            FloatVector b2 = FloatVector.fromArray(S, pb, bi + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, pb, bi + 3 * V);
            FloatVector a0 = FloatVector.broadcast(S, pa[ai]);
            c00 = FMA ? b0.fma(a0, c00) : b0.mul(a0).add(c00);
            c01 = FMA ? b1.fma(a0, c01) : b1.mul(a0).add(c01);
            c02 = FMA ? b2.fma(a0, c02) : b2.mul(a0).add(c02);
            c03 = FMA ? b3.fma(a0, c03) : b3.mul(a0).add(c03);
            FloatVector a1 = FloatVector.broadcast(S, pa[ai + 1]);
            c10 = FMA ? b0.fma(a1, c10) : b0.mul(a1).add(c10);
            c11 = FMA ? b1.fma(a1, c11) : b1.mul(a1).add(c11);
            c12 = FMA ? b2.fma(a1, c12) : b2.mul(a1).add(c12);
            c13 = FMA ? b3.fma(a1, c13) : b3.mul(a1).add(c13);
            FloatVector a2 = FloatVector.broadcast(S, pa[ai + 2]);
            c20 = FMA ? b0.fma(a2, c20) : b0.mul(a2).add(c20);
            c21 = FMA ? b1.fma(a2, c21) : b1.mul(a2).add(c21);
            c22 = FMA ? b2.fma(a2, c22) : b2.mul(a2).add(c22);
            c23 = FMA ? b3.fma(a2, c23) : b3.mul(a2).add(c23);
            FloatVector a3 = FloatVector.broadcast(S, pa[ai + 3]);
            c30 = FMA ? b0.fma(a3, c30) : b0.mul(a3).add(c30);
            c31 = FMA ? b1.fma(a3, c31) : b1.mul(a3).add(c31);
            c32 = FMA ? b2.fma(a3, c32) : b2.mul(a3).add(c32);
            c33 = FMA ? b3.fma(a3, c33) : b3.mul(a3).add(c33);
            FloatVector a4 = FloatVector.broadcast(S, pa[ai + 4]);
            c40 = FMA ? b0.fma(a4, c40) : b0.mul(a4).add(c40);
            c41 = FMA ? b1.fma(a4, c41) : b1.mul(a4).add(c41);
            c42 = FMA ? b2.fma(a4, c42) : b2.mul(a4).add(c42);
            c43 = FMA ? b3.fma(a4, c43) : b3.mul(a4).add(c43);
            FloatVector a5 = FloatVector.broadcast(S, pa[ai + 5]);
            c50 = FMA ? b0.fma(a5, c50) : b0.mul(a5).add(c50);
            c51 = FMA ? b1.fma(a5, c51) : b1.mul(a5).add(c51);
            c52 = FMA ? b2.fma(a5, c52) : b2.mul(a5).add(c52);
            c53 = FMA ? b3.fma(a5, c53) : b3.mul(a5).add(c53);
        }
        // Full tiles go straight to C; edge tiles to the workspace tile first. Every vector is stored here, in
        // this method, so that C2 keeps the accumulators in registers (a helper taking vectors as arguments
        // may not be inlined, and then every vector would be boxed).
        boolean full = rows == 6 && cols == 4 * V;
        float[] dst = full ? c : tile;
        int ld = full ? cRs : 4 * V;
        int o0 = full ? cOff : 0, o1 = o0 + ld, o2 = o1 + ld, o3 = o2 + ld, o4 = o3 + ld, o5 = o4 + ld;
        if (full && acc) {
            c00 = c00.add(FloatVector.fromArray(S, dst, o0)); c01 = c01.add(FloatVector.fromArray(S, dst, o0 + 1 * V)); c02 = c02.add(FloatVector.fromArray(S, dst, o0 + 2 * V)); c03 = c03.add(FloatVector.fromArray(S, dst, o0 + 3 * V));
            c10 = c10.add(FloatVector.fromArray(S, dst, o1)); c11 = c11.add(FloatVector.fromArray(S, dst, o1 + 1 * V)); c12 = c12.add(FloatVector.fromArray(S, dst, o1 + 2 * V)); c13 = c13.add(FloatVector.fromArray(S, dst, o1 + 3 * V));
            c20 = c20.add(FloatVector.fromArray(S, dst, o2)); c21 = c21.add(FloatVector.fromArray(S, dst, o2 + 1 * V)); c22 = c22.add(FloatVector.fromArray(S, dst, o2 + 2 * V)); c23 = c23.add(FloatVector.fromArray(S, dst, o2 + 3 * V));
            c30 = c30.add(FloatVector.fromArray(S, dst, o3)); c31 = c31.add(FloatVector.fromArray(S, dst, o3 + 1 * V)); c32 = c32.add(FloatVector.fromArray(S, dst, o3 + 2 * V)); c33 = c33.add(FloatVector.fromArray(S, dst, o3 + 3 * V));
            c40 = c40.add(FloatVector.fromArray(S, dst, o4)); c41 = c41.add(FloatVector.fromArray(S, dst, o4 + 1 * V)); c42 = c42.add(FloatVector.fromArray(S, dst, o4 + 2 * V)); c43 = c43.add(FloatVector.fromArray(S, dst, o4 + 3 * V));
            c50 = c50.add(FloatVector.fromArray(S, dst, o5)); c51 = c51.add(FloatVector.fromArray(S, dst, o5 + 1 * V)); c52 = c52.add(FloatVector.fromArray(S, dst, o5 + 2 * V)); c53 = c53.add(FloatVector.fromArray(S, dst, o5 + 3 * V));
        }
        c00.intoArray(dst, o0); c01.intoArray(dst, o0 + 1 * V); c02.intoArray(dst, o0 + 2 * V); c03.intoArray(dst, o0 + 3 * V);
        c10.intoArray(dst, o1); c11.intoArray(dst, o1 + 1 * V); c12.intoArray(dst, o1 + 2 * V); c13.intoArray(dst, o1 + 3 * V);
        c20.intoArray(dst, o2); c21.intoArray(dst, o2 + 1 * V); c22.intoArray(dst, o2 + 2 * V); c23.intoArray(dst, o2 + 3 * V);
        c30.intoArray(dst, o3); c31.intoArray(dst, o3 + 1 * V); c32.intoArray(dst, o3 + 2 * V); c33.intoArray(dst, o3 + 3 * V);
        c40.intoArray(dst, o4); c41.intoArray(dst, o4 + 1 * V); c42.intoArray(dst, o4 + 2 * V); c43.intoArray(dst, o4 + 3 * V);
        c50.intoArray(dst, o5); c51.intoArray(dst, o5 + 1 * V); c52.intoArray(dst, o5 + 2 * V); c53.intoArray(dst, o5 + 3 * V);
        if (!full) {
            flushTile(tile, 4 * V, c, cOff, cRs, rows, cols, acc);
        }
    }

    /** One 4×2-vector tile of C from a packed A strip and a packed B strip (see {@link #micro}). */
    private static void micro4x2(int kc, float[] pa, int aBase, float[] pb, int bBase, int bStride, float[] c,
                                 int cOff, int cRs, int rows, int cols, boolean acc, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z;
        FloatVector c10 = z, c11 = z;
        FloatVector c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z;
        for (int p = 0; p < kc; p++) {
            // Indices linear in p, so that C2 hoists the bounds checks out of the loop.
            int ai = aBase + p * 4, bi = bBase + p * bStride;
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + 1 * V);
            FloatVector a0 = FloatVector.broadcast(S, pa[ai]);
            c00 = FMA ? b0.fma(a0, c00) : b0.mul(a0).add(c00);
            c01 = FMA ? b1.fma(a0, c01) : b1.mul(a0).add(c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[ai + 1]);
            c10 = FMA ? b0.fma(a1, c10) : b0.mul(a1).add(c10);
            c11 = FMA ? b1.fma(a1, c11) : b1.mul(a1).add(c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[ai + 2]);
            c20 = FMA ? b0.fma(a2, c20) : b0.mul(a2).add(c20);
            c21 = FMA ? b1.fma(a2, c21) : b1.mul(a2).add(c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[ai + 3]);
            c30 = FMA ? b0.fma(a3, c30) : b0.mul(a3).add(c30);
            c31 = FMA ? b1.fma(a3, c31) : b1.mul(a3).add(c31);
        }
        // Full tiles go straight to C; edge tiles to the workspace tile first. Every vector is stored here, in
        // this method, so that C2 keeps the accumulators in registers (a helper taking vectors as arguments
        // may not be inlined, and then every vector would be boxed).
        boolean full = rows == 4 && cols == 2 * V;
        float[] dst = full ? c : tile;
        int ld = full ? cRs : 2 * V;
        int o0 = full ? cOff : 0, o1 = o0 + ld, o2 = o1 + ld, o3 = o2 + ld;
        if (full && acc) {
            c00 = c00.add(FloatVector.fromArray(S, dst, o0)); c01 = c01.add(FloatVector.fromArray(S, dst, o0 + 1 * V));
            c10 = c10.add(FloatVector.fromArray(S, dst, o1)); c11 = c11.add(FloatVector.fromArray(S, dst, o1 + 1 * V));
            c20 = c20.add(FloatVector.fromArray(S, dst, o2)); c21 = c21.add(FloatVector.fromArray(S, dst, o2 + 1 * V));
            c30 = c30.add(FloatVector.fromArray(S, dst, o3)); c31 = c31.add(FloatVector.fromArray(S, dst, o3 + 1 * V));
        }
        c00.intoArray(dst, o0); c01.intoArray(dst, o0 + 1 * V);
        c10.intoArray(dst, o1); c11.intoArray(dst, o1 + 1 * V);
        c20.intoArray(dst, o2); c21.intoArray(dst, o2 + 1 * V);
        c30.intoArray(dst, o3); c31.intoArray(dst, o3 + 1 * V);
        if (!full) {
            flushTile(tile, 2 * V, c, cOff, cRs, rows, cols, acc);
        }
    }

    /**
     * {@link #micro6x4} with A's six dense rows read in place, {@code aRow} apart from {@code pa[aBase]} (for
     * {@link #transposedB}, whose A is the caller's B: W's rows): the same multiply-adds in the same order. Rows
     * past {@code rows} read the last valid row, and their sums are dropped. A kernel of its own, not micro6x4 with
     * variable row offsets: C2 then compiled the packed path's tile slower (512³ on one Zen 5 core, the median of
     * five JVMs: 1,695 against 1,562 µs at 512 bits, 6,588 against 5,566 at 128; and the 4 × 2 tile so changed 1.4
     * times slower under SSE, at times 1.5 times under AVX2).
     */
    private static void rows6x4(int kc, float[] pa, int aBase, int aRow, float[] pb, int bBase, int bStride,
                                float[] c, int cOff, int cRs, int rows, int cols, boolean acc, float[] tile) {
        int r1 = Math.min(1, rows - 1) * aRow, r2 = Math.min(2, rows - 1) * aRow, r3 = Math.min(3, rows - 1) * aRow;
        int r4 = Math.min(4, rows - 1) * aRow, r5 = Math.min(5, rows - 1) * aRow;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z;
        FloatVector c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z;
        FloatVector c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z;
        FloatVector c50 = z, c51 = z, c52 = z, c53 = z;
        for (int p = 0; p < kc; p++) {
            // Indices linear in p, so that C2 hoists the bounds checks out of the loop.
            int ai = aBase + p, bi = bBase + p * bStride;
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + 1 * V);
            FloatVector b2 = FloatVector.fromArray(S, pb, bi + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, pb, bi + 3 * V);
            FloatVector a0 = FloatVector.broadcast(S, pa[ai]);
            c00 = FMA ? b0.fma(a0, c00) : b0.mul(a0).add(c00);
            c01 = FMA ? b1.fma(a0, c01) : b1.mul(a0).add(c01);
            c02 = FMA ? b2.fma(a0, c02) : b2.mul(a0).add(c02);
            c03 = FMA ? b3.fma(a0, c03) : b3.mul(a0).add(c03);
            FloatVector a1 = FloatVector.broadcast(S, pa[ai + r1]);
            c10 = FMA ? b0.fma(a1, c10) : b0.mul(a1).add(c10);
            c11 = FMA ? b1.fma(a1, c11) : b1.mul(a1).add(c11);
            c12 = FMA ? b2.fma(a1, c12) : b2.mul(a1).add(c12);
            c13 = FMA ? b3.fma(a1, c13) : b3.mul(a1).add(c13);
            FloatVector a2 = FloatVector.broadcast(S, pa[ai + r2]);
            c20 = FMA ? b0.fma(a2, c20) : b0.mul(a2).add(c20);
            c21 = FMA ? b1.fma(a2, c21) : b1.mul(a2).add(c21);
            c22 = FMA ? b2.fma(a2, c22) : b2.mul(a2).add(c22);
            c23 = FMA ? b3.fma(a2, c23) : b3.mul(a2).add(c23);
            FloatVector a3 = FloatVector.broadcast(S, pa[ai + r3]);
            c30 = FMA ? b0.fma(a3, c30) : b0.mul(a3).add(c30);
            c31 = FMA ? b1.fma(a3, c31) : b1.mul(a3).add(c31);
            c32 = FMA ? b2.fma(a3, c32) : b2.mul(a3).add(c32);
            c33 = FMA ? b3.fma(a3, c33) : b3.mul(a3).add(c33);
            FloatVector a4 = FloatVector.broadcast(S, pa[ai + r4]);
            c40 = FMA ? b0.fma(a4, c40) : b0.mul(a4).add(c40);
            c41 = FMA ? b1.fma(a4, c41) : b1.mul(a4).add(c41);
            c42 = FMA ? b2.fma(a4, c42) : b2.mul(a4).add(c42);
            c43 = FMA ? b3.fma(a4, c43) : b3.mul(a4).add(c43);
            FloatVector a5 = FloatVector.broadcast(S, pa[ai + r5]);
            c50 = FMA ? b0.fma(a5, c50) : b0.mul(a5).add(c50);
            c51 = FMA ? b1.fma(a5, c51) : b1.mul(a5).add(c51);
            c52 = FMA ? b2.fma(a5, c52) : b2.mul(a5).add(c52);
            c53 = FMA ? b3.fma(a5, c53) : b3.mul(a5).add(c53);
        }
        // Full tiles go straight to C; edge tiles to the workspace tile first. Every vector is stored here, in
        // this method, so that C2 keeps the accumulators in registers (a helper taking vectors as arguments
        // may not be inlined, and then every vector would be boxed).
        boolean full = rows == 6 && cols == 4 * V;
        float[] dst = full ? c : tile;
        int ld = full ? cRs : 4 * V;
        int o0 = full ? cOff : 0, o1 = o0 + ld, o2 = o1 + ld, o3 = o2 + ld, o4 = o3 + ld, o5 = o4 + ld;
        if (full && acc) {
            c00 = c00.add(FloatVector.fromArray(S, dst, o0)); c01 = c01.add(FloatVector.fromArray(S, dst, o0 + 1 * V)); c02 = c02.add(FloatVector.fromArray(S, dst, o0 + 2 * V)); c03 = c03.add(FloatVector.fromArray(S, dst, o0 + 3 * V));
            c10 = c10.add(FloatVector.fromArray(S, dst, o1)); c11 = c11.add(FloatVector.fromArray(S, dst, o1 + 1 * V)); c12 = c12.add(FloatVector.fromArray(S, dst, o1 + 2 * V)); c13 = c13.add(FloatVector.fromArray(S, dst, o1 + 3 * V));
            c20 = c20.add(FloatVector.fromArray(S, dst, o2)); c21 = c21.add(FloatVector.fromArray(S, dst, o2 + 1 * V)); c22 = c22.add(FloatVector.fromArray(S, dst, o2 + 2 * V)); c23 = c23.add(FloatVector.fromArray(S, dst, o2 + 3 * V));
            c30 = c30.add(FloatVector.fromArray(S, dst, o3)); c31 = c31.add(FloatVector.fromArray(S, dst, o3 + 1 * V)); c32 = c32.add(FloatVector.fromArray(S, dst, o3 + 2 * V)); c33 = c33.add(FloatVector.fromArray(S, dst, o3 + 3 * V));
            c40 = c40.add(FloatVector.fromArray(S, dst, o4)); c41 = c41.add(FloatVector.fromArray(S, dst, o4 + 1 * V)); c42 = c42.add(FloatVector.fromArray(S, dst, o4 + 2 * V)); c43 = c43.add(FloatVector.fromArray(S, dst, o4 + 3 * V));
            c50 = c50.add(FloatVector.fromArray(S, dst, o5)); c51 = c51.add(FloatVector.fromArray(S, dst, o5 + 1 * V)); c52 = c52.add(FloatVector.fromArray(S, dst, o5 + 2 * V)); c53 = c53.add(FloatVector.fromArray(S, dst, o5 + 3 * V));
        }
        c00.intoArray(dst, o0); c01.intoArray(dst, o0 + 1 * V); c02.intoArray(dst, o0 + 2 * V); c03.intoArray(dst, o0 + 3 * V);
        c10.intoArray(dst, o1); c11.intoArray(dst, o1 + 1 * V); c12.intoArray(dst, o1 + 2 * V); c13.intoArray(dst, o1 + 3 * V);
        c20.intoArray(dst, o2); c21.intoArray(dst, o2 + 1 * V); c22.intoArray(dst, o2 + 2 * V); c23.intoArray(dst, o2 + 3 * V);
        c30.intoArray(dst, o3); c31.intoArray(dst, o3 + 1 * V); c32.intoArray(dst, o3 + 2 * V); c33.intoArray(dst, o3 + 3 * V);
        c40.intoArray(dst, o4); c41.intoArray(dst, o4 + 1 * V); c42.intoArray(dst, o4 + 2 * V); c43.intoArray(dst, o4 + 3 * V);
        c50.intoArray(dst, o5); c51.intoArray(dst, o5 + 1 * V); c52.intoArray(dst, o5 + 2 * V); c53.intoArray(dst, o5 + 3 * V);
        if (!full) {
            flushTile(tile, 4 * V, c, cOff, cRs, rows, cols, acc);
        }
    }

    /** Unpacked path for small or skinny products. */
    private static void small(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs,
                              int bCs, float[] c, int cOff, int cRs, boolean accumulate) {
        if (bCs == 1 && !(aCs == 1 && bRs == 1)) {
            // C row i = sum_p A[i][p] * B row p: SIMD axpy over dense rows of B.
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * cRs;
                if (!accumulate) {
                    java.util.Arrays.fill(c, ci, ci + n, 0f);
                }
                int bound = S.loopBound(n);
                for (int p = 0; p < k; p++) {
                    float av = a[aOff + i * aRs + p * aCs];
                    FloatVector va = FloatVector.broadcast(S, av);
                    int bp = bOff + p * bRs;
                    int j = 0;
                    for (; j < bound; j += V) {
                        FloatVector vb = FloatVector.fromArray(S, b, bp + j), vc = FloatVector.fromArray(S, c, ci + j);
                        (FMA ? vb.fma(va, vc) : vb.mul(va).add(vc)).intoArray(c, ci + j);
                    }
                    for (; j < n; j++) {
                        c[ci + j] += av * b[bp + j];
                    }
                }
            }
        } else if (aCs == 1 && bRs == 1) {
            // B is stored column-major (a transposed weight): each C value is a dot product of two dense runs.
            for (int i = 0; i < m; i++) {
                int ai = aOff + i * aRs;
                for (int j = 0; j < n; j++) {
                    float d = dot(a, ai, b, bOff + j * bCs, k);
                    int ci = cOff + i * cRs + j;
                    c[ci] = accumulate ? c[ci] + d : d;
                }
            }
        } else {
            new ScalarGemm().gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, cRs, accumulate);
        }
    }

    /**
     * {@code C (+)= A·B} where A has dense rows ({@code aCs == 1}) and B dense columns ({@code bRs == 1}): every C
     * value is a dot product of two dense runs of length k. Four rows of A and four columns of B are walked
     * together (16 accumulators, 8 loads per 16 FMAs), the ragged end of k by a masked step; leftover rows go
     * one at a time against four columns, leftover columns by single dot products.
     */
    private static void dotTiles(int m, int n, int k, float[] a, int aOff, int aRs, float[] b, int bOff, int bCs,
                                 float[] c, int cOff, int cRs, boolean accumulate) {
        dotTiles(m, n, k, a, aOff, aRs, b, bOff, bCs, null, c, cOff, cRs, accumulate, 1, 0, 0);
    }

    /**
     * Column j of B starts at {@code bOff + cols[j]} when {@code cols} is given, else at {@code bOff + j·bCs}; the
     * sum runs over {@code count} products, product e shifted by {@code e·aStep} in A and {@code e·bStep} in B,
     * with each C value reduced from its vector accumulator once, after the last product. {@link VectorConvolution}'s
     * column-table products run here with a column table.
     */
    static void dotTiles(int m, int n, int k, float[] a, int aOff, int aRs, float[] b, int bOff, int bCs,
                                 int[] cols, float[] c, int cOff, int cRs, boolean accumulate, int count, int aStep,
                                 int bStep) {
        int m4 = m & ~3, n4 = n & ~3;
        // Long sums run in chunks of DOT_CHUNK (a multiple of V, so that only the last chunk has a ragged end):
        // every tile of a chunk reads the same short stretch of A and B, which then stays in cache from one tile
        // to the next, where whole runs of a large image's gradient would be fetched again for every tile. Each
        // block's vector accumulators carry over from one chunk to the next in a partials buffer and are reduced
        // to C once, after the last chunk: reducing them after every chunk (16 lane sums per block) took a sixth of
        // a DCGAN generator layer's training step. C's rows go in groups whose partials fit the buffer.
        int chunk = k > DOT_CHUNK * 3 / 2 ? DOT_CHUNK : k;
        int blockFloats = 16 * V, rowBlockFloats = Math.max(1, n4 / 4 * blockFloats);
        int groupRows = Math.max(4, DOT_PARTIAL_FLOATS / rowBlockFloats * 4);
        float[] partials = chunk < k ? partials(Math.min(m4, groupRows) / 4 * rowBlockFloats) : null;
        float[] lanes = LANES.get(); // once per call: thread-local lookups probe far on threads with many of them
        for (int g0 = 0; g0 < m4; g0 += groupRows) {
            int g1 = Math.min(m4, g0 + groupRows);
            for (int q = 0; q < k; q += chunk) {
                int kq = Math.min(chunk, k - q);
                boolean first = q == 0, last = q + kq == k;
                for (int i = g0; i < g1; i += 4) {
                    for (int j = 0; j < n4; j += 4) {
                        int b0 = bOff + q + (cols == null ? j * bCs : cols[j]);
                        int b1 = bOff + q + (cols == null ? (j + 1) * bCs : cols[j + 1]);
                        int b2 = bOff + q + (cols == null ? (j + 2) * bCs : cols[j + 2]);
                        int b3 = bOff + q + (cols == null ? (j + 3) * bCs : cols[j + 3]);
                        int pOff = ((i - g0) / 4 * (n4 / 4) + j / 4) * blockFloats;
                        if (WIDE_FILE) {
                            dot4x4(kq, a, aOff + q + i * aRs, aRs, b, b0, b1, b2, b3, c, cOff + i * cRs + j, cRs,
                                    accumulate, count, aStep, bStep, partials, pOff, first, last, lanes);
                        } else {
                            dot2x4(kq, a, aOff + q + i * aRs, aRs, b, b0, b1, b2, b3, c, cOff + i * cRs + j, cRs,
                                    accumulate, count, aStep, bStep, partials, pOff, first, last, lanes);
                            dot2x4(kq, a, aOff + q + (i + 2) * aRs, aRs, b, b0, b1, b2, b3, c,
                                    cOff + (i + 2) * cRs + j, cRs, accumulate, count, aStep, bStep, partials,
                                    pOff + 8 * V, first, last, lanes);
                        }
                    }
                }
            }
        }
        for (int i = m4; i < m; i++) {
            for (int j = 0; j < n4; j += 4) {
                int b0 = bOff + (cols == null ? j * bCs : cols[j]), b1 = bOff + (cols == null ? (j + 1) * bCs : cols[j + 1]);
                int b2 = bOff + (cols == null ? (j + 2) * bCs : cols[j + 2]), b3 = bOff + (cols == null ? (j + 3) * bCs : cols[j + 3]);
                dot1x4(k, a, aOff + i * aRs, b, b0, b1, b2, b3, c, cOff + i * cRs + j, accumulate, count, aStep, bStep,
                        lanes);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = n4; j < n; j++) {
                float d = 0f;
                for (int e = 0; e < count; e++) {
                    d += dot(a, aOff + i * aRs + e * aStep, b, bOff + (cols == null ? j * bCs : cols[j]) + e * bStep, k);
                }
                int ci = cOff + i * cRs + j;
                c[ci] = accumulate ? c[ci] + d : d;
            }
        }
    }

    /** This thread's partials buffer, grown to at least {@code size} floats. */
    private static float[] partials(int size) {
        float[][] holder = DOT_PARTIALS.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }

    /**
     * One 4×4 block of dot products over {@code [0, k)}. With {@code part} given, the block is one chunk of longer
     * sums: its vector accumulators add the partial sums of the chunks before ({@code !first}) and, unless this is
     * the {@code last} chunk, are stored back at {@code part[pOff]} instead of being reduced into C.
     */
    private static void dot4x4(int k, float[] a, int a0, int aRs, float[] b, int b0, int b1, int b2, int b3,
                               float[] c, int ci, int cRs, boolean acc, int count, int aStep, int bStep,
                               float[] part, int pOff, boolean first, boolean last, float[] lanesBuf) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = z, s01 = z, s02 = z, s03 = z, s10 = z, s11 = z, s12 = z, s13 = z;
        FloatVector s20 = z, s21 = z, s22 = z, s23 = z, s30 = z, s31 = z, s32 = z, s33 = z;
        int bound = S.loopBound(k);
        for (int e = 0; e < count; e++) {
            int ea = a0 + e * aStep, eb = e * bStep, a1 = ea + aRs, a2 = a1 + aRs, a3 = a2 + aRs;
            int c0 = b0 + eb, c1 = b1 + eb, c2 = b2 + eb, c3 = b3 + eb;
            for (int p = 0; p < bound; p += V) {
                FloatVector x0 = FloatVector.fromArray(S, a, ea + p), x1 = FloatVector.fromArray(S, a, a1 + p);
                FloatVector x2 = FloatVector.fromArray(S, a, a2 + p), x3 = FloatVector.fromArray(S, a, a3 + p);
                FloatVector y0 = FloatVector.fromArray(S, b, c0 + p);
                s00 = FMA ? x0.fma(y0, s00) : x0.mul(y0).add(s00);
                s10 = FMA ? x1.fma(y0, s10) : x1.mul(y0).add(s10);
                s20 = FMA ? x2.fma(y0, s20) : x2.mul(y0).add(s20);
                s30 = FMA ? x3.fma(y0, s30) : x3.mul(y0).add(s30);
                FloatVector y1 = FloatVector.fromArray(S, b, c1 + p);
                s01 = FMA ? x0.fma(y1, s01) : x0.mul(y1).add(s01);
                s11 = FMA ? x1.fma(y1, s11) : x1.mul(y1).add(s11);
                s21 = FMA ? x2.fma(y1, s21) : x2.mul(y1).add(s21);
                s31 = FMA ? x3.fma(y1, s31) : x3.mul(y1).add(s31);
                FloatVector y2 = FloatVector.fromArray(S, b, c2 + p);
                s02 = FMA ? x0.fma(y2, s02) : x0.mul(y2).add(s02);
                s12 = FMA ? x1.fma(y2, s12) : x1.mul(y2).add(s12);
                s22 = FMA ? x2.fma(y2, s22) : x2.mul(y2).add(s22);
                s32 = FMA ? x3.fma(y2, s32) : x3.mul(y2).add(s32);
                FloatVector y3 = FloatVector.fromArray(S, b, c3 + p);
                s03 = FMA ? x0.fma(y3, s03) : x0.mul(y3).add(s03);
                s13 = FMA ? x1.fma(y3, s13) : x1.mul(y3).add(s13);
                s23 = FMA ? x2.fma(y3, s23) : x2.mul(y3).add(s23);
                s33 = FMA ? x3.fma(y3, s33) : x3.mul(y3).add(s33);
            }
        }
        if (part != null && !first) {
            s00 = s00.add(FloatVector.fromArray(S, part, pOff)); s01 = s01.add(FloatVector.fromArray(S, part, pOff + V));
            s02 = s02.add(FloatVector.fromArray(S, part, pOff + 2 * V)); s03 = s03.add(FloatVector.fromArray(S, part, pOff + 3 * V));
            s10 = s10.add(FloatVector.fromArray(S, part, pOff + 4 * V)); s11 = s11.add(FloatVector.fromArray(S, part, pOff + 5 * V));
            s12 = s12.add(FloatVector.fromArray(S, part, pOff + 6 * V)); s13 = s13.add(FloatVector.fromArray(S, part, pOff + 7 * V));
            s20 = s20.add(FloatVector.fromArray(S, part, pOff + 8 * V)); s21 = s21.add(FloatVector.fromArray(S, part, pOff + 9 * V));
            s22 = s22.add(FloatVector.fromArray(S, part, pOff + 10 * V)); s23 = s23.add(FloatVector.fromArray(S, part, pOff + 11 * V));
            s30 = s30.add(FloatVector.fromArray(S, part, pOff + 12 * V)); s31 = s31.add(FloatVector.fromArray(S, part, pOff + 13 * V));
            s32 = s32.add(FloatVector.fromArray(S, part, pOff + 14 * V)); s33 = s33.add(FloatVector.fromArray(S, part, pOff + 15 * V));
        }
        boolean toPart = part != null && !last;
        // Not the last chunk: the accumulators go back to the partials; else to the lanes, to be reduced into C.
        float[] lanes = toPart ? part : lanesBuf;
        int lo = toPart ? pOff : 0;
        s00.intoArray(lanes, lo); s01.intoArray(lanes, lo + V); s02.intoArray(lanes, lo + 2 * V); s03.intoArray(lanes, lo + 3 * V);
        s10.intoArray(lanes, lo + 4 * V); s11.intoArray(lanes, lo + 5 * V); s12.intoArray(lanes, lo + 6 * V); s13.intoArray(lanes, lo + 7 * V);
        s20.intoArray(lanes, lo + 8 * V); s21.intoArray(lanes, lo + 9 * V); s22.intoArray(lanes, lo + 10 * V); s23.intoArray(lanes, lo + 11 * V);
        s30.intoArray(lanes, lo + 12 * V); s31.intoArray(lanes, lo + 13 * V); s32.intoArray(lanes, lo + 14 * V); s33.intoArray(lanes, lo + 15 * V);
        if (toPart) {
            return;
        }
        reduce4x4(k, S.loopBound(k), a, a0, aRs, b, b0, b1, b2, b3, c, ci, cRs, acc, count, aStep, bStep, lanes);
    }

    /** The end of {@link #dot4x4}: its scalar tails, and its 16 accumulators, stored in {@code lanes}, summed into C. */
    private static void reduce4x4(int k, int bound, float[] a, int a0, int aRs, float[] b, int b0, int b1, int b2,
                                  int b3, float[] c, int ci, int cRs, boolean acc, int count, int aStep, int bStep,
                                  float[] lanes) {
        int c1 = ci + cRs, c2 = c1 + cRs, c3 = c2 + cRs;
        float base = 0f;
        if (bound < k) {
            addTails(k, bound, a, a0, aRs, 4, b, b0, b1, b2, b3, c, ci, cRs, acc, count, aStep, bStep);
            acc = true;
        }
        c[ci] = (acc ? c[ci] : base) + LaneSum.sum(lanes, 0 * V);
        c[ci + 1] = (acc ? c[ci + 1] : base) + LaneSum.sum(lanes, 1 * V);
        c[ci + 2] = (acc ? c[ci + 2] : base) + LaneSum.sum(lanes, 2 * V);
        c[ci + 3] = (acc ? c[ci + 3] : base) + LaneSum.sum(lanes, 3 * V);
        c[c1] = (acc ? c[c1] : base) + LaneSum.sum(lanes, 4 * V);
        c[c1 + 1] = (acc ? c[c1 + 1] : base) + LaneSum.sum(lanes, 5 * V);
        c[c1 + 2] = (acc ? c[c1 + 2] : base) + LaneSum.sum(lanes, 6 * V);
        c[c1 + 3] = (acc ? c[c1 + 3] : base) + LaneSum.sum(lanes, 7 * V);
        c[c2] = (acc ? c[c2] : base) + LaneSum.sum(lanes, 8 * V);
        c[c2 + 1] = (acc ? c[c2 + 1] : base) + LaneSum.sum(lanes, 9 * V);
        c[c2 + 2] = (acc ? c[c2 + 2] : base) + LaneSum.sum(lanes, 10 * V);
        c[c2 + 3] = (acc ? c[c2 + 3] : base) + LaneSum.sum(lanes, 11 * V);
        c[c3] = (acc ? c[c3] : base) + LaneSum.sum(lanes, 12 * V);
        c[c3 + 1] = (acc ? c[c3 + 1] : base) + LaneSum.sum(lanes, 13 * V);
        c[c3 + 2] = (acc ? c[c3 + 2] : base) + LaneSum.sum(lanes, 14 * V);
        c[c3 + 3] = (acc ? c[c3 + 3] : base) + LaneSum.sum(lanes, 15 * V);
    }

    /**
     * {@link #dot4x4} for two rows of A: with 16 vector registers the 16 accumulators of a 4 × 4 block and its loads
     * do not fit, and C2 spills them.
     */
    private static void dot2x4(int k, float[] a, int a0, int aRs, float[] b, int b0, int b1, int b2, int b3,
                               float[] c, int ci, int cRs, boolean acc, int count, int aStep, int bStep,
                               float[] part, int pOff, boolean first, boolean last, float[] lanesBuf) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = z, s01 = z, s02 = z, s03 = z, s10 = z, s11 = z, s12 = z, s13 = z;
        int bound = S.loopBound(k);
        for (int e = 0; e < count; e++) {
            int ea = a0 + e * aStep, eb = e * bStep, a1 = ea + aRs;
            int c0 = b0 + eb, c1 = b1 + eb, c2 = b2 + eb, c3 = b3 + eb;
            for (int p = 0; p < bound; p += V) {
                FloatVector x0 = FloatVector.fromArray(S, a, ea + p), x1 = FloatVector.fromArray(S, a, a1 + p);
                FloatVector y0 = FloatVector.fromArray(S, b, c0 + p);
                s00 = FMA ? x0.fma(y0, s00) : x0.mul(y0).add(s00);
                s10 = FMA ? x1.fma(y0, s10) : x1.mul(y0).add(s10);
                FloatVector y1 = FloatVector.fromArray(S, b, c1 + p);
                s01 = FMA ? x0.fma(y1, s01) : x0.mul(y1).add(s01);
                s11 = FMA ? x1.fma(y1, s11) : x1.mul(y1).add(s11);
                FloatVector y2 = FloatVector.fromArray(S, b, c2 + p);
                s02 = FMA ? x0.fma(y2, s02) : x0.mul(y2).add(s02);
                s12 = FMA ? x1.fma(y2, s12) : x1.mul(y2).add(s12);
                FloatVector y3 = FloatVector.fromArray(S, b, c3 + p);
                s03 = FMA ? x0.fma(y3, s03) : x0.mul(y3).add(s03);
                s13 = FMA ? x1.fma(y3, s13) : x1.mul(y3).add(s13);
            }
        }
        if (part != null && !first) {
            s00 = s00.add(FloatVector.fromArray(S, part, pOff)); s01 = s01.add(FloatVector.fromArray(S, part, pOff + V));
            s02 = s02.add(FloatVector.fromArray(S, part, pOff + 2 * V)); s03 = s03.add(FloatVector.fromArray(S, part, pOff + 3 * V));
            s10 = s10.add(FloatVector.fromArray(S, part, pOff + 4 * V)); s11 = s11.add(FloatVector.fromArray(S, part, pOff + 5 * V));
            s12 = s12.add(FloatVector.fromArray(S, part, pOff + 6 * V)); s13 = s13.add(FloatVector.fromArray(S, part, pOff + 7 * V));
        }
        boolean toPart = part != null && !last;
        float[] lanes = toPart ? part : lanesBuf;
        int lo = toPart ? pOff : 0;
        s00.intoArray(lanes, lo); s01.intoArray(lanes, lo + V); s02.intoArray(lanes, lo + 2 * V); s03.intoArray(lanes, lo + 3 * V);
        s10.intoArray(lanes, lo + 4 * V); s11.intoArray(lanes, lo + 5 * V); s12.intoArray(lanes, lo + 6 * V); s13.intoArray(lanes, lo + 7 * V);
        if (toPart) {
            return;
        }
        int c1 = ci + cRs;
        float base = 0f;
        if (bound < k) {
            addTails(k, bound, a, a0, aRs, 2, b, b0, b1, b2, b3, c, ci, cRs, acc, count, aStep, bStep);
            acc = true;
        }
        c[ci] = (acc ? c[ci] : base) + LaneSum.sum(lanes, 0 * V);
        c[ci + 1] = (acc ? c[ci + 1] : base) + LaneSum.sum(lanes, 1 * V);
        c[ci + 2] = (acc ? c[ci + 2] : base) + LaneSum.sum(lanes, 2 * V);
        c[ci + 3] = (acc ? c[ci + 3] : base) + LaneSum.sum(lanes, 3 * V);
        c[c1] = (acc ? c[c1] : base) + LaneSum.sum(lanes, 4 * V);
        c[c1 + 1] = (acc ? c[c1 + 1] : base) + LaneSum.sum(lanes, 5 * V);
        c[c1 + 2] = (acc ? c[c1 + 2] : base) + LaneSum.sum(lanes, 6 * V);
        c[c1 + 3] = (acc ? c[c1 + 3] : base) + LaneSum.sum(lanes, 7 * V);
    }

    private static void dot1x4(int k, float[] a, int a0, float[] b, int b0, int b1, int b2, int b3, float[] c, int ci,
                               boolean acc, int count, int aStep, int bStep, float[] lanes) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s0 = z, s1 = z, s2 = z, s3 = z;
        int bound = S.loopBound(k);
        for (int e = 0; e < count; e++) {
            int ea = a0 + e * aStep, eb = e * bStep, c0 = b0 + eb, c1 = b1 + eb, c2 = b2 + eb, c3 = b3 + eb;
            for (int p = 0; p < bound; p += V) {
                FloatVector x = FloatVector.fromArray(S, a, ea + p);
                s0 = FMA ? x.fma(FloatVector.fromArray(S, b, c0 + p), s0) : x.mul(FloatVector.fromArray(S, b, c0 + p)).add(s0);
                s1 = FMA ? x.fma(FloatVector.fromArray(S, b, c1 + p), s1) : x.mul(FloatVector.fromArray(S, b, c1 + p)).add(s1);
                s2 = FMA ? x.fma(FloatVector.fromArray(S, b, c2 + p), s2) : x.mul(FloatVector.fromArray(S, b, c2 + p)).add(s2);
                s3 = FMA ? x.fma(FloatVector.fromArray(S, b, c3 + p), s3) : x.mul(FloatVector.fromArray(S, b, c3 + p)).add(s3);
            }
        }
        s0.intoArray(lanes, 0 * V);
        s1.intoArray(lanes, 1 * V);
        s2.intoArray(lanes, 2 * V);
        s3.intoArray(lanes, 3 * V);
        float base = 0f;
        if (bound < k) {
            addTails(k, bound, a, a0, 0, 1, b, b0, b1, b2, b3, c, ci, 0, acc, count, aStep, bStep);
            acc = true;
        }
        c[ci] = (acc ? c[ci] : base) + LaneSum.sum(lanes, 0 * V);
        c[ci + 1] = (acc ? c[ci + 1] : base) + LaneSum.sum(lanes, 1 * V);
        c[ci + 2] = (acc ? c[ci + 2] : base) + LaneSum.sum(lanes, 2 * V);
        c[ci + 3] = (acc ? c[ci + 3] : base) + LaneSum.sum(lanes, 3 * V);
    }

    /**
     * The scalar ends {@code [bound, k)} of the dot products of a {@code rows}×4 block, summed over the products,
     * written to (or added to) C. Kept out of the vector kernels so that those stay small enough for the JIT.
     */
    private static void addTails(int k, int bound, float[] a, int a0, int aRs, int rows, float[] b, int b0, int b1,
                                 int b2, int b3, float[] c, int ci, int cRs, boolean acc, int count, int aStep,
                                 int bStep) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < 4; j++) {
                int bj = j == 0 ? b0 : j == 1 ? b1 : j == 2 ? b2 : b3;
                float sum = 0f;
                for (int e = 0; e < count; e++) {
                    int ai = a0 + r * aRs + e * aStep, bi = bj + e * bStep;
                    for (int p = bound; p < k; p++) {
                        sum += a[ai + p] * b[bi + p];
                    }
                }
                int at = ci + r * cRs + j;
                c[at] = acc ? c[at] + sum : sum;
            }
        }
    }

    private static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        // Four independent chains: one FMA chain waits its latency (4 cycles) for every step.
        FloatVector acc0 = FloatVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (; i + 4 * V <= n; i += 4 * V) {
            FloatVector x0 = FloatVector.fromArray(S, a, aOff + i), y0 = FloatVector.fromArray(S, b, bOff + i);
            FloatVector x1 = FloatVector.fromArray(S, a, aOff + i + V), y1 = FloatVector.fromArray(S, b, bOff + i + V);
            FloatVector x2 = FloatVector.fromArray(S, a, aOff + i + 2 * V), y2 = FloatVector.fromArray(S, b, bOff + i + 2 * V);
            FloatVector x3 = FloatVector.fromArray(S, a, aOff + i + 3 * V), y3 = FloatVector.fromArray(S, b, bOff + i + 3 * V);
            acc0 = FMA ? x0.fma(y0, acc0) : x0.mul(y0).add(acc0);
            acc1 = FMA ? x1.fma(y1, acc1) : x1.mul(y1).add(acc1);
            acc2 = FMA ? x2.fma(y2, acc2) : x2.mul(y2).add(acc2);
            acc3 = FMA ? x3.fma(y3, acc3) : x3.mul(y3).add(acc3);
        }
        for (; i + V <= n; i += V) {
            FloatVector x0 = FloatVector.fromArray(S, a, aOff + i), y0 = FloatVector.fromArray(S, b, bOff + i);
            acc0 = FMA ? x0.fma(y0, acc0) : x0.mul(y0).add(acc0);
        }
        float s = LaneSum.sum(acc0.add(acc1).add(acc2.add(acc3)));
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }
}
