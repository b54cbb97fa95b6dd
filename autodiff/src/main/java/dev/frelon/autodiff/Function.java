package dev.frelon.autodiff;

import dev.frelon.core.Tensor;

/**
 * A differentiable operation: the one class a researcher writes to add an op. Create a new instance per
 * call (constructor arguments carry settings such as a dim); {@link #apply} runs {@link #forward} on the
 * inputs' tensors and, when a gradient is needed, records the call in the graph so that {@link #backward}
 * runs during {@link Variable#backward()}.
 *
 * <pre>{@code
 * final class Swish extends Function {            // swish(x) = x · sigmoid(x)
 *     protected Tensor forward(Context ctx, Tensor... in) {
 *         Tensor x = in[0], s = x.sigmoid();
 *         ctx.save(x, s);
 *         return x.mul(s);
 *     }
 *     protected Tensor[] backward(Context ctx, Tensor grad) {
 *         Tensor x = ctx.saved(0), s = ctx.saved(1);
 *         // d/dx = s + x·s·(1 − s)
 *         return new Tensor[] {grad.mul(s.add(x.mul(s).mul(s.neg().add(1f))))};
 *     }
 * }
 * Variable y = new Swish().apply(x);
 * }</pre>
 *
 * <p>Rules for {@link #backward}: return one gradient per input, in order; {@code null} where
 * {@link Context#needsInputGrad} is false. A gradient may have the broadcast shape of the output: the engine
 * sums it back to the input's shape. Backward may use any {@link Tensor} operation; it runs with no graph
 * recording.
 */
public abstract class Function {

    private boolean applied;

    /** Creates the function; one instance per call. */
    protected Function() {
    }

    /**
     * Computes the output from the inputs' values.
     *
     * @param ctx where to {@link Context#save} what backward needs
     * @param inputs the inputs' tensors, in the order given to {@link #apply}
     * @return the output
     */
    protected abstract Tensor forward(Context ctx, Tensor... inputs);

    /**
     * Computes the gradient of the loss with respect to each input from the gradient with respect to the
     * output.
     *
     * @param ctx the context filled by {@link #forward}
     * @param gradOutput gradient with respect to the output, shaped like it
     * @return one gradient per input ({@code null} for inputs that need none)
     */
    protected abstract Tensor[] backward(Context ctx, Tensor gradOutput);

    /** Simple names by class, computed once: {@code getSimpleName()} is too slow to call per operation. */
    private static final ClassValue<String> NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            String n = type.getSimpleName();
            return n.isEmpty() ? type.getName() : n;
        }
    };

    /**
     * The op's name; subclasses may override it to give a more telling one.
     *
     * @return the name used in error messages and graph printing: the class's simple name by default
     */
    public String name() {
        return NAMES.get(getClass());
    }

    /**
     * Runs the op and records it in the graph when any input requires a gradient and grad mode is on.
     *
     * @param inputs the operands
     * @return the output value
     */
    public final Variable apply(Variable... inputs) {
        if (applied) {
            throw new IllegalStateException(name() + ": a Function instance is used for one call only; create a new one");
        }
        applied = true;
        Tensor[] values = new Tensor[inputs.length];
        boolean[] needs = new boolean[inputs.length];
        int[][] shapes = new int[inputs.length][];
        boolean any = false;
        boolean recording = Grad.isEnabled();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new IllegalArgumentException(name() + ": input " + i + " is null");
            }
            values[i] = inputs[i].data();
            shapes[i] = values[i].shape();
            needs[i] = recording && inputs[i].requiresGrad();
            any |= needs[i];
        }
        Context ctx = new Context(name(), needs, shapes);
        Tensor out;
        try (var _ = Grad.noGrad()) {
            out = forward(ctx, values);
        }
        if (out == null) {
            throw new IllegalStateException(name() + ".forward returned null");
        }
        if (!any) {
            ctx.release();
            return new Variable(out, null, false);
        }
        return new Variable(out, new Node(this, ctx, inputs.clone(), out.shape()), true);
    }
}
