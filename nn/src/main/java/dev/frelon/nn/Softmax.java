package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

/** Softmax along a dim (or log-softmax); output has the input's shape. */
public final class Softmax extends Module {
    private final int dim;
    private final boolean log;

    /** @param dim the dim whose entries sum to 1 */
    public Softmax(int dim) {
        this(dim, false);
    }

    /**
     * @param dim the dim
     * @param log true for log-softmax
     */
    public Softmax(int dim, boolean log) {
        this.dim = dim;
        this.log = log;
    }

    /**
     * @param dim the dim
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
