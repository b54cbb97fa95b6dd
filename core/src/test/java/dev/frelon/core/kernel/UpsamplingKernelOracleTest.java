package dev.frelon.core.kernel;

import dev.frelon.core.kernel.UpsamplingKernels.Taps;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resizing kernels. The plain kernels against direct per-output formulas; the Vector API kernels against the plain
 * ones, bit for bit, at this JVM's width and at every width {@code frelon.vector.bits} can force (128, 256, 512, in
 * copies of the kernel classes loaded under each setting). Shapes: widths and heights 1 to 37 (rows shorter than a
 * vector, ragged ends), scale factors 1 to 4, output sizes that are not multiples of the input (and smaller ones),
 * align_corners both ways, an offset into the input storage, and planes split over two calls as the pool splits
 * them.
 */
class UpsamplingKernelOracleTest {

    private static final boolean FMA = Isa.current().fma();

    /** One resize: input {@code [planes, h, w]} at {@code off}, output {@code oh × ow}. */
    private record Case(int planes, int h, int w, int oh, int ow, boolean alignCorners, int off) {
        @Override
        public String toString() {
            return planes + "×" + h + "×" + w + " -> " + oh + "×" + ow + (alignCorners ? " aligned" : "")
                    + " at " + off;
        }
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(7);
        int[] sizes = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 33, 37};
        for (int w : sizes) {
            for (int s = 1; s <= 4; s++) {
                int h = 1 + r.nextInt(6), off = r.nextInt(4);
                boolean ac = (w + s) % 2 == 0;
                cases.add(new Case(3, h, w, s * h, s * w, ac, off));
                cases.add(new Case(2, h, w, s * h + 1, s * w + r.nextInt(1, 5), !ac, off)); // not a multiple
                cases.add(new Case(2, h, w, s * h + 1, s * w, ac, off)); // whole columns, one odd output row
            }
            cases.add(new Case(2, 5, w, 3, Math.max(1, w / 2), w % 2 == 0, 1)); // shrinking
            cases.add(new Case(2, 4, w, 7, Math.max(1, (3 * w) / 2), w % 2 == 1, 0)); // ×1.5
        }
        return cases;
    }

    private static float[] input(Case c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[c.off + c.planes * c.h * c.w];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static float blend(float a, float u, float b, float t) {
        return FMA ? Math.fma(b, t, a * u) : a * u + b * t;
    }

    @Test
    void plainKernelsMatchDirectFormulas() {
        UpsamplingKernels k = new ScalarUpsampling();
        for (Case c : cases()) {
            float[] x = input(c, 1);
            int[] rows = UpsamplingKernels.nearestIndex(c.h, c.oh), cols = UpsamplingKernels.nearestIndex(c.w, c.ow);
            Taps ry = Taps.of(c.h, c.oh, c.alignCorners), rx = Taps.of(c.w, c.ow, c.alignCorners);
            float[] near = new float[c.planes * c.oh * c.ow], bil = new float[near.length];
            k.nearest(x, c.off, c.h, c.w, rows, cols, near, 0, c.planes);
            k.bilinear(x, c.off, c.h, c.w, ry, rx, bil, 0, c.planes);
            // The backward against the adjoint in double: the plain kernel sums by input row first, a different
            // order from the direct scatter, so float sums agree to rounding only (a few ulps of the largest).
            float[] g = input(new Case(c.planes, c.oh, c.ow, c.oh, c.ow, false, 0), 2);
            float[] dn = new float[c.planes * c.h * c.w], db = new float[dn.length];
            double[] refN = new double[dn.length], refB = new double[dn.length];
            k.nearestBackward(g, 0, c.h, c.w, rows, cols, dn, 0, c.planes);
            k.bilinearBackward(g, 0, c.h, c.w, ry, rx, db, 0, c.planes);
            for (int p = 0; p < c.planes; p++) {
                for (int i = 0; i < c.oh; i++) {
                    int r0 = c.off + (p * c.h + ry.lo()[i]) * c.w, r1 = c.off + (p * c.h + ry.hi()[i]) * c.w;
                    int d0 = (p * c.h + ry.lo()[i]) * c.w, d1 = (p * c.h + ry.hi()[i]) * c.w;
                    for (int j = 0; j < c.ow; j++) {
                        int o = (p * c.oh + i) * c.ow + j, c0 = rx.lo()[j], c1 = rx.hi()[j];
                        assertEquals(x[c.off + (p * c.h + rows[i]) * c.w + cols[j]], near[o], c + " nearest " + o);
                        float top = blend(x[r0 + c0], rx.u()[j], x[r0 + c1], rx.t()[j]);
                        float bottom = blend(x[r1 + c0], rx.u()[j], x[r1 + c1], rx.t()[j]);
                        assertEquals(blend(top, ry.u()[i], bottom, ry.t()[i]), bil[o], c + " bilinear " + o);
                        refN[(p * c.h + rows[i]) * c.w + cols[j]] += g[o];
                        double v = g[o];
                        refB[d0 + c0] += v * ry.u()[i] * rx.u()[j];
                        refB[d0 + c1] += v * ry.u()[i] * rx.t()[j];
                        refB[d1 + c0] += v * ry.t()[i] * rx.u()[j];
                        refB[d1 + c1] += v * ry.t()[i] * rx.t()[j];
                    }
                }
            }
            for (int i = 0; i < dn.length; i++) {
                assertEquals(refN[i], dn[i], 1e-5 * (1 + Math.abs(refN[i])), c + " nearest backward " + i);
                assertEquals(refB[i], db[i], 1e-5 * (1 + Math.abs(refB[i])), c + " bilinear backward " + i);
            }
        }
    }

    @Test
    void vectorKernelsEqualPlainKernelsBitForBit() {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        compare(Kernels.vectorImplementation(UpsamplingKernels.class), "width " + VectorWidth.SPECIES.vectorBitSize());
    }

    @Test
    void vectorKernelsEqualPlainKernelsAtEveryForcedWidth() throws Exception {
        Assumptions.assumeTrue(Kernels.vectorModulePresent(), "needs " + Kernels.ENABLE_FLAG);
        for (int bits : new int[] {128, 256, 512}) {
            compare(atWidth(bits), "forced width " + bits);
        }
    }

    private static void compare(UpsamplingKernels v, String where) {
        UpsamplingKernels s = new ScalarUpsampling();
        for (Case c : cases()) {
            float[] x = input(c, 3);
            int split = c.planes / 2;
            int[] rows = UpsamplingKernels.nearestIndex(c.h, c.oh), cols = UpsamplingKernels.nearestIndex(c.w, c.ow);
            Taps ry = Taps.of(c.h, c.oh, c.alignCorners), rx = Taps.of(c.w, c.ow, c.alignCorners);
            int n = c.planes * c.oh * c.ow, m = c.planes * c.h * c.w;
            float[][] plain = {new float[n], new float[n], new float[m], new float[m]};
            float[][] vector = {new float[n], new float[n], new float[m], new float[m]};
            float[] g = input(new Case(c.planes, c.oh, c.ow, c.oh, c.ow, false, c.off), 4);
            s.nearest(x, c.off, c.h, c.w, rows, cols, plain[0], 0, c.planes);
            s.bilinear(x, c.off, c.h, c.w, ry, rx, plain[1], 0, c.planes);
            s.nearestBackward(g, c.off, c.h, c.w, rows, cols, plain[2], 0, c.planes);
            s.bilinearBackward(g, c.off, c.h, c.w, ry, rx, plain[3], 0, c.planes);
            for (int[] range : new int[][] {{0, split}, {split, c.planes}}) {
                v.nearest(x, c.off, c.h, c.w, rows, cols, vector[0], range[0], range[1]);
                v.bilinear(x, c.off, c.h, c.w, ry, rx, vector[1], range[0], range[1]);
                v.nearestBackward(g, c.off, c.h, c.w, rows, cols, vector[2], range[0], range[1]);
                v.bilinearBackward(g, c.off, c.h, c.w, ry, rx, vector[3], range[0], range[1]);
            }
            String[] names = {"nearest", "bilinear", "nearest backward", "bilinear backward"};
            for (int k = 0; k < 4; k++) {
                for (int i = 0; i < plain[k].length; i++) {
                    assertEquals(Float.floatToRawIntBits(plain[k][i]), Float.floatToRawIntBits(vector[k][i]),
                            where + ", " + c + ", " + names[k] + " at " + i + ": " + plain[k][i] + " vs "
                                    + vector[k][i]);
                }
            }
        }
    }

    /**
     * A Vector API implementation at a forced width: this package's classes loaded again by a loader of their own
     * while {@code frelon.vector.bits} is set, so that {@code VectorWidth} and {@code Kernels} initialise under it.
     * The interface (and its {@code Taps}) come from the test's loader, so the copy is used like the original.
     */
    private static UpsamplingKernels atWidth(int bits) throws Exception {
        String pkg = UpsamplingKernels.class.getPackageName() + ".";
        URL classes = VectorUpsampling.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader parent = UpsamplingKernels.class.getClassLoader();
        ClassLoader own = new URLClassLoader(new URL[] {classes}, parent) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.startsWith(pkg) || name.startsWith(UpsamplingKernels.class.getName())) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : findClass(name);
                }
            }
        };
        String old = System.getProperty("frelon.vector.bits");
        System.setProperty("frelon.vector.bits", Integer.toString(bits));
        try {
            assertEquals(bits, Class.forName(pkg + "Kernels", true, own).getMethod("vectorBits").invoke(null));
            var ctor = Class.forName(pkg + "VectorUpsampling", true, own).getDeclaredConstructor();
            ctor.setAccessible(true);
            Object k = ctor.newInstance();
            assertTrue(k.getClass().getClassLoader() == own, "a copy of the kernel class");
            return (UpsamplingKernels) k;
        } finally {
            if (old == null) {
                System.clearProperty("frelon.vector.bits");
            } else {
                System.setProperty("frelon.vector.bits", old);
            }
        }
    }
}
