package dev.frelon.core.kernel;

import static dev.frelon.core.kernel.VectorWidth.FMA;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API row-table and column-table products, with {@link VectorGemm}'s register tiles and blocking. A
 * row-table product packs A as the GEMM does (by MC rows, into the same per-thread workspace) and reads the rows
 * of B in place through the table, one vector load per row and tile column, instead of packing them: 6 rows × 4
 * vectors with 32 vector registers, or 8 × 3 where that wastes less on the edges; 4 × 2 with 16. The batch
 * shares one packed A. A column-table product is blocks of dot products ({@link VectorGemm}'s dot-product
 * tiles, with each column of B found through the table), each C value reduced from its vector accumulators once
 * for the whole sum over products. Products too small for the tiles run {@link ScalarConvolution}'s loops.
 *
 * <p>Workspace: {@link VectorGemm}'s per-thread packing buffers (the packed A block and the edge tile); a call
 * allocates nothing.
 */
final class VectorConvolution implements ConvolutionKernels {

    private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
    private static final int V = S.length();
    /** 32 vector registers: the 6 × 4 (or 8 × 3) tiles; else the 4 × 2 ones (as {@link VectorGemm}). */
    private static final boolean WIDE_FILE = VectorGemm.WIDE_FILE;
    private static final int MR = VectorGemm.MR;
    private static final int NR = VectorGemm.NR;
    private static final int MC = VectorGemm.MC;
    private static final int KC = VectorGemm.KC;
    /** The loops for products too small for the tiles. */
    private static final ScalarConvolution PLAIN = new ScalarConvolution();

