package dev.frelon.nn;

import dev.frelon.autodiff.Grad;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.MessageText;
import dev.frelon.core.Tensor;
import dev.frelon.nn.io.Safetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A layer or a model: a function of its inputs with parameters, buffers and sub-modules registered
 * explicitly, in order. Most modules take one input ({@link #forward(Variable)}); modules with several, such as
 * {@link MultiheadAttention} (query, key, value), also override {@link #forward(Variable...)}, the form that code
 * which does not know a module's arity calls, as PyTorch's {@code forward(*args)}. Registration returns its
 * argument, so fields stay final:
 *
 * <pre>{@code
 * final class TwoLayer extends Module {
 *     private final Linear fc1 = register("fc1", new Linear(784, 128));
 *     private final Linear fc2 = register("fc2", new Linear(128, 10));
 *     public Variable forward(Variable x) { return fc2.forward(fc1.forward(x).relu()); }
 * }
 * }</pre>
 *
 * Names follow PyTorch's rules: non-empty, no dots, unique within a module. {@link #namedParameters()}
 * joins them with dots ({@code fc1.weight}); {@link #stateDict()} and the safetensors files use the same
 * keys, so weights move to and from PyTorch models with the same structure.
 */
public abstract class Module {

    private final Map<String, Variable> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Creates a module in training mode with nothing registered. */
    protected Module() {
    }

    /**
     * Computes the output for one input.
     *
     * @param input the input value
     * @return the output value
     */
    public abstract Variable forward(Variable input);

    /**
     * Computes the output for any number of inputs: the general form, which containers and tools call when they do
     * not know how many inputs a module takes ({@link Sequential} passes its inputs to its first module this way).
     * The default accepts exactly one input and calls {@link #forward(Variable)}; a module with several inputs
     * overrides it, in PyTorch's order of {@code forward}'s arguments. Settings that are not values, such as
     * attention masks, stay in the module's own typed methods.
     *
     * <pre>{@code
     * final class Bilinear extends Module {          // y = x1ᵀ W x2, two inputs
     *     private final Variable w = register("weight", Variable.parameter(Tensor.randn(new int[] {4, 4}, 1)));
     *     public Variable forward(Variable x) { return forward(x, x); }
     *     public Variable forward(Variable... in) { return in[0].matmul(w).mul(in[1]).sum(1); }
     * }
     * }</pre>
     *
     * @param inputs the inputs, in the module's documented order
     * @return the output value
     * @throws IllegalArgumentException when the module takes another number of inputs
     */
    public Variable forward(Variable... inputs) {
        if (inputs.length != 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": takes one input, got " + inputs.length
                    + "; a module with several inputs overrides forward(Variable...)");
        }
        return forward(inputs[0]);
    }

    /**
     * Convenience for constant inputs.
     *
     * @param input the input tensor (no gradient flows to it)
     * @return the output value
     */
    public final Variable forward(Tensor input) {
        return forward(Variable.of(input));
    }

    // ------------------------------------------------------------------------------------------ registration

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": invalid name '" + name
                    + "' (names must be non-empty and contain no '.')");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already registered");
        }
    }

    /**
     * Registers a trainable parameter.
     *
     * @param name its name within this module
     * @param parameter a leaf that requires a gradient
     * @return the parameter
     */
    protected final Variable register(String name, Variable parameter) {
        checkName(name);
        if (!parameter.isLeaf()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + name
                    + "' must be a leaf, not the result of " + parameter.gradFn());
        }
        parameters.put(name, parameter);
        return parameter;
    }

    /**
     * Registers a sub-module.
     *
     * @param name its name within this module
     * @param module the sub-module
     * @param <M> its type
     * @return the sub-module
     */
    protected final <M extends Module> M register(String name, M module) {
        checkName(name);
        if (module == this) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": a module cannot contain itself");
        }
        children.put(name, module);
        return module;
    }

    /**
     * Registers a buffer: state saved with the model but not trained (e.g. running statistics). It is
     * updated in place, so the tensor must stay the same object.
     *
     * @param name its name within this module
     * @param buffer the tensor
     * @return the buffer
     */
    protected final Tensor registerBuffer(String name, Tensor buffer) {
        checkName(name);
        buffers.put(name, buffer);
        return buffer;
    }

    // ------------------------------------------------------------------------------------------ traversal

    /**
     * The sub-modules registered directly on this module, not their descendants.
     *
     * @return the direct sub-modules with their names, in registration order, as an unmodifiable live view
     */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * The sub-modules registered directly on this module, not their descendants.
     *
     * @return the direct sub-modules, in registration order, as an immutable copy
     */
    public final List<Module> children() {
        return List.copyOf(children.values());
    }

    /**
     * Every parameter of this module and its descendants with its dotted key: this module's own parameters first,
     * then each sub-module's in registration order, depth first, as PyTorch's {@code named_parameters()}. A
     * parameter reachable by two paths appears under both keys.
     *
     * @return every parameter of this module and its descendants, keyed like {@code features.0.weight}, in a new
     *         mutable map
     */
    public final Map<String, Variable> namedParameters() {
        return collect(m -> m.parameters);
    }

    /**
     * One entry per key of {@code own} in this module and its descendants, depth first in registration order, keyed
     * by the dotted path ({@code features.0.weight}): the walk behind the named parameters, buffers and dtypes.
     */
    private <V> Map<String, V> collect(java.util.function.Function<Module, Map<String, V>> own) {
        Map<String, V> out = new LinkedHashMap<>();
        collect("", own, out);
        return out;
    }

    private <V> void collect(String prefix, java.util.function.Function<Module, Map<String, V>> own, Map<String, V> out) {
        own.apply(this).forEach((k, v) -> out.put(prefix + k, v));
        for (var e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", own, out);
        }
    }

    /**
     * The parameters to hand to an optimizer: those of {@link #namedParameters()}, each object once (compared
     * by identity), as PyTorch's {@code parameters()}.
     *
     * @return every parameter, in registration order (a parameter shared by two modules appears once), in a new
     *         list
     */
    public final List<Variable> parameters() {
        Set<Variable> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Variable> out = new ArrayList<>();
        for (Variable v : namedParameters().values()) {
            if (seen.add(v)) {
                out.add(v);
            }
        }
        return out;
    }

    /**
     * Every buffer of this module and its descendants with its dotted key, in the same order as
     * {@link #namedParameters()}, as PyTorch's {@code named_buffers()}.
     *
     * @return every buffer of this module and its descendants, with dotted keys, in a new mutable map; the
     *         tensors are the live buffers, not copies
     */
    public final Map<String, Tensor> namedBuffers() {
        return collect(m -> m.buffers);
    }

    /**
     * The total number of elements over {@link #parameters()}, so that a shared parameter counts once.
     *
     * @return the number of trainable scalars
     */
    public final long parameterCount() {
        long n = 0;
        for (Variable v : parameters()) {
            n += v.data().numel();
        }
        return n;
    }

    /** Clears every parameter's gradient. */
    public final void zeroGrad() {
        // Walks the tree directly: building the dotted-key map on every training step would cost more than
        // the step itself for small models.
        for (Variable v : parameters.values()) {
            v.zeroGrad();
        }
        for (Module m : children.values()) {
            m.zeroGrad();
        }
    }

    // ------------------------------------------------------------------------------------------ modes

    /**
     * Sets training mode here and in every descendant (dropout active, batch norm on batch statistics).
     *
     * @return this
     */
    public final Module train() {
        return train(true);
    }

    /**
     * Sets training or evaluation mode here and in every descendant, as PyTorch's {@code train(mode)}; the mode
     * changes what dropout and batch normalisation do, nothing else.
     *
     * @param mode true for training, false for evaluation
     * @return this
     */
    public Module train(boolean mode) {
        training = mode;
        for (Module m : children.values()) {
            m.train(mode);
        }
        return this;
    }

    /**
     * Sets evaluation mode here and in every descendant (dropout off, batch norm on running statistics); the
     * same as {@code train(false)}.
     *
     * @return this module in evaluation mode (and all descendants)
     */
    public final Module eval() {
        return train(false);
    }

    /**
     * Tells whether this module is in training mode; a new module starts in training mode.
     *
     * @return true in training mode
     */
    public final boolean isTraining() {
        return training;
    }

    // ------------------------------------------------------------------------------------------ state

    /**
     * The module's state as PyTorch's {@code state_dict()}: every parameter's tensor, then every buffer, by
     * dotted key. Writing into these tensors changes the model.
     *
     * @return parameters' and buffers' tensors by dotted key (shared, not copied), in a new mutable map
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParameters().forEach((k, v) -> out.put(k, v.data()));
        out.putAll(namedBuffers());
        return out;
    }


    /**
     * What {@link #loadStateDict} did not match.
     *
     * @param missingKeys keys of this module absent from the state
     * @param unexpectedKeys keys of the state this module does not have
     */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
    }

    /**
     * Copies tensors into this module's parameters and buffers (in place; the objects stay the same).
     * Shapes must match exactly. With {@code strict}, missing or unexpected keys are an error and nothing is
     * copied; otherwise the matching keys are loaded and the rest reported.
     *
     * @param state tensors by dotted key
     * @param strict whether every key must match
     * @return the keys that did not match
     * @throws IllegalArgumentException when {@code strict} and the keys differ, or when a matching key's shape
     *         differs (then nothing is copied)
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        java.util.Objects.requireNonNull(state, "loadStateDict: the state must not be null");
        for (var e : state.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("loadStateDict: " + (e.getKey() == null ? "a null key"
                        : "key " + MessageText.quote(e.getKey()) + " maps to null") + "; expected names and tensors");
            }
        }
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>();
        for (String k : own.keySet()) {
            if (!state.containsKey(k)) {
                missing.add(k);
            }
        }
        for (String k : state.keySet()) {
            if (!own.containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new IllegalArgumentException("loadStateDict: keys do not match; missing " + MessageText.list(missing)
                    + ", unexpected " + MessageText.list(unexpected));
        }
        // Check every shape, and convert every value to the model's dtype, before copying anything, so that a failed
        // load leaves the model untouched.
        Map<String, Tensor> converted = new LinkedHashMap<>();
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                continue;
            }
            if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("loadStateDict: " + MessageText.quote(e.getKey()) + " has shape "
                        + Arrays.toString(src.shape()) + " in the state, " + Arrays.toString(e.getValue().shape())
                        + " in the model");
            }
            try {
                converted.put(e.getKey(), src.to(e.getValue().dtype()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("loadStateDict: " + MessageText.quote(e.getKey()) + " is "
                        + src.dtype() + " in the state and " + e.getValue().dtype() + " in the model: "
                        + ex.getMessage(), ex);
            }
        }
        try (var _ = Grad.noGrad()) {
            for (var e : own.entrySet()) {
                Tensor src = converted.get(e.getKey());
                if (src != null) {
                    e.getValue().copyFrom(src);
                }
            }
        }
        return new LoadResult(List.copyOf(missing), List.copyOf(unexpected));
    }

    /**
     * Saves the state dict as a safetensors file, atomically, each tensor in its own dtype (float32 parameters as
     * F32; BatchNorm's int64 {@code num_batches_tracked} as I64, as in PyTorch's files).
     *
     * @param file the destination
     * @throws IOException when writing fails (the previous file, if any, is left intact)
     */
    public final void save(Path file) throws IOException {
        Safetensors.save(stateDict(), file);
    }

    /**
     * Loads a safetensors file into this module (strictly: every key must match).
     *
     * @param file the source
     * @throws IOException when the file cannot be read or is malformed
     */
    public final void load(Path file) throws IOException {
        load(file, true);
    }

    /**
     * Loads a safetensors file into this module, as PyTorch's {@code load_state_dict(torch.load(...), strict)}.
     *
     * @param file the source
     * @param strict whether every key must match (otherwise matching keys load and the rest are returned)
     * @return the keys that did not match (both lists empty after a strict load)
     * @throws IOException when the file cannot be read or is malformed
     * @throws IllegalArgumentException as {@link #loadStateDict(Map, boolean)}
     */
    public final LoadResult load(Path file, boolean strict) throws IOException {
        return loadStateDict(Safetensors.load(file).tensors(), strict);
    }

    // ------------------------------------------------------------------------------------------ printing

    /**
     * The settings printed between the parentheses of this module's line in {@link #toString()}, as PyTorch's
     * {@code extra_repr()}; layers override it.
     *
     * @return this module's settings for {@link #toString()}, e.g. {@code in=784, out=128}; empty by default
     */
    protected String extraRepr() {
        return "";
    }

    /** Prints the module tree like PyTorch's {@code print(model)}, with parameter counts. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        describe(sb, "");
        sb.append("\nTotal parameters: ").append(String.format(java.util.Locale.ROOT, "%,d", parameterCount()));
        return sb.toString();
    }

    private void describe(StringBuilder sb, String indent) {
        sb.append(getClass().getSimpleName()).append('(').append(extraRepr());
        if (children.isEmpty()) {
            sb.append(')');
            long own = 0;
            for (Variable v : parameters.values()) {
                own += v.data().numel();
            }
            if (own > 0) {
                sb.append("  # ").append(String.format(java.util.Locale.ROOT, "%,d", own)).append(" params");
            }
            return;
        }
        for (var e : children.entrySet()) {
            sb.append('\n').append(indent).append("  (").append(e.getKey()).append("): ");
            e.getValue().describe(sb, indent + "  ");
        }
        sb.append('\n').append(indent).append(')');
    }
}
