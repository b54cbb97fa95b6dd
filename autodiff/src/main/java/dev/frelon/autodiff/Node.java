package dev.frelon.autodiff;

/** One recorded operation in the graph: the function that ran, its context, and the inputs it read. */
final class Node {
    /** Dropped once the graph is freed, with everything the function held. */
    Function function;
    final String name;
    final Context ctx;
    /** The output, kept only when it asked to retain its gradient. */
    Variable retained;
    final Variable[] inputs;
    final int[] outputShape;

    Node(Function function, Context ctx, Variable[] inputs, int[] outputShape) {
        this.function = function;
        this.name = function.name();
        this.ctx = ctx;
        this.inputs = inputs;
        this.outputShape = outputShape;
    }

    void release() {
        ctx.release();
        function = null;
    }
}
