package dev.frelon.nn;

import dev.frelon.autodiff.Grad;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's layers with their output shapes and parameter counts, as torchinfo's {@code summary(model,
 * input_size)} prints them. It runs one forward pass on zeros of the given shape, in eval mode and without
 * recording a graph, then restores the model's mode; nothing else in the model changes.
 *
 * <pre>{@code
 * System.out.println(Summary.of(model, 1, 1, 28, 28));
 * }</pre>
 *
 * Output shapes are recorded for the model itself and for every layer run by a {@link Sequential} or a
 * {@link Residual}; layers that a custom module's {@code forward} calls directly show their parameters, with
 * "-" as their shape.
 *
 * @param inputShape the shape the model was run on
 * @param rows one row per module, depth first, the model first
 * @param totalParams every parameter element
 * @param trainableParams the elements of parameters that require gradients
 */
public record Summary(int[] inputShape, List<Row> rows, long totalParams, long trainableParams) {

    /**
     * One module of the tree.
     *
     * @param depth 0 for the model, 1 for its children, ...
     * @param name its name within its parent ("" for the model)
     * @param type its class's simple name
     * @param outputShape the shape of its output in the pass, or null when it was not observed
     * @param params the number of elements of its own parameters (not its children's)
     */
    public record Row(int depth, String name, String type, int[] outputShape, long params) {
    }

    /** The outputs observed in the current thread's summary pass, or null outside one. */
    private static final ThreadLocal<Map<Module, int[]>> OBSERVED = new ThreadLocal<>();

    /**
     * Records a layer's output shape when a summary pass is running on this thread; called by the containers
     * that run their children ({@link Sequential}, {@link Residual}).
     */
    static void observe(Module m, Variable output) {
        Map<Module, int[]> seen = OBSERVED.get();
        if (seen != null) {
            seen.put(m, output.shape());
        }
    }

    /**
     * Runs {@code model} once on zeros of {@code inputShape}, in eval mode and without recording a graph, and
     * collects one row per module. Afterwards the model and all its descendants are put back in the mode the
     * model itself was in.
     *
     * @param model the model
     * @param inputShape the input's shape, batch dim included (e.g. {@code 1, 1, 28, 28})
     * @return the summary; its {@link #toString()} is the table
     * @throws IllegalArgumentException when the model rejects an input of that shape (the message names the layer)
     */
    public static Summary of(Module model, int... inputShape) {
        Map<Module, int[]> seen = new IdentityHashMap<>();
        boolean training = model.isTraining();
        OBSERVED.set(seen);
        try (var _ = Grad.noGrad()) {
            model.eval();
            seen.put(model, model.forward(Tensor.zeros(inputShape)).shape());
        } finally {
            OBSERVED.remove();
            model.train(training);
        }
        List<Row> rows = new ArrayList<>();
        collect(model, "", 0, seen, rows);
        long total = 0, trainable = 0;
        for (Variable p : model.parameters()) {
            total += p.data().numel();
            trainable += p.requiresGrad() ? p.data().numel() : 0;
        }
        return new Summary(inputShape.clone(), List.copyOf(rows), total, trainable);
    }

    private static void collect(Module m, String name, int depth, Map<Module, int[]> seen, List<Row> rows) {
        long own = 0;
        for (var e : m.namedParameters().entrySet()) {
            own += e.getKey().indexOf('.') < 0 ? e.getValue().data().numel() : 0;
        }
        rows.add(new Row(depth, name, m.getClass().getSimpleName(), seen.get(m), own));
        for (var c : m.namedChildren().entrySet()) {
            collect(c.getValue(), c.getKey(), depth + 1, seen, rows);
        }
    }

    /** The table: one line per module, indented by depth, then the totals. */
    @Override
    public String toString() {
        List<String[]> cells = new ArrayList<>();
        for (Row r : rows) {
            String label = "  ".repeat(r.depth()) + (r.name().isEmpty() ? "" : r.name() + " ") + r.type();
            cells.add(new String[] {label, r.outputShape() == null ? "-" : Arrays.toString(r.outputShape()),
                String.format(Locale.ROOT, "%,d", r.params())});
        }
        int w0 = "Layer".length(), w1 = "Output shape".length();
        for (String[] c : cells) {
            w0 = Math.max(w0, c[0].length());
            w1 = Math.max(w1, c[1].length());
        }
        String fmt = "%-" + w0 + "s  %-" + w1 + "s  %12s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, fmt, "Layer", "Output shape", "Params"));
        sb.append("=".repeat(w0 + w1 + 16)).append('\n');
        for (String[] c : cells) {
            sb.append(String.format(Locale.ROOT, fmt, c[0], c[1], c[2]));
        }
        sb.append("=".repeat(w0 + w1 + 16)).append('\n');
        sb.append(String.format(Locale.ROOT, "Input shape: %s%nTotal params: %,d%nTrainable params: %,d%n"
                + "Non-trainable params: %,d", Arrays.toString(inputShape), totalParams, trainableParams,
                totalParams - trainableParams));
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Summary s && Arrays.equals(inputShape, s.inputShape) && rows.equals(s.rows)
                && totalParams == s.totalParams && trainableParams == s.trainableParams;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(inputShape) * 31 + rows.hashCode();
    }
}
