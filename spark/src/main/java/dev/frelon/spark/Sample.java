package dev.frelon.spark;

import dev.frelon.core.Tensor;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One training example as Spark carries it between machines: the input and the target as plain arrays with their
 * shapes. (Frelon's {@link Tensor} is not {@link Serializable}; a sample is the form an example takes in an RDD.)
 *
 * <pre>{@code
 * Sample s = Sample.of(Tensor.of(new float[] {0.5f, 1.5f}, 2), Tensor.scalar(1));   // x [2], class 1
 * }</pre>
 *
 * @param x the input's elements in row-major order
 * @param xShape the input's shape, for example {@code [1, 28, 28]} for an image
 * @param y the target's elements in row-major order
 * @param yShape the target's shape, {@code []} for a class index
 */
public record Sample(float[] x, int[] xShape, float[] y, int[] yShape) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Checks that the arrays match their shapes.
     *
     * @param x the input's elements in row-major order, not null
     * @param xShape the input's shape, not null
     * @param y the target's elements in row-major order, not null
     * @param yShape the target's shape, not null
     * @throws IllegalArgumentException when an array's length is not the product of its shape
     */
    public Sample {
        Objects.requireNonNull(x, "Sample: x is null");
        Objects.requireNonNull(xShape, "Sample: xShape is null");
        Objects.requireNonNull(y, "Sample: y is null");
        Objects.requireNonNull(yShape, "Sample: yShape is null");
        checkLength("x", x, xShape);
        checkLength("y", y, yShape);
    }

    private static void checkLength(String name, float[] values, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("Sample: " + name + "Shape " + Arrays.toString(shape)
                        + " has a negative dim");
            }
            n = d != 0 && n > Integer.MAX_VALUE / d ? Integer.MAX_VALUE + 1L : n * d;   // past any array length: stop
        }
        if (n != values.length) {
            throw new IllegalArgumentException("Sample: " + name + " has " + values.length + " elements, but its shape "
                    + Arrays.toString(shape) + " holds " + n);
        }
    }

    /**
     * Copies two tensors into a sample.
     *
     * @param x the input, any shape
     * @param y the target, any shape (0-d for a class index)
     * @return the sample
     */
    public static Sample of(Tensor x, Tensor y) {
        return new Sample(x.toArray(), x.shape(), y.toArray(), y.shape());
    }

    /**
     * A sample with a feature vector and a 0-d target, such as a class index.
     *
     * @param features the input, shape {@code [features.length]}
     * @param label the target
     * @return the sample
     */
    public static Sample of(float[] features, float label) {
        return new Sample(features.clone(), new int[] {features.length}, new float[] {label}, new int[0]);
    }

    /**
     * The input as a new tensor.
     *
     * @return a copy of the input with its shape
     */
    public Tensor input() {
        return tensor(x, xShape);
    }

    /**
     * The target as a new tensor.
     *
     * @return a copy of the target with its shape
     */
    public Tensor target() {
        return tensor(y, yShape);
    }

    /** A copy of the values with the shape; {@link Tensor#of} would read an empty shape as a vector's. */
    static Tensor tensor(float[] values, int[] shape) {
        return shape.length == 0 ? Tensor.scalar(values[0]) : Tensor.of(values, shape);
    }
}