    @Override
    public void rowTableProduct(int m, int n, int k, Strided aMatrix, RowTable bTable, DenseRows cMatrix,
                                boolean accumulate, Batch batch) {
        if (NR > ROW_TABLE_SLACK || k == 0 || n < V) {
            PLAIN.rowTableProduct(m, n, k, aMatrix, bTable, cMatrix, accumulate, batch);
            return;
        }
        float[] a = aMatrix.data(), b = bTable.data(), c = cMatrix.data();
        int aOff = aMatrix.offset(), aRs = aMatrix.rowStride(), aCs = aMatrix.colStride();
        int bOff = bTable.offset(), cOff = cMatrix.offset(), cRs = cMatrix.rowStride();
        int[] rows = bTable.rows();
        int count = batch.count(), bStep = batch.bStep(), cStep = batch.cStep();
        float[][] ws = VectorGemm.WORKSPACE.get();
        float[] packA = ws[0], tile = ws[2];
        // B is read in place, not packed per depth block: only the packed A block bounds the depth, so a whole
        // product usually runs in one pass (no reloading of C between blocks).
        int strips = Math.min(MC, (m + 7) / 8 * 8);
        int kb = (long) strips * k <= (long) MC * KC ? k : (k + ((k + KC - 1) / KC) - 1) / ((k + KC - 1) / KC);
        // With 32 registers, tile 8 rows × 3 vectors when it wastes less than 6 × 4 on the edges (16 channels × 140
        // columns: 16 × 144 computed instead of 18 × 192).
        long waste6 = (long) ((m + 5) / 6 * 6) * ((n + NR - 1) / NR * NR);
        long waste8 = (long) ((m + 7) / 8 * 8) * ((n + 3 * V - 1) / (3 * V) * 3 * V);
        if (WIDE_FILE && waste8 < waste6) {
            for (int pc = 0; pc < k; pc += kb) {
                int kc = Math.min(kb, k - pc);
                boolean acc = accumulate || pc > 0;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA8(a, aOff + ic * aRs + pc * aCs, aRs, aCs, mc, kc, packA);
                    for (int e = 0; e < count; e++) {
                        int bo = bOff + e * bStep, co = cOff + e * cStep + ic * cRs;
                        for (int jr = 0; jr < n; jr += 3 * V) {
                            int cols = Math.min(3 * V, n - jr);
                            for (int ir = 0; ir < mc; ir += 8) {
                                microRows8(kc, packA, ir * kc, b, bo + jr, rows, pc, c, co + ir * cRs + jr, cRs,
                                        Math.min(8, mc - ir), cols, acc, tile);
                            }
                        }
                    }
                }
            }
            return;
        }
        for (int pc = 0; pc < k; pc += kb) {
            int kc = Math.min(kb, k - pc);
            boolean acc = accumulate || pc > 0;
            for (int ic = 0; ic < m; ic += MC) {
                int mc = Math.min(MC, m - ic);
                VectorGemm.packA(a, aOff + ic * aRs + pc * aCs, aRs, aCs, mc, kc, packA);
                for (int e = 0; e < count; e++) {
                    int bo = bOff + e * bStep, co = cOff + e * cStep + ic * cRs;
                    for (int jr = 0; jr < n; jr += NR) {
                        int cols = Math.min(NR, n - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            if (WIDE_FILE) {
                                microRows(kc, packA, ir * kc, b, bo + jr, rows, pc, c, co + ir * cRs + jr, cRs,
                                        Math.min(MR, mc - ir), cols, acc, tile);
                            } else {
                                microRows4x2(kc, packA, ir * kc, b, bo + jr, rows, pc, c, co + ir * cRs + jr, cRs,
                                        Math.min(MR, mc - ir), cols, acc, tile);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Packs an mc×kc block of A into 8-row strips (zero rows past mc): strip s holds, for each p, 8 values. */
    private static void packA8(float[] a, int off, int rs, int cs, int mc, int kc, float[] dst) {
        for (int ir = 0; ir < mc; ir += 8) {
            int base = ir * kc, rows = Math.min(8, mc - ir);
            for (int r = 0; r < 8; r++) {
                if (r < rows) {
                    int src = off + (ir + r) * rs;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * 8 + r] = a[src + p * cs];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * 8 + r] = 0f;
                    }
                }
            }
        }
    }

    /** An 8 × 3-vector tile of C from an 8-row packed A strip and B rows read in place (see {@link #microRows}). */
    private static void microRows8(int kc, float[] pa, int aBase, float[] b, int bOff, int[] rows, int r0, float[] c,
                                   int cOff, int cRs, int nrows, int cols, boolean acc, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z, c20 = z, c21 = z, c22 = z;
        FloatVector c30 = z, c31 = z, c32 = z, c40 = z, c41 = z, c42 = z, c50 = z, c51 = z, c52 = z;
        FloatVector c60 = z, c61 = z, c62 = z, c70 = z, c71 = z, c72 = z;
        for (int p = 0; p < kc; p++) {
            int ai = aBase + p * 8, bi = bOff + rows[r0 + p];
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * V);
            FloatVector a0 = FloatVector.broadcast(S, pa[ai]);
            c00 = FMA ? b0.fma(a0, c00) : b0.mul(a0).add(c00);
            c01 = FMA ? b1.fma(a0, c01) : b1.mul(a0).add(c01);
            c02 = FMA ? b2.fma(a0, c02) : b2.mul(a0).add(c02);
            FloatVector a1 = FloatVector.broadcast(S, pa[ai + 1]);
            c10 = FMA ? b0.fma(a1, c10) : b0.mul(a1).add(c10);
            c11 = FMA ? b1.fma(a1, c11) : b1.mul(a1).add(c11);
            c12 = FMA ? b2.fma(a1, c12) : b2.mul(a1).add(c12);
            FloatVector a2 = FloatVector.broadcast(S, pa[ai + 2]);
            c20 = FMA ? b0.fma(a2, c20) : b0.mul(a2).add(c20);
            c21 = FMA ? b1.fma(a2, c21) : b1.mul(a2).add(c21);
            c22 = FMA ? b2.fma(a2, c22) : b2.mul(a2).add(c22);
            FloatVector a3 = FloatVector.broadcast(S, pa[ai + 3]);
            c30 = FMA ? b0.fma(a3, c30) : b0.mul(a3).add(c30);
            c31 = FMA ? b1.fma(a3, c31) : b1.mul(a3).add(c31);
            c32 = FMA ? b2.fma(a3, c32) : b2.mul(a3).add(c32);
            FloatVector a4 = FloatVector.broadcast(S, pa[ai + 4]);
            c40 = FMA ? b0.fma(a4, c40) : b0.mul(a4).add(c40);
            c41 = FMA ? b1.fma(a4, c41) : b1.mul(a4).add(c41);
            c42 = FMA ? b2.fma(a4, c42) : b2.mul(a4).add(c42);
            FloatVector a5 = FloatVector.broadcast(S, pa[ai + 5]);
            c50 = FMA ? b0.fma(a5, c50) : b0.mul(a5).add(c50);
            c51 = FMA ? b1.fma(a5, c51) : b1.mul(a5).add(c51);
            c52 = FMA ? b2.fma(a5, c52) : b2.mul(a5).add(c52);
            FloatVector a6 = FloatVector.broadcast(S, pa[ai + 6]);
            c60 = FMA ? b0.fma(a6, c60) : b0.mul(a6).add(c60);
            c61 = FMA ? b1.fma(a6, c61) : b1.mul(a6).add(c61);
            c62 = FMA ? b2.fma(a6, c62) : b2.mul(a6).add(c62);
            FloatVector a7 = FloatVector.broadcast(S, pa[ai + 7]);
            c70 = FMA ? b0.fma(a7, c70) : b0.mul(a7).add(c70);
            c71 = FMA ? b1.fma(a7, c71) : b1.mul(a7).add(c71);
            c72 = FMA ? b2.fma(a7, c72) : b2.mul(a7).add(c72);
        }
        boolean full = nrows == 8 && cols == 3 * V;
        float[] dst = full ? c : tile;
        int ld = full ? cRs : 3 * V;
        int o0 = full ? cOff : 0, o1 = o0 + ld, o2 = o1 + ld, o3 = o2 + ld, o4 = o3 + ld, o5 = o4 + ld, o6 = o5 + ld;
        int o7 = o6 + ld;
        if (full && acc) {
            c00 = c00.add(FloatVector.fromArray(S, dst, o0)); c01 = c01.add(FloatVector.fromArray(S, dst, o0 + V)); c02 = c02.add(FloatVector.fromArray(S, dst, o0 + 2 * V));
            c10 = c10.add(FloatVector.fromArray(S, dst, o1)); c11 = c11.add(FloatVector.fromArray(S, dst, o1 + V)); c12 = c12.add(FloatVector.fromArray(S, dst, o1 + 2 * V));
            c20 = c20.add(FloatVector.fromArray(S, dst, o2)); c21 = c21.add(FloatVector.fromArray(S, dst, o2 + V)); c22 = c22.add(FloatVector.fromArray(S, dst, o2 + 2 * V));
            c30 = c30.add(FloatVector.fromArray(S, dst, o3)); c31 = c31.add(FloatVector.fromArray(S, dst, o3 + V)); c32 = c32.add(FloatVector.fromArray(S, dst, o3 + 2 * V));
            c40 = c40.add(FloatVector.fromArray(S, dst, o4)); c41 = c41.add(FloatVector.fromArray(S, dst, o4 + V)); c42 = c42.add(FloatVector.fromArray(S, dst, o4 + 2 * V));
            c50 = c50.add(FloatVector.fromArray(S, dst, o5)); c51 = c51.add(FloatVector.fromArray(S, dst, o5 + V)); c52 = c52.add(FloatVector.fromArray(S, dst, o5 + 2 * V));
            c60 = c60.add(FloatVector.fromArray(S, dst, o6)); c61 = c61.add(FloatVector.fromArray(S, dst, o6 + V)); c62 = c62.add(FloatVector.fromArray(S, dst, o6 + 2 * V));
            c70 = c70.add(FloatVector.fromArray(S, dst, o7)); c71 = c71.add(FloatVector.fromArray(S, dst, o7 + V)); c72 = c72.add(FloatVector.fromArray(S, dst, o7 + 2 * V));
        }
        c00.intoArray(dst, o0); c01.intoArray(dst, o0 + V); c02.intoArray(dst, o0 + 2 * V);
        c10.intoArray(dst, o1); c11.intoArray(dst, o1 + V); c12.intoArray(dst, o1 + 2 * V);
        c20.intoArray(dst, o2); c21.intoArray(dst, o2 + V); c22.intoArray(dst, o2 + 2 * V);
        c30.intoArray(dst, o3); c31.intoArray(dst, o3 + V); c32.intoArray(dst, o3 + 2 * V);
        c40.intoArray(dst, o4); c41.intoArray(dst, o4 + V); c42.intoArray(dst, o4 + 2 * V);
        c50.intoArray(dst, o5); c51.intoArray(dst, o5 + V); c52.intoArray(dst, o5 + 2 * V);
        c60.intoArray(dst, o6); c61.intoArray(dst, o6 + V); c62.intoArray(dst, o6 + 2 * V);
        c70.intoArray(dst, o7); c71.intoArray(dst, o7 + V); c72.intoArray(dst, o7 + 2 * V);
        if (!full) {
            VectorGemm.flushTile(tile, 3 * V, c, cOff, cRs, nrows, cols, acc);
        }
    }

    /**
     * VectorGemm's {@code micro6x4} with B row p read in place at {@code b[bOff + rows[r0 + p]]} instead of from a
     * packed strip.
     */
    private static void microRows(int kc, float[] pa, int aBase, float[] b, int bOff, int[] rows, int r0, float[] c,
                                  int cOff, int cRs, int nrows, int cols, boolean acc, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z;
        FloatVector c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z;
        FloatVector c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z;
        FloatVector c50 = z, c51 = z, c52 = z, c53 = z;
        for (int p = 0; p < kc; p++) {
            int ai = aBase + p * 6, bi = bOff + rows[r0 + p];
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 1 * V);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * V);
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
        boolean full = nrows == 6 && cols == 4 * V;
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
            VectorGemm.flushTile(tile, 4 * V, c, cOff, cRs, nrows, cols, acc);
        }
    }

