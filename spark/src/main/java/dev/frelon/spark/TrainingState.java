package dev.frelon.spark;

import dev.frelon.core.Tensor;
import dev.frelon.nn.Module;
import dev.frelon.optim.Optimizer;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checkpoint the driver holds between checkpoint intervals: the model's state dict (parameters and buffers)
 * and the optimizer's, as plain arrays that serialize without Frelon's tensors. Every interval starts all replicas
 * from one such state, which the driver sends with its order; when the stage fails, the retried tasks start the
 * interval again from the same state.
 */
final class TrainingState implements Serializable {

    private static final long serialVersionUID = 1L;

    private final NamedArrays model;
    private final NamedArrays optimizer;

    private TrainingState(NamedArrays model, NamedArrays optimizer) {
        this.model = model;
        this.optimizer = optimizer;
    }

    /** Copies the current state of a model and its optimizer. */
    static TrainingState capture(Module model, Optimizer<?> optimizer) {
        return new TrainingState(NamedArrays.of(model.stateDict()), NamedArrays.of(optimizer.stateDict()));
    }

    /**
     * Loads this state into a model and optimizer of the same structure (strictly: every key must match).
     *
     * @param worker names the worker in the error when the structures differ
     */
    void restore(Module target, Optimizer<?> opt, int worker) {
        if (!hasValues()) {
            throw new IllegalStateException("SparkTrainer: worker " + worker + " was given a checkpoint without its"
                    + " values (they come from worker 0 along the ring)");
        }
        try {
            target.loadStateDict(model.toTensors(), true);
            opt.loadStateDict(optimizer.toTensors());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SparkTrainer: the model or optimizer factory built something else on"
                    + " worker " + worker + " than on the driver (factories must build the same structure every"
                    + " time): " + e.getMessage(), e);
        }
    }

    /**
     * This state's names and shapes without its values: what the workers other than worker 0 receive from the
     * driver, while the values come to them from worker 0 along the ring ({@link #values}, {@link #withValues}).
     */
    TrainingState skeleton() {
        return new TrainingState(model.withoutValues(), optimizer.withoutValues());
    }

    /** Whether this state carries its values (a {@link #skeleton} does not). */
    boolean hasValues() {
        return model.values() != null;
    }

    /** The number of values, model's then optimizer's. */
    int size() {
        return Math.addExact(model.size(), optimizer.size());
    }

    /** Every value, the model's then the optimizer's, in state dict order, in one new array. */
    float[] values() {
        float[] all = new float[size()];
        optimizer.copyTo(all, model.copyTo(all, 0));
        return all;
    }

    /**
     * This skeleton's names and shapes with values laid out as {@link #values} gives them.
     *
     * @throws IllegalArgumentException when the count differs from {@link #size()}
     */
    TrainingState withValues(float[] all) {
        if (all.length != size()) {
            throw new IllegalArgumentException("SparkTrainer: a checkpoint of " + size() + " values received "
                    + all.length);
        }
        return new TrainingState(model.filledFrom(all, 0), optimizer.filledFrom(all, model.size()));
    }

    /**
     * Named arrays with their shapes, in the state dict's order.
     *
     * @param names the state dict's keys
     * @param shapes each tensor's shape
     * @param values each tensor's elements, row-major
     */
    private record NamedArrays(String[] names, int[][] shapes, float[][] values) implements Serializable {

        static NamedArrays of(Map<String, Tensor> dict) {
            int n = dict.size(), i = 0;
            String[] names = new String[n];
            int[][] shapes = new int[n][];
            float[][] values = new float[n][];
            for (var e : dict.entrySet()) {
                names[i] = e.getKey();
                shapes[i] = e.getValue().shape();
                values[i] = e.getValue().toArray();
                i++;
            }
            return new NamedArrays(names, shapes, values);
        }

        NamedArrays withoutValues() {
            return new NamedArrays(names, shapes, null);
        }

        int size() {
            int n = 0;
            for (int i = 0; i < shapes.length; i++) {
                n = Math.addExact(n, elements(i));
            }
            return n;
        }

        /** The number of elements of array i, from its shape (a skeleton has no arrays to ask). */
        private int elements(int i) {
            int k = 1;
            for (int d : shapes[i]) {
                k = Math.multiplyExact(k, d);
            }
            return k;
        }

        /** Copies the values into {@code all} from {@code at}; returns the index after them. */
        int copyTo(float[] all, int at) {
            for (float[] v : values) {
                System.arraycopy(v, 0, all, at, v.length);
                at += v.length;
            }
            return at;
        }

        NamedArrays filledFrom(float[] all, int at) {
            float[][] filled = new float[names.length][];
            for (int i = 0; i < names.length; i++) {
                filled[i] = java.util.Arrays.copyOfRange(all, at, at + elements(i));
                at += filled[i].length;
            }
            return new NamedArrays(names, shapes, filled);
        }

        Map<String, Tensor> toTensors() {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                out.put(names[i], Sample.tensor(values[i], shapes[i]));
            }
            return out;
        }
    }
}
