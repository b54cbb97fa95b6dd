package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

/** Softmax along a dim (or log-softmax); output has the input's shape. */
public final class Softmax extends Module {
    private final int dim;
    private final boolean log;

    /**
     * Creates a softmax layer: {@code y_i = exp(x_i) / Σ_j exp(x_j)} along {@code dim}.
     *
     * @param dim the dim whose entries sum to 1 (negative counts from the end)
     */
    public Softmax(int dim) {
        this(dim, false);
    }

    /**
     * Creates a softmax or, with {@code log}, a log-softmax layer ({@code y_i = x_i − log Σ_j exp(x_j)}) along
     * {@code dim}.
     *
     * @param dim the dim (negative counts from the end)
     * @param log true for log-softmax
     */
    public Softmax(int dim, boolean log) {
        this.dim = dim;
        this.log = log;
    }

    /**
     * Creates a log-softmax layer, the same as {@code new Softmax(dim, true)}.
     *
     * @param dim the dim (negative counts from the end)
     * @return a log-softmax layer
     */
    public static Softmax log(int dim) {
        return new Softmax(dim, true);
    }

    @Override
    public Variable forward(Variable x) {
        return log ? x.logSoftmax(dim) : x.softmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim + (log ? ", log" : "");
    }
}
