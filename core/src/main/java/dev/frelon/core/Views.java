package dev.frelon.core;

/**
 * Computes the shape, strides and offset of {@link Tensor}'s views (reshape, permute, narrow, slice, select,
 * squeeze, unsqueeze, expand) and checks their arguments; no element is read or written. Apart from Tensor
 * because the stride arithmetic, above all whether a reshape can be a view at all, is the long part of each.
 */
final class Views {

    private Views() {
    }

    static Tensor reshape(Tensor x, int[] newShape) {
        int[] s = inferShape(x, "reshape", newShape);
        int[] st = viewStrides(x, s);
        return st != null ? x.viewOf(s, st, x.offset) : x.copy().viewOf(s, Shape.contiguousStrides(s), 0);
    }

    static Tensor view(Tensor x, int[] newShape) {
        int[] s = inferShape(x, "view", newShape);
        int[] st = viewStrides(x, s);
        if (st == null) {
            throw new IllegalArgumentException("view: a tensor of shape " + Shape.str(x.shape) + " and strides "
                    + Shape.str(x.strides) + " cannot be viewed as " + Shape.str(s)
                    + " without copying; use reshape() or contiguous() first");
        }
        return x.viewOf(s, st, x.offset);
    }

    /** {@code newShape} with its -1 (if any) inferred from x's element count, which it must match. */
    private static int[] inferShape(Tensor x, String op, int[] newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": only one dim may be -1 in " + Shape.str(newShape));
                }
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid dim " + s[i] + " in " + Shape.str(newShape));
            } else {
                known *= s[i];
            }
        }
        int n = x.numel();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": cannot infer -1 in " + Shape.str(newShape) + " for "
                        + n + " elements (shape " + Shape.str(x.shape) + ")");
            }
            s[infer] = (int) (n / known);
            known *= s[infer];
        }
        if (known != n) {
            throw new IllegalArgumentException(op + ": shape " + Shape.str(newShape) + " (" + known
                    + " elements) does not match " + Shape.str(x.shape) + " (" + n + " elements)");
        }
        return s;
    }

    /** Strides that view x's elements as {@code newShape} without a copy, or null if none exist. */
    private static int[] viewStrides(Tensor x, int[] newShape) {
        if (x.isContiguous() || x.numel() == 0) {
            return Shape.contiguousStrides(newShape);
        }
        int[] shape = x.shape, strides = x.strides;
        // Walk old dims from the right in "chunks" that are laid out as one run, matching new dims to them.
        int[] out = new int[newShape.length];
        int viewD = newShape.length - 1;
        long chunkBase = strides[strides.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    out[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? out : null;
    }

    static Tensor flatten(Tensor x, int startDim, int endDim) {
        int[] shape = x.shape;
        if (shape.length == 0) {
            Shape.dim("flatten", startDim, 0); // a 0-d tensor takes dims 0 and -1, as PyTorch
            Shape.dim("flatten", endDim, 0);
            return x.reshape(1);
        }
        int s = Shape.dim("flatten", startDim, shape.length);
        int e = Shape.dim("flatten", endDim, shape.length);
        if (s > e) {
            throw new IllegalArgumentException("flatten: startDim " + startDim + " comes after endDim " + endDim);
        }
        int[] ns = new int[shape.length - (e - s)];
        int k = 0;
        for (int d = 0; d < s; d++) {
            ns[k++] = shape[d];
        }
        int prod = 1;
        for (int d = s; d <= e; d++) {
            prod *= shape[d];
        }
        ns[k++] = prod;
        for (int d = e + 1; d < shape.length; d++) {
            ns[k++] = shape[d];
        }
        return x.reshape(ns);
    }

    static Tensor transpose(Tensor x, int dim0, int dim1) {
        int rank = x.shape.length;
        if (rank == 0) {
            Shape.dim("transpose", dim0, 0); // a 0-d tensor takes dims 0 and -1, as PyTorch, and is its own transpose
            Shape.dim("transpose", dim1, 0);
            return x;
        }
        int a = Shape.dim("transpose", dim0, rank);
        int b = Shape.dim("transpose", dim1, rank);
        int[] p = new int[rank];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        p[a] = b;
        p[b] = a;
        return permute(x, p);
    }

    static Tensor permute(Tensor x, int[] order) {
        int[] shape = x.shape;
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute: " + order.length + " dims given for a tensor of rank "
                    + shape.length + " (shape " + Shape.str(shape) + ")");
        }
        boolean[] seen = new boolean[shape.length];
        int[] ns = new int[shape.length], st = new int[shape.length];
        for (int i = 0; i < order.length; i++) {
            int d = Shape.dim("permute", order[i], shape.length);
            if (seen[d]) {
                throw new IllegalArgumentException("permute: dim " + order[i] + " repeated in " + Shape.str(order));
            }
            seen[d] = true;
            ns[i] = shape[d];
            st[i] = x.strides[d];
        }
        return x.viewOf(ns, st, x.offset);
    }

    static Tensor narrow(Tensor x, int dim, int start, int length) {
        int[] shape = x.shape;
        int d = Shape.existingDim("narrow", dim, shape.length);
        int s = start < 0 ? start + shape[d] : start;
        if (length < 0) {
            throw new IndexOutOfBoundsException("narrow: length " + length + " is negative (dim " + dim + " of shape "
                    + Shape.str(shape) + ")");
        }
        if (s < 0 || s > shape[d]) {
            throw new IndexOutOfBoundsException("narrow: start " + start + " is out of range for dim " + dim
                    + " (size " + shape[d] + ") of shape " + Shape.str(shape) + " (expected " + -shape[d]
                    + " <= start <= " + shape[d] + ")");
        }
        if (length > shape[d] - s) { // not s + length > size, which overflows for a length near 2^31
            throw new IndexOutOfBoundsException("narrow: start " + start + " + length " + length
                    + " is past the end of dim " + dim + " (size " + shape[d] + ") of shape " + Shape.str(shape));
        }
        int[] ns = shape.clone();
        ns[d] = length;
        return x.viewOf(ns, x.strides.clone(), x.offset + s * x.strides[d]);
    }

    static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        int d = Shape.existingDim("slice", dim, x.shape.length);
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step);
        }
        int n = x.shape[d];
        int s = clampIndex(start, n), e = clampIndex(end, n);
        int len = e > s ? (e - s - 1) / step + 1 : 0; // not (e - s + step - 1) / step, which overflows for a huge step
        int[] ns = x.shape.clone();
        int[] st = x.strides.clone();
        ns[d] = len;
        st[d] = x.strides[d] * step;
        return x.viewOf(ns, st, x.offset + (len > 0 ? s * x.strides[d] : 0));
    }

    private static int clampIndex(int i, int n) {
        if (i < 0) {
            i += n;
        }
        return Math.max(0, Math.min(n, i));
    }

    static Tensor select(Tensor x, int dim, int index) {
        int[] shape = x.shape;
        int d = Shape.existingDim("select", dim, shape.length);
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dim " + dim
                    + " of size " + shape[d] + " (shape " + Shape.str(shape) + ")");
        }
        return x.viewOf(remove(shape, d), remove(x.strides, d), x.offset + i * x.strides[d]);
    }

    private static int[] remove(int[] a, int d) {
        int[] out = new int[a.length - 1];
        System.arraycopy(a, 0, out, 0, d);
        System.arraycopy(a, d + 1, out, d, a.length - d - 1);
        return out;
    }

    private static int[] insert(int[] a, int d, int v) {
        int[] out = new int[a.length + 1];
        System.arraycopy(a, 0, out, 0, d);
        out[d] = v;
        System.arraycopy(a, d, out, d + 1, a.length - d);
        return out;
    }

    static Tensor squeeze(Tensor x) {
        int[] shape = x.shape;
        int k = 0;
        for (int s : shape) {
            if (s != 1) {
                k++;
            }
        }
        int[] ns = new int[k], st = new int[k];
        k = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] != 1) {
                ns[k] = shape[d];
                st[k++] = x.strides[d];
            }
        }
        return x.viewOf(ns, st, x.offset);
    }

    static Tensor squeeze(Tensor x, int dim) {
        int[] shape = x.shape;
        if (shape.length == 0) {
            Shape.dim("squeeze", dim, 0);
            return x;
        }
        int d = Shape.dim("squeeze", dim, shape.length);
        return shape[d] == 1 ? x.viewOf(remove(shape, d), remove(x.strides, d), x.offset) : x;
    }

    static Tensor unsqueeze(Tensor x, int dim) {
        int[] shape = x.shape;
        int d = Shape.dim("unsqueeze", dim, shape.length + 1);
        int st = d < shape.length ? x.strides[d] * shape[d] : 1;
        return x.viewOf(insert(shape, d, 1), insert(x.strides, d, st), x.offset);
    }

    static Tensor expand(Tensor x, int[] newShape) {
        int[] shape = x.shape;
        int[] target = newShape.clone();
        int lead = target.length - shape.length;
        if (lead < 0) {
            throw new IllegalArgumentException("expand: cannot expand shape " + Shape.str(shape) + " to "
                    + Shape.str(newShape) + " (fewer dims)");
        }
        for (int i = 0; i < shape.length; i++) {
            if (target[lead + i] == -1) {
                target[lead + i] = shape[i];
            }
        }
        for (int i = 0; i < target.length; i++) {
            if (target[i] < 0) {
                throw new IllegalArgumentException("expand: cannot expand shape " + Shape.str(shape) + " to "
                        + Shape.str(newShape) + " (size " + newShape[i] + " in dim " + i + "; -1 keeps an existing dim)");
            }
        }
        Shape.numel("expand", target);
        return x.viewOf(target, Shape.broadcastStrides("expand", shape, x.strides, target), x.offset);
    }
}
