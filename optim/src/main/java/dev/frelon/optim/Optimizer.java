package dev.frelon.optim;

import dev.frelon.autodiff.Grad;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.DType;
import dev.frelon.core.MessageText;
import dev.frelon.core.Tensor;
import dev.frelon.core.TensorStorage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Updates parameters from their gradients. An optimizer holds parameter groups, each with a learning rate
 * and typed settings, and per-parameter state. A new optimizer is one class with one method:
 *
 * <pre>{@code
 * final class SignSGD extends Optimizer<SignSGD.Settings> {
 *     record Settings() {}
 *     SignSGD(List<Variable> params, double lr) { super(List.of(new ParamGroup<>(params, lr, new Settings()))); }
 *     protected void update(Variable p, Tensor grad, ParamState state, ParamGroup<Settings> group) {
 *         p.data().addInPlace(grad.sign(), (float) -group.lr());
 *     }
 * }
 * }</pre>
 *
 * <p>The base class counts steps ({@link ParamState#step()}) and keeps state; {@link #dense} gives subclasses,
 * in any package, the arrays for an allocation-free loop.
 *
 * <p>{@link #step()} runs under {@link Grad#noGrad()} and skips parameters without a gradient;
 * {@link #zeroGrad()} sets gradients to none (PyTorch's default). {@link #stateDict()} captures learning
 * rates, step counts and buffers as tensors, so training resumes exactly after {@link #loadStateDict}.
 *
 * @param <S> the optimizer's settings type
 */
public abstract class Optimizer<S> {

    private final List<ParamGroup<S>> groups;
    private final Map<Variable, ParamState> state = new IdentityHashMap<>();

    /**
     * Creates an optimizer over the given parameter groups, with no per-parameter state yet. The list is copied;
     * the groups themselves are shared, so that learning-rate schedulers can change them.
     *
     * @param groups parameter groups; a parameter may appear in only one
     * @throws IllegalArgumentException when there is no group, a parameter appears twice (compared by
     *         identity), or a parameter is not a leaf of the graph
     */
    protected Optimizer(List<ParamGroup<S>> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": needs at least one parameter group");
        }
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int g = 0; g < groups.size(); g++) {
            for (Variable p : groups.get(g).params()) {
                if (!seen.add(p)) {
                    throw new IllegalArgumentException(getClass().getSimpleName() + ": a parameter of shape "
                            + Arrays.toString(p.shape()) + " appears in more than one parameter group (again in group " + g + ")");
                }
                if (!p.isLeaf()) {
                    throw new IllegalArgumentException(getClass().getSimpleName() + ": can only optimize leaves, got the"
                            + " result of " + p.gradFn());
                }
                if (p.data().dtype() != DType.FLOAT32) {
                    // The update loops work on float[] storage; a float64 model is for gradient checks, not training.
                    throw new IllegalArgumentException(getClass().getSimpleName() + ": a parameter of shape "
                            + Arrays.toString(p.shape()) + " is " + p.data().dtype()
                            + "; the optimizers update float32 parameters only");
                }
            }
        }
        this.groups = List.copyOf(groups);
    }

    /**
     * Updates one parameter in place. {@link #step()} calls it once per parameter that has a gradient, after
     * counting the step: {@code state.step()} is 1 on a parameter's first update (as PyTorch's {@code state['step']}
     * after its increment), so bias corrections read it directly.
     *
     * @param param the parameter (write to {@code param.data()}, e.g. through {@link #dense})
     * @param grad its gradient, dense, of the parameter's shape (read only)
     * @param state its state: buffers and the step count
     * @param group its group: learning rate and settings
     */
    protected abstract void update(Variable param, Tensor grad, ParamState state, ParamGroup<S> group);

    /** Updates every parameter that has a gradient. */
    public void step() {
        try (var _ = Grad.noGrad()) {
            for (ParamGroup<S> g : groups) {
                for (Variable p : g.params()) {
                    Tensor grad = p.grad();
                    if (grad != null) {
                        ParamState s = state.computeIfAbsent(p, k -> new ParamState(k.shape()));
                        s.advanceStep();
                        update(p, denseCopy(grad), s, g);
                        TensorStorage.markWritten(p.data());
                    }
                }
            }
        }
    }

    /** Sets every parameter's gradient to none. */
    public void zeroGrad() {
        for (ParamGroup<S> g : groups) {
            for (Variable p : g.params()) {
                p.zeroGrad();
            }
        }
    }

    /**
     * The parameter groups, in the order given to the constructor; a scheduler changes a group's learning rate
     * through {@link ParamGroup#setLr}.
     *
     * @return the parameter groups, an unmodifiable list of the live groups
     */
    public List<ParamGroup<S>> paramGroups() {
        return groups;
    }

    /** A long as four floats of 16 bits each: exact, so that learning rates and steps survive a float32 file. */
    private static Tensor encode(long v) {
        float[] parts = new float[4];
        for (int k = 0; k < 4; k++) {
            parts[k] = (v >>> (48 - 16 * k)) & 0xFFFF;
        }
        return Tensor.of(parts);
    }

    private static long decode(String key, Tensor t) {
        float[] parts = t.toArray();
        if (parts.length != 4) {
            throw new IllegalArgumentException("loadStateDict: " + MessageText.quote(key) + " must hold 4 values, got shape "
                    + Arrays.toString(t.shape()));
        }
        long v = 0;
        for (float p : parts) {
            if (p != Math.rint(p) || p < 0 || p > 0xFFFF) {
                throw new IllegalArgumentException("loadStateDict: " + MessageText.quote(key) + " holds " + Arrays.toString(parts)
                        + ", not four 16-bit parts");
            }
            v = (v << 16) | (long) p;
        }
        return v;
    }

    private static Tensor denseCopy(Tensor t) {
        return ownsDenseStorage(t) ? t : t.copy();
    }

    /** Whether the tensor's elements are its whole storage array, in row-major order. */
    private static boolean ownsDenseStorage(Tensor t) {
        return t.isContiguous() && TensorStorage.offset(t) == 0 && TensorStorage.array(t).length == t.numel();
    }

    /**
     * The storage array of a dense tensor, for update loops that write parameters and buffers in place without
     * allocating: element i of the array is element i of the tensor in row-major order. Parameters created by
     * layers, state buffers and the gradients {@link #update} receives are all dense.
     *
     * @param t a parameter's data, a gradient or a state buffer
     * @return its storage array (writes change the tensor; call nothing that replaces it meanwhile)
     * @throws IllegalArgumentException when the tensor is a view with an offset, strides or a larger storage
     */
    protected final float[] dense(Tensor t) {
        if (!ownsDenseStorage(t)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": parameters must be dense tensors that own"
                    + " their storage, got shape " + Arrays.toString(t.shape()) + " with strides "
                    + Arrays.toString(TensorStorage.strides(t)));
        }
        return TensorStorage.array(t);
    }

    /**
     * The optimizer's state as tensors: {@code group.G.lr}, {@code state.I.step} and {@code state.I.NAME} for
     * each buffer, where I numbers parameters in group order. Learning rates and step counts are stored
     * exactly, as four 16-bit parts of their 64 bits. Saved with safetensors, it resumes training.
     *
     * @return the state (copies)
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int i = 0;
        for (int g = 0; g < groups.size(); g++) {
            out.put("group." + g + ".lr", encode(Double.doubleToRawLongBits(groups.get(g).lr())));
            for (Variable p : groups.get(g).params()) {
                ParamState s = state.get(p);
                if (s != null) {
                    out.put("state." + i + ".step", encode(s.step()));
                    for (var b : s.buffers().entrySet()) {
                        out.put("state." + i + "." + b.getKey(), b.getValue().copy());
                    }
                }
                i++;
            }
        }
        return out;
    }

    /**
     * Restores a state captured by {@link #stateDict()} from an optimizer over parameters of the same shapes.
     *
     * @param dict the state
     * @throws IllegalArgumentException when a group's learning rate is missing, a key is not of the form
     *         {@code state.I.NAME}, I names no parameter, a buffer's shape differs from its parameter's, or a
     *         learning rate or step is not four 16-bit parts; the optimizer is then left unchanged
     */
    public void loadStateDict(Map<String, Tensor> dict) {
        java.util.Objects.requireNonNull(dict, "loadStateDict: the state must not be null");
        for (var e : dict.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("loadStateDict: " + (e.getKey() == null ? "a null key"
                        : "key " + MessageText.quote(e.getKey()) + " maps to null") + "; expected names and tensors");
            }
        }
        List<Variable> params = new ArrayList<>();
        for (ParamGroup<S> g : groups) {
            params.addAll(g.params());
        }
        Map<Variable, ParamState> fresh = new IdentityHashMap<>();
        double[] lrs = new double[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            Tensor lr = dict.get("group." + g + ".lr");
            if (lr == null) {
                throw new IllegalArgumentException("loadStateDict: missing key group." + g + ".lr");
            }
            lrs[g] = Double.longBitsToDouble(decode("group." + g + ".lr", lr));
        }
        for (var e : dict.entrySet()) {
            String[] parts = e.getKey().split("\\.", 3);
            if (parts[0].equals("group")) {
                continue;
            }
            if (parts.length != 3 || !parts[0].equals("state")) {
                throw new IllegalArgumentException("loadStateDict: unexpected key " + MessageText.quote(e.getKey()));
            }
            int i;
            try {
                i = Integer.parseInt(parts[1]);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("loadStateDict: unexpected key " + MessageText.quote(e.getKey()));
            }
            if (i < 0 || i >= params.size()) {
                throw new IllegalArgumentException("loadStateDict: key " + MessageText.quote(e.getKey()) + " names parameter " + i
                        + ", but this optimizer has " + params.size());
            }
            Variable p = params.get(i);
            ParamState s = fresh.computeIfAbsent(p, k -> new ParamState(k.shape()));
            if (parts[2].equals("step")) {
                s.setStep(decode(e.getKey(), e.getValue()));
            } else {
                if (!Arrays.equals(e.getValue().shape(), p.shape())) {
                    throw new IllegalArgumentException("loadStateDict: " + MessageText.quote(e.getKey()) + " has shape "
                            + Arrays.toString(e.getValue().shape()) + ", parameter " + i + " has "
                            + Arrays.toString(p.shape()));
                }
                s.buffer(parts[2]).copyFrom(e.getValue());
            }
        }
        state.clear();
        state.putAll(fresh);
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).setLr(lrs[g]);
        }
    }
}
