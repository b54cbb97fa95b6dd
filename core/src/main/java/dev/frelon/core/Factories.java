package dev.frelon.core;

import java.util.Arrays;

/**
 * Fills the new tensors of {@link Tensor}'s static factories that compute their values: constants, nested rows,
 * ranges, the identity and the random draws. Each checks its arguments and names itself in errors. Apart from
 * Tensor so that the factories there read as a list, and the order of random draws (row-major, one
 * {@link Rng} call per element), on which every seeded result depends, is kept in one place.
 */
final class Factories {

    private Factories() {
    }

    static Tensor full(String op, float value, int[] shape) {
        int[] s = shape.clone();
        float[] d = new float[Shape.numel(op, s)];
        Arrays.fill(d, value);
        return Tensor.dense(d, s);
    }

    static Tensor of(float[][] rows) {
        int m = rows.length;
        int n = m == 0 ? 0 : rows[0].length;
        float[] d = new float[m * n];
        for (int i = 0; i < m; i++) {
            if (rows[i].length != n) {
                throw new IllegalArgumentException("Tensor.of: row " + i + " has " + rows[i].length
                        + " values, row 0 has " + n);
            }
            System.arraycopy(rows[i], 0, d, i * n, n);
        }
        return Tensor.dense(d, new int[] {m, n});
    }

    static Tensor arange(float start, float end, float step) {
        if (step == 0 || !Float.isFinite(step) || !Float.isFinite(start) || !Float.isFinite(end)) {
            throw new IllegalArgumentException("arange: start, end and step must be finite and step non-zero, got "
                    + start + ", " + end + ", " + step);
        }
        int n = Shape.count("arange", Math.ceil((end - (double) start) / step),
                "[" + start + ", " + end + ") in steps of " + step);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) (start + (double) i * step);
        }
        return Tensor.dense(d, new int[] {n});
    }

    /** {@code arange} in another dtype: float64 values in double, integers exactly in long arithmetic. */
    static Tensor arange(DType dtype, double start, double end, double step) {
        if (dtype == DType.FLOAT32) {
            return arange((float) start, (float) end, (float) step);
        }
        if (step == 0 || !Double.isFinite(step) || !Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("arange: start, end and step must be finite and step non-zero, got "
                    + start + ", " + end + ", " + step);
        }
        if (dtype == DType.BOOL || dtype.isIntegral() && (start != Math.rint(start) || step != Math.rint(step))) {
            throw new IllegalArgumentException("arange: " + dtype + " needs whole numbers for start and step, got "
                    + start + " and " + step);
        }
        int n = Shape.count("arange", Math.ceil((end - start) / step), "[" + start + ", " + end + ") in steps of " + step);
        Tensor t = Tensor.zeros("arange", dtype, new int[] {n});
        for (int i = 0; i < n; i++) {
            if (dtype == DType.FLOAT64) {
                ((double[]) t.store)[i] = start + i * step;
            } else {
                long v;
                try {
                    v = Math.addExact(Elements.toIntegral("arange", start, DType.INT64),
                            Math.multiplyExact(i, Elements.toIntegral("arange", step, DType.INT64)));
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException("arange: value " + i + " overflows int64", e);
                }
                Elements.setLong(dtype, t.store, i, dtype == DType.INT32 ? Elements.checkedInt32("arange", v) : v);
            }
        }
        return t;
    }

    /** {@code arange} over whole numbers, counted and stepped in exact long arithmetic for the integer dtypes. */
    static Tensor arange(DType dtype, long start, long end, long step) {
        if (!dtype.isIntegral()) {
            return arange(dtype, (double) start, (double) end, (double) step);
        }
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must be non-zero");
        }
        // ceil((end - start) / step), exactly: the span of two longs may not fit a long.
        java.math.BigInteger[] qr = java.math.BigInteger.valueOf(end).subtract(java.math.BigInteger.valueOf(start))
                .divideAndRemainder(java.math.BigInteger.valueOf(step));
        java.math.BigInteger ceil = qr[1].signum() > 0 == step > 0 && qr[1].signum() != 0
                ? qr[0].add(java.math.BigInteger.ONE) : qr[0];
        double count = ceil.signum() <= 0 ? 0 : ceil.doubleValue();
        int n = Shape.count("arange", count, "[" + start + ", " + end + ") in steps of " + step);
        Tensor t = Tensor.zeros("arange", dtype, new int[] {n});
        for (int i = 0; i < n; i++) {
            long v = start + i * step; // within [start, end): no overflow
            Elements.setLong(dtype, t.store, i, dtype == DType.INT32 ? Elements.checkedInt32("arange", v) : v);
        }
        return t;
    }

    static Tensor linspace(float start, float end, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: steps must be >= 0, got " + steps);
        }
        Shape.count("linspace", steps, steps + " steps");
        float[] d = new float[steps];
        for (int i = 0; i < steps; i++) {
            d[i] = steps == 1 ? start : (float) (start + (end - (double) start) * i / (steps - 1));
        }
        return Tensor.dense(d, new int[] {steps});
    }

    static Tensor eye(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("eye: n must be >= 0, got " + n);
        }
        Tensor t = Tensor.zeros("eye", new int[] {n, n});
        for (int i = 0; i < n; i++) {
            t.data[i * n + i] = 1f;
        }
        return t;
    }

    static Tensor uniform(String op, Rng rng, float low, float high, int[] shape) {
        if (!(low <= high) || !Float.isFinite(low) || !Float.isFinite(high)) {
            throw new IllegalArgumentException(op + ": need finite low <= high, got [" + low + ", " + high + ")");
        }
        Tensor t = Tensor.zeros(op, shape);
        // Rounding the double draw to float can land exactly on high; keep the interval half-open.
        float top = low < high ? Math.nextDown(high) : high;
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = Math.min(top, (float) (low + (high - (double) low) * rng.nextDouble()));
        }
        return t;
    }

    static Tensor normal(String op, Rng rng, float mean, float std, int[] shape) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException(op + ": std must be >= 0, got " + std);
        }
        Tensor t = Tensor.zeros(op, shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) (mean + std * rng.nextGaussian());
        }
        return t;
    }

    static Tensor bernoulli(Rng rng, float p, int[] shape) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli: p must be in [0, 1], got " + p);
        }
        Tensor t = Tensor.zeros("bernoulli", shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = rng.nextDouble() < p ? 1f : 0f;
        }
        return t;
    }
}
