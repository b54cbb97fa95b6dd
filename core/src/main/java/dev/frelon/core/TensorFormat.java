package dev.frelon.core;

import java.util.Locale;

/** PyTorch-style printing of tensors: aligned columns, one row per line, "..." for large tensors. */
final class TensorFormat {
    private static final int SUMMARIZE_ABOVE = 1000;
    private static final int EDGE_ITEMS = 3;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        int[] shape = t.shape;
        if (t.numel() == 0) {
            return "tensor([], shape=" + Shape.str(shape) + (t.dtype != DType.FLOAT32 ? ", dtype=" + t.dtype : "") + ")";
        }
        boolean summarize = t.numel() > SUMMARIZE_ABOVE;
        String[] cells = cells(t);
        int width = 0;
        for (String c : cells) {
            width = Math.max(width, c.length());
        }
        StringBuilder sb = new StringBuilder("tensor(");
        int[] strides = Shape.contiguousStrides(shape);
        append(sb, cells, shape, strides, 0, 0, width, summarize, "tensor(".length());
        if (shape.length > 0) {
            sb.append(", shape=").append(Shape.str(shape));
        }
        if (t.dtype != DType.FLOAT32) {
            sb.append(", dtype=").append(t.dtype);
        }
        return sb.append(')').toString();
    }

    /** Each element as printed: floats in one style for the whole tensor, integers as they are, bools as PyTorch. */
    private static String[] cells(Tensor t) {
        String[] out = new String[t.numel()];
        switch (t.dtype) {
            case FLOAT32, FLOAT64 -> {
                double[] v = t.toDoubleArray();
                Style style = Style.of(v);
                for (int i = 0; i < v.length; i++) {
                    out[i] = style.format(v[i]);
                }
            }
            case INT64, INT32 -> {
                long[] v = t.toLongArray();
                for (int i = 0; i < v.length; i++) {
                    out[i] = Long.toString(v[i]);
                }
            }
            case BOOL -> {
                boolean[] v = t.toBooleanArray();
                for (int i = 0; i < v.length; i++) {
                    out[i] = v[i] ? "True" : "False";
                }
            }
        }
        return out;
    }

    private static void append(StringBuilder sb, String[] v, int[] shape, int[] strides, int dim, int off, int width,
                               boolean summarize, int indent) {
        if (dim == shape.length) {
            String s = v[off];
            sb.append(" ".repeat(Math.max(0, width - s.length()))).append(s);
            return;
        }
        sb.append('[');
        int n = shape[dim];
        boolean cut = summarize && n > 2 * EDGE_ITEMS;
        String sep = dim == shape.length - 1 ? ", " : "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + dim + 1);
        boolean first = true;
        for (int i = 0; i < n; i++) {
            if (cut && i == EDGE_ITEMS) {
                sb.append(sep).append("...");
                i = n - EDGE_ITEMS - 1;
                continue;
            }
            if (!first) {
                sb.append(sep);
            }
            first = false;
            append(sb, v, shape, strides, dim + 1, off + i * strides[dim], width, summarize, indent);
        }
        sb.append(']');
    }

    /** How every element of one tensor is written: as integers, fixed-point or scientific. */
    private enum Style {
        INTEGER, FIXED, SCIENTIFIC;

        static Style of(double[] vals) {
            boolean ints = true;
            double maxAbs = 0, minAbs = Double.MAX_VALUE;
            for (double v : vals) {
                if (!Double.isFinite(v)) {
                    continue;
                }
                if (v != Math.rint(v)) {
                    ints = false;
                }
                double a = Math.abs(v);
                maxAbs = Math.max(maxAbs, a);
                if (a > 0) {
                    minAbs = Math.min(minAbs, a);
                }
            }
            if (ints && maxAbs < 1e8) {
                return INTEGER;
            }
            return maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs != Double.MAX_VALUE) || maxAbs / minAbs > 1e3 && maxAbs > 1e3
                    ? SCIENTIFIC : FIXED;
        }

        String format(double v) {
            if (Double.isNaN(v)) {
                return "nan";
            }
            if (Double.isInfinite(v)) {
                return v > 0 ? "inf" : "-inf";
            }
            return switch (this) {
                case INTEGER -> String.format(Locale.ROOT, "%.0f.", v);
                case FIXED -> String.format(Locale.ROOT, "%.4f", v);
                case SCIENTIFIC -> String.format(Locale.ROOT, "%.4e", v);
            };
        }
    }
}
