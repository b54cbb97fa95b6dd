package dev.frelon.core;

import java.util.Arrays;

/**
 * Runs {@link Tensor}'s joining and indexing operations: concat and stack, index select and add, gather and scatter
 * add, one-hot. Their loops and index checks live here, apart from Tensor, because each checks indices in its own
 * way (integer-valued floats, negative indices counting from the end) and the API should read without them.
 */
final class Indexing {

    private Indexing() {
    }

    static Tensor concat(int dim, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("concat: needs at least one tensor");
        }
        Tensor first = tensors[0];
        if (first.dim() == 0) {
            throw new IllegalArgumentException("concat: cannot concatenate 0-d tensors; use stack");
        }
        int d = Shape.dim("concat", dim, first.dim());
        int total = 0;
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            if (t.dim() != first.dim()) {
                throw new IllegalArgumentException("concat: tensor " + i + " has shape " + Shape.str(t.shape)
                        + ", rank differs from tensor 0's " + Shape.str(first.shape));
            }
            for (int j = 0; j < t.dim(); j++) {
                if (j != d && t.shape[j] != first.shape[j]) {
                    throw new IllegalArgumentException("concat: tensor " + i + " has shape " + Shape.str(t.shape)
                            + ", which differs from tensor 0's " + Shape.str(first.shape) + " outside dim " + dim);
                }
            }
            total += t.shape[d];
        }
        int[] outShape = first.shape.clone();
        outShape[d] = total;
        DType type = first.dtype;
        for (Tensor t : tensors) {
            type = DType.promote(type, t.dtype); // PyTorch's cat promotes its operands the same way
        }
        Tensor out = Tensor.zeros("concat", type, outShape);
        int at = 0;
        for (Tensor t : tensors) {
            InPlaceWrites.writeFrom(out.narrow(d, at, t.shape[d]), t);
            at += t.shape[d];
        }
        return out;
    }

    static Tensor stack(int dim, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("stack: needs at least one tensor");
        }
        int d = Shape.dim("stack", dim, tensors[0].dim() + 1);
        Tensor[] u = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            if (!Arrays.equals(tensors[i].shape, tensors[0].shape)) {
                throw new IllegalArgumentException("stack: tensor " + i + " has shape " + Shape.str(tensors[i].shape)
                        + ", tensor 0 has " + Shape.str(tensors[0].shape));
            }
            u[i] = tensors[i].unsqueeze(d);
        }
        return concat(d, u);
    }

    static Tensor indexSelect(Tensor x, int dim, int... indices) {
        int d = Shape.existingDim("indexSelect", dim, x.shape.length);
        int[] outShape = x.shape.clone();
        outShape[d] = indices.length;
        Tensor out = Tensor.zeros("indexSelect", x.dtype, outShape);
        for (int i = 0; i < indices.length; i++) {
            InPlaceWrites.writeFrom(out.select(d, i), x.select(d, checkIndex(x, "indexSelect", indices[i], d)));
        }
        return out;
    }

    /** An int index into dim {@code d} of {@code x}, negative counting from the end. */
    private static int checkIndex(Tensor x, String op, int index, int d) {
        int[] shape = x.shape;
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new IndexOutOfBoundsException(op + ": index " + index + " is out of range for dim " + d
                    + " of size " + shape[d] + " (shape " + Shape.str(shape) + ")");
        }
        return i;
    }

    static Tensor indexAdd(Tensor x, int dim, int[] indices, Tensor src) {
        int d = Shape.existingDim("indexAdd", dim, x.shape.length);
        int[] expected = x.shape.clone();
        expected[d] = indices.length;
        if (!Arrays.equals(expected, src.shape)) {
            throw new IllegalArgumentException("indexAdd: src has shape " + Shape.str(src.shape) + ", expected "
                    + Shape.str(expected));
        }
        InPlaceWrites.checkCastable("indexAdd", DType.promote(x.dtype, src.dtype), x);
        Tensor out = x.copy();
        for (int i = 0; i < indices.length; i++) {
            Tensor row = out.select(d, checkIndex(out, "indexAdd", indices[i], d));
            InPlaceWrites.writeFrom(row, row.add(src.select(d, i)));
        }
        return out;
    }

    static Tensor gather(Tensor x, int dim, Tensor index) {
        int d = checkGather(x, "gather", dim, index);
        Tensor out = Tensor.zeros("gather", x.dtype, index.shape);
        int[] pos = new int[index.dim()];
        int n = out.numel();
        for (int flat = 0; flat < n; flat++) {
            int from = indexedOffset(x, "gather", index, d, flat, pos, x);
            if (out.data != null) {
                out.data[flat] = x.data[from];
            } else {
                Casts.convert("gather", x.dtype, x.store, from, 1, x.dtype, out.store, flat, 1, 1);
            }
        }
        return out;
    }

    static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor src) {
        int d = checkGather(x, "scatterAdd", dim, index);
        if (!Arrays.equals(index.shape, src.shape)) {
            throw new IllegalArgumentException("scatterAdd: index shape " + Shape.str(index.shape)
                    + " differs from src shape " + Shape.str(src.shape));
        }
        InPlaceWrites.checkCastable("scatterAdd", DType.promote(x.dtype, src.dtype), x);
        Tensor out = x.copy();
        Tensor s = src.to(x.dtype).contiguous();
        int[] pos = new int[index.dim()];
        int n = index.numel();
        for (int flat = 0; flat < n; flat++) {
            int at = indexedOffset(x, "scatterAdd", index, d, flat, pos, out), from = s.offset + flat;
            switch (x.dtype) {
                case FLOAT32 -> out.data[at] += s.data[from];
                case FLOAT64 -> ((double[]) out.store)[at] += ((double[]) s.store)[from];
                default -> Elements.setLong(x.dtype, out.store, at,
                        Elements.getLong(x.dtype, out.store, at) + Elements.getLong(x.dtype, s.store, from));
            }
        }
        return out;
    }

    /**
     * Where in {@code target}'s storage the element lies that element {@code flat} (row-major) of {@code index}
     * points at: its own position, with the index value read there in place of dim {@code d}. {@code target} is
     * {@code x} or a dense copy of it; {@code pos} is scratch of index's rank.
     */
    private static int indexedOffset(Tensor x, String op, Tensor index, int d, int flat, int[] pos, Tensor target) {
        int rem = flat, ioff = index.offset;
        for (int j = index.dim() - 1; j >= 0; j--) {
            pos[j] = rem % index.shape[j];
            rem /= index.shape[j];
        }
        for (int j = 0; j < pos.length; j++) {
            ioff += pos[j] * index.strides[j];
        }
        int off = target.offset;
        for (int j = 0; j < pos.length; j++) {
            int p = j == d ? indexAt(x, op, Elements.getDouble(index.dtype, index.store, ioff), d) : pos[j];
            off += p * target.strides[j];
        }
        return off;
    }

    /** Checks a gather/scatter index against {@code x} and returns the indexed dim. */
    private static int checkGather(Tensor x, String op, int dim, Tensor index) {
        int[] shape = x.shape;
        if (index.dim() != shape.length) {
            throw new IllegalArgumentException(op + ": index has rank " + index.dim() + " (shape "
                    + Shape.str(index.shape) + "), input has rank " + shape.length + " (shape " + Shape.str(shape) + ")");
        }
        if (index.dtype == DType.BOOL) {
            throw new IllegalArgumentException(op + ": index must be int64, int32 or integer-valued floats, got bool"
                    + " of shape " + Shape.str(index.shape));
        }
        int d = Shape.dim(op, dim, shape.length);
        if (shape.length == 0) {
            // A 0-d input has no dim to index: its only valid index is 0 (the loops below check no dim).
            double v = index.itemDouble();
            if (v != 0) {
                throw new IndexOutOfBoundsException(op + ": index " + v + " is out of range for a 0-d tensor (only 0 is valid)");
            }
        }
        for (int j = 0; j < shape.length; j++) {
            if (j != d && index.shape[j] > shape[j]) {
                throw new IllegalArgumentException(op + ": index shape " + Shape.str(index.shape)
                        + " is larger than input shape " + Shape.str(shape) + " in dim " + j);
            }
        }
        return d;
    }

    /** An index value (int64, int32, or a float holding an integer) checked against dim {@code d} of {@code x}. */
    private static int indexAt(Tensor x, String op, double v, int d) {
        int[] shape = x.shape;
        int i = (int) v;
        if (i != v || i < 0 || i >= shape[d]) {
            throw new IndexOutOfBoundsException(op + ": index " + v + " is out of range for dim " + d
                    + " of size " + shape[d] + " (shape " + Shape.str(shape) + ")");
        }
        return i;
    }

    static Tensor oneHot(Tensor labels, int numClasses) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("oneHot: numClasses must be positive, got " + numClasses);
        }
        int[] l = ClassIndices.read("oneHot", "label", labels, numClasses);
        int[] outShape = Arrays.copyOf(labels.shape, labels.dim() + 1);
        outShape[labels.dim()] = numClasses;
        Tensor out = Tensor.zeros("oneHot", outShape);
        for (int i = 0; i < l.length; i++) {
            out.data[i * numClasses + l[i]] = 1f;
        }
        return out;
    }
}
