package dev.frelon.core;

import dev.frelon.core.kernel.Parallel;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

import static dev.frelon.core.Check.exact;
import static dev.frelon.core.Check.iae;
import static dev.frelon.core.Check.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Matrix products against Commons Math. Also run without the Vector API module, so it checks the plain-Java
 * GEMM too.
 */
class MatmulTest {

    private static RealMatrix matrix(Tensor t) {
        int m = t.size(0), n = t.size(1);
        double[][] d = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                d[i][j] = t.get(i, j);
            }
        }
        return new Array2DRowRealMatrix(d, false);
    }

    private static RealMatrix abs(RealMatrix m) {
        RealMatrix a = m.copy();
        for (int i = 0; i < a.getRowDimension(); i++) {
            for (int j = 0; j < a.getColumnDimension(); j++) {
                a.setEntry(i, j, Math.abs(a.getEntry(i, j)));
            }
        }
        return a;
    }

    /**
     * Asserts {@code got == a @ b} for 2-d a and b, each element within a float rounding bound:
     * {@code |got - ref| <= 4 k 2^-24 (|a| @ |b|) + tiny}.
     */
    private static void assertProduct(Tensor a, Tensor b, Tensor got, String what) {
        int m = a.size(0), k = a.size(1), n = b.size(1);
        assertArrayEquals(new int[] {m, n}, got.shape(), what + ": shape");
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (float v : got.toArray()) {
                assertEquals(0f, v, what + ": empty sum");
            }
            return;
        }
        RealMatrix ref = matrix(a).multiply(matrix(b));
        RealMatrix bound = abs(matrix(a)).multiply(abs(matrix(b)));
        double eps = 4.0 * (k + 2) * Math.ulp(1f) / 2;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double e = ref.getEntry(i, j), g = got.get(i, j);
                if (!(Math.abs(g - e) <= eps * bound.getEntry(i, j) + 1e-30)) {
                    fail(what + " [" + i + ", " + j + "]: expected " + e + " but got " + g + " (bound "
                            + eps * bound.getEntry(i, j) + ")");
                }
            }
        }
    }

    private static Tensor rand(long seed, int... shape) {
        return Check.random(seed, shape);
    }

    // ---------------------------------------------------------------------------------- vectors

    @Test
    void vectorTimesVectorIsADotProduct() {
        Tensor d = Tensor.of(new float[] {1, 2, 3}).matmul(Tensor.of(new float[] {4, 5, 6}));
        exact(d, shape(), 32);
        exact(Tensor.zeros(0).matmul(Tensor.zeros(0)), shape(), 0);
        Tensor a = rand(1, 100), b = rand(2, 100);
        double ref = 0, abs = 0;
        for (int i = 0; i < 100; i++) {
            ref += a.get(i) * (double) b.get(i);
            abs += Math.abs(a.get(i) * (double) b.get(i));
        }
        assertEquals(ref, a.matmul(b).item(), 1e-5 * abs);
    }

    @Test
    void vectorMatrixProducts() {
        Tensor v = Tensor.of(new float[] {1, 2});
        Tensor m = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        exact(v.matmul(m), shape(3), 9, 12, 15);
        exact(m.matmul(Tensor.of(new float[] {1, 0, -1})), shape(2), -2, -2);
        exact(Tensor.matmul(m.t(), v), shape(3), 9, 12, 15);
        // 1-d against a batch: the vector is a row (left) or a column (right) of every matrix.
        Tensor batch = Tensor.arange(24).reshape(2, 3, 4);
        Tensor left = Tensor.of(new float[] {1, 1, 1}).matmul(batch);
        exact(left, shape(2, 4), 12, 15, 18, 21, 48, 51, 54, 57);
        Tensor right = batch.matmul(Tensor.of(new float[] {1, 0, 0, 1}));
        exact(right, shape(2, 3), 3, 11, 19, 27, 35, 43);
    }

    // ---------------------------------------------------------------------------------- matrices

    @Test
    void matrixProductsAgainstCommonsMath() {
        int[][] sizes = {{1, 1, 1}, {3, 5, 2}, {4, 4, 4}, {5, 3, 17}, {17, 63, 5}, {64, 65, 63}, {65, 64, 130},
                {2, 257, 3}, {130, 17, 257}, {1, 300, 1}, {33, 1, 40}};
        long seed = 10;
        for (int[] s : sizes) {
            Tensor a = rand(seed++, s[0], s[1]);
            Tensor b = rand(seed++, s[1], s[2]);
            Tensor c = a.matmul(b);
            assertTrue(c.isContiguous());
            assertProduct(a, b, c, "matmul " + Check.str(s));
        }
    }

    @Test
    void transposedAndStridedOperandsAreReadThroughTheirStrides() {
        long seed = 40;
        for (int[] s : new int[][] {{3, 4, 5}, {16, 33, 20}, {70, 65, 66}}) {
            int m = s[0], k = s[1], n = s[2];
            Tensor at = rand(seed++, k, m), bt = rand(seed++, n, k);
            Tensor a = at.t(), b = bt.t();
            assertFalse(a.isContiguous());
            assertProduct(a, b, a.matmul(b), "aT bT " + Check.str(s));
            Tensor bd = b.contiguous(), ad = a.contiguous();
            assertProduct(a, bd, a.matmul(bd), "aT b " + Check.str(s));
            assertProduct(ad, b, ad.matmul(b), "a bT " + Check.str(s));
            // Every other column of a wider matrix, and rows starting at an offset.
            Tensor wide = rand(seed++, m, 2 * k);
            Tensor strided = wide.slice(1, 1, 2 * k, 2);
            Tensor tall = rand(seed++, k + 5, n).narrow(0, 3, k);
            assertProduct(strided, tall, strided.matmul(tall), "strided " + Check.str(s));
            // An expanded (stride 0) operand.
            Tensor rowB = rand(seed++, 1, n).expand(k, n);
            assertProduct(ad, rowB, ad.matmul(rowB), "expanded " + Check.str(s));
        }
    }

    @Test
    void largeProductsSplitAcrossThreads() {
        int old = Parallel.threads();
        try {
            Tensor a = rand(60, 200, 300), b = rand(61, 300, 150);
            Parallel.setThreads(1);
            Tensor one = a.matmul(b);
            Parallel.setThreads(2);
            Tensor two = a.matmul(b);
            assertProduct(a, b, one, "1 thread");
            assertProduct(a, b, two, "2 threads");
            Tensor tall = rand(62, 400, 50), narrow = rand(63, 50, 20);
            assertProduct(tall, narrow, tall.matmul(narrow), "tall, 2 threads");
            assertProduct(narrow.t(), tall.t(), narrow.t().matmul(tall.t()), "wide, 2 threads");
        } finally {
            Parallel.setThreads(old);
        }
    }

    /** A float64 product split by rows gives the same bits on 1 and 2 threads, and agrees with the float32 one. */
    @Test
    void float64ProductsSplitByRowsWithTheSameBits() {
        int old = Parallel.threads();
        try {
            Tensor a = rand(70, 300, 200).to(DType.FLOAT64), b = rand(71, 200, 150).to(DType.FLOAT64).t().contiguous().t();
            Parallel.setThreads(1);
            Tensor one = a.matmul(b);
            Parallel.setThreads(2);
            Tensor two = a.matmul(b);
            assertEquals(one, two, "the split into row blocks changes no bit");
            assertTrue(one.allClose(a.to(DType.FLOAT32).matmul(b.to(DType.FLOAT32)), 1e-4f, 1e-4f));
        } finally {
            Parallel.setThreads(old);
        }
    }

    // ---------------------------------------------------------------------------------- batches

    @Test
    void batchDimsBroadcast() {
        // [2, 1, 3, 4] @ [5, 4, 2] -> [2, 5, 3, 2]
        Tensor a = rand(70, 2, 1, 3, 4), b = rand(71, 5, 4, 2);
        Tensor c = a.matmul(b);
        assertArrayEquals(new int[] {2, 5, 3, 2}, c.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 5; j++) {
                assertProduct(a.select(0, i).select(0, 0), b.select(0, j), c.select(0, i).select(0, j), "batch " + i + "," + j);
            }
        }
        // A plain matrix against a batch, and a batch against a matrix.
        Tensor m = rand(72, 3, 4);
        Tensor mb = m.matmul(b);
        assertArrayEquals(new int[] {5, 3, 2}, mb.shape());
        for (int j = 0; j < 5; j++) {
            assertProduct(m, b.select(0, j), mb.select(0, j), "matrix @ batch " + j);
        }
        Tensor bm = b.mT().matmul(m.t());
        assertArrayEquals(new int[] {5, 2, 3}, bm.shape());
        for (int j = 0; j < 5; j++) {
            assertProduct(b.select(0, j).t(), m.t(), bm.select(0, j), "batch @ matrix " + j);
        }
    }

    @Test
    void manySmallProductsRunInParallel() {
        int old = Parallel.threads();
        try {
            Parallel.setThreads(2);
            Tensor a = rand(80, 64, 8, 9), b = rand(81, 64, 9, 7);
            Tensor c = a.matmul(b.mT().contiguous().mT());
            for (int i = 0; i < 64; i++) {
                assertProduct(a.select(0, i), b.select(0, i), c.select(0, i), "batch " + i);
            }
        } finally {
            Parallel.setThreads(old);
        }
    }

    @Test
    void emptyProducts() {
        exact(Tensor.zeros(0, 3).matmul(Tensor.ones(3, 4)), shape(0, 4));
        exact(Tensor.ones(2, 0).matmul(Tensor.ones(0, 3)), shape(2, 3), 0, 0, 0, 0, 0, 0);
        exact(Tensor.ones(2, 3).matmul(Tensor.ones(3, 0)), shape(2, 0));
        exact(Tensor.ones(0, 2, 3).matmul(Tensor.ones(3, 4)), shape(0, 2, 4));
        exact(Tensor.ones(3).matmul(Tensor.ones(3, 0)), shape(0));
        exact(Tensor.ones(2, 0).matmul(Tensor.ones(0)), shape(2), 0, 0);
    }

    @Test
    void operandsAreUnchanged() {
        Tensor a = rand(90, 4, 5), b = rand(91, 5, 6);
        Tensor a0 = a.copy(), b0 = b.copy();
        a.matmul(b);
        Tensor.matmul(a, b);
        assertEquals(a0, a);
        assertEquals(b0, b);
        assertEquals(a.matmul(b), Tensor.matmul(a, b));
    }

    @Test
    void shapeErrors() {
        iae(() -> Tensor.zeros(3, 4).matmul(Tensor.zeros(5, 2)), "matmul: inner dimensions differ: [3, 4] @ [5, 2] (4 != 5)");
        assertEquals("matmul: inner dimensions differ: [3, 4] @ [5, 2] (4 != 5)",
                iae(() -> Tensor.matmul(Tensor.zeros(3, 4), Tensor.zeros(5, 2))).getMessage());
        iae(() -> Tensor.zeros(3).matmul(Tensor.zeros(4)), "matmul: inner dimensions differ: [3] @ [4] (3 != 4)");
        iae(() -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4)), "matmul: inner dimensions differ: [2, 3] @ [4] (3 != 4)");
        iae(() -> Tensor.zeros(4).matmul(Tensor.zeros(2, 3, 4)), "matmul: inner dimensions differ: [4] @ [2, 3, 4] (4 != 3)");
        iae(() -> Tensor.zeros(2, 5, 3).matmul(Tensor.zeros(3, 3, 4)), "matmul: shapes [2] and [3] cannot be broadcast");
        iae(() -> Tensor.scalar(1f).matmul(Tensor.zeros(3)), "matmul: both operands need at least 1 dim, got [] @ [3]");
        iae(() -> Tensor.zeros(3).matmul(Tensor.scalar(1f)), "matmul: both operands need at least 1 dim, got [3] @ []");
    }
}
