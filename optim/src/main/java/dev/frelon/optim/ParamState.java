package dev.frelon.optim;

import dev.frelon.core.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-parameter optimizer state: named buffers shaped like the parameter (momentum, moments...) and the
 * number of steps taken. Created lazily by the optimizer on a parameter's first update.
 */
public final class ParamState {
    private final int[] shape;
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private long step;

    ParamState(int[] shape) {
        this.shape = shape.clone();
    }

    /**
     * Returns a named buffer, creating it as zeros of the parameter's shape on first use, so that an update can
     * read and write it in place (PyTorch's {@code state['exp_avg']}).
     *
     * @param name the buffer's name (e.g. {@code "exp_avg"})
     * @return the buffer, created as zeros of the parameter's shape on first use
     */
    public Tensor buffer(String name) {
        return buffers.computeIfAbsent(name, k -> Tensor.zeros(shape));
    }

    /**
     * Tells whether a buffer has been created, by {@link #buffer} or by loading a state, without creating it.
     *
     * @param name the buffer's name
     * @return whether it exists yet
     */
    public boolean has(String name) {
        return buffers.containsKey(name);
    }

    /**
     * The number of updates of this parameter, counted by {@link Optimizer#step()} before it calls
     * {@code update}: 1 during the first update, t during the t-th.
     *
     * @return steps taken for this parameter, the current one included
     */
    public long step() {
        return step;
    }

    void advanceStep() {
        step++;
    }

    Map<String, Tensor> buffers() {
        return buffers;
    }

    void setStep(long s) {
        step = s;
    }
}