    /**
     * VectorGemm's {@code micro4x2} with B row p read in place at {@code b[bOff + rows[r0 + p]]} instead of from a
     * packed strip.
     */
    private static void microRows4x2(int kc, float[] pa, int aBase, float[] b, int bOff, int[] rows, int r0, float[] c,
                                     int cOff, int cRs, int nrows, int cols, boolean acc, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z;
        FloatVector c10 = z, c11 = z;
        FloatVector c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z;
        for (int p = 0; p < kc; p++) {
            int ai = aBase + p * 4, bi = bOff + rows[r0 + p];
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 1 * V);
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
        boolean full = nrows == 4 && cols == 2 * V;
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
            VectorGemm.flushTile(tile, 2 * V, c, cOff, cRs, nrows, cols, acc);
        }
    }

    @Override
    public void columnTableProduct(int m, int n, int k, DenseRows aMatrix, ColumnTable bTable, DenseRows cMatrix,
                                   boolean accumulate, Sum sum) {
        if (k < 4 * V) {
            PLAIN.columnTableProduct(m, n, k, aMatrix, bTable, cMatrix, accumulate, sum);
            return;
        }
        VectorGemm.dotTiles(m, n, k, aMatrix.data(), aMatrix.offset(), aMatrix.rowStride(), bTable.data(),
                bTable.offset(), 0, bTable.columns(), cMatrix.data(), cMatrix.offset(), cMatrix.rowStride(), accumulate,
                sum.count(), sum.aStep(), sum.bStep());
    }

    /**
     * Whole vectors, then one more for the row's end when the arrays hold a vector past it: a's lanes past the end
     * are replaced by zeros before the addition (a blend, which every ISA has; a masked load or store is a slow
     * fallback on NEON and SSE), so b's floats there get {@code +0}.
     */
    @Override
    public void addRows(int rows, int n, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride) {
        ConvolutionKernels.checkRows("addRows", rows, n);
        rows(true, rows, n, a, aOff, aStride, b, bOff, bStride);
    }

    /** As {@link #addRows}, with b's own lanes blended in past the row's end, so that they are written back. */
    @Override
    public void copyRows(int rows, int n, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride) {
        ConvolutionKernels.checkRows("copyRows", rows, n);
        rows(false, rows, n, a, aOff, aStride, b, bOff, bStride);
    }

    private static void rows(boolean add, int rows, int n, float[] a, int aOff, int aStride, float[] b, int bOff,
                             int bStride) {
        int whole = S.loopBound(n), end = n - whole;
        VectorMask<Float> past = S.indexInRange(0, end).not();
        for (int r = 0; r < rows; r++) {
            int ar = aOff + r * aStride, br = bOff + r * bStride, j = 0;
            for (; j < whole; j += V) {
                FloatVector va = FloatVector.fromArray(S, a, ar + j);
                (add ? FloatVector.fromArray(S, b, br + j).add(va) : va).intoArray(b, br + j);
            }
            if (end > 0 && ar + j + V <= a.length && br + j + V <= b.length) {
                FloatVector va = FloatVector.fromArray(S, a, ar + j), vb = FloatVector.fromArray(S, b, br + j);
                (add ? vb.add(va.blend(0f, past)) : va.blend(vb, past)).intoArray(b, br + j);
            } else {
                for (; j < n; j++) {
                    b[br + j] = add ? b[br + j] + a[ar + j] : a[ar + j];
                }
            }
        }
    }
}
