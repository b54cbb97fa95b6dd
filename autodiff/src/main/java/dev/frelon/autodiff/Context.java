package dev.frelon.autodiff;

import dev.frelon.core.Tensor;

import java.util.Arrays;

/**
 * What one call of a {@link Function} keeps between its forward and its backward: the tensors saved for the
 * gradient (checked against in-place modification), and which inputs need a gradient at all.
 *
 * <p>Saved tensors are released after the backward pass unless the graph is retained; reading them after
 * that is an error with a message that says how to keep them.
 */
public final class Context {

    private final boolean[] needsInputGrad;
    private final int[][] inputShapes;
    private final String opName;
    private Tensor[] saved = new Tensor[0];
    private int[] savedVersions = new int[0];
    private boolean released;
    /** No declared gradients: shared, so that clearing the declarations before each backward call allocates nothing. */
    private static final Tensor[] NONE = new Tensor[0];
    /** The gradients the backward rule declared its own new tensors ({@link #fresh}). */
    private Tensor[] fresh = NONE;

    Context(String opName, boolean[] needsInputGrad, int[][] inputShapes) {
        this.opName = opName;
        this.needsInputGrad = needsInputGrad;
        this.inputShapes = inputShapes;
    }

    /**
     * Keeps tensors for the backward pass (replacing any saved before). Each tensor's version is recorded:
     * modifying one in place before backward makes backward fail instead of returning a wrong gradient.
     *
     * @param tensors the tensors the backward rule reads
     */
    public void save(Tensor... tensors) {
        saved = tensors.clone();
        savedVersions = new int[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            savedVersions[i] = tensors[i] == null ? 0 : tensors[i].version();
        }
    }

    /**
     * Returns the {@code i}-th tensor of the last {@link #save} call, after checking that the graph still holds it
     * and that its version counter has not moved since it was saved.
     *
     * @param i position in the {@link #save} call
     * @return the saved tensor (null if null was saved)
     * @throws IllegalStateException when the graph was freed or the tensor modified in place since
     * @throws IndexOutOfBoundsException when {@code i} is not a position of the last {@link #save} call
     */
    public Tensor saved(int i) {
        if (released) {
            throw new IllegalStateException("backward: the saved tensors of " + opName + " were already freed by an"
                    + " earlier backward(); pass retainGraph = true to the first backward to call it twice");
        }
        if (i < 0 || i >= saved.length) {
            throw new IndexOutOfBoundsException(opName + ": saved tensor " + i + " requested, " + saved.length + " saved");
        }
        Tensor t = saved[i];
        if (t != null && t.version() != savedVersions[i]) {
            throw new IllegalStateException("backward: a tensor saved by " + opName + " was modified in place after"
                    + " it was saved (version " + savedVersions[i] + ", now " + t.version() + "); the gradient would be"
                    + " wrong. Clone it before modifying, or modify it after backward()");
        }
        return t;
    }

    /**
     * Declares a gradient the backward rule has just made as a new tensor that nothing else holds, such as a matrix
     * product's result: when it reaches a leaf that has no gradient yet, the engine keeps it as the leaf's gradient
     * instead of copying it (a convolution's 6.4 MB input gradient, say). Never declare a tensor the rule did not
     * create for this call: the incoming gradient, a saved tensor, a view of either, or a constant.
     *
     * @param gradient a tensor the rule created in this backward call
     * @return {@code gradient}, to return among the rule's gradients
     */
    public Tensor fresh(Tensor gradient) {
        Tensor[] more = Arrays.copyOf(fresh, fresh.length + 1);
        more[fresh.length] = gradient;
        fresh = more;
        return gradient;
    }

    /** Whether the backward rule declared {@code t} (this very object) one of its new tensors. */
    boolean isFresh(Tensor t) {
        for (Tensor f : fresh) {
            if (f == t) {
                return true;
            }
        }
        return false;
    }

    /** Forgets the declarations of the last backward call, before the next one. */
    void clearFresh() {
        fresh = NONE;
    }

    /**
     * Whether the backward rule must compute a gradient for input {@code i}: true when that input requires a
     * gradient; a rule may return {@code null} for it otherwise.
     *
     * @param i input position
     * @return true when input {@code i} needs a gradient (a rule may skip computing it otherwise)
     */
    public boolean needsInputGrad(int i) {
        return needsInputGrad[i];
    }

    /**
     * The shape input {@code i} had when forward ran, e.g. to expand a reduced gradient back to it.
     *
     * @param i input position
     * @return a copy of the shape input {@code i} had in forward
     */
    public int[] inputShape(int i) {
        return inputShapes[i].clone();
    }

    /**
     * The name of the op that recorded this context ({@link Function#name()}), as used in error messages.
     *
     * @return the name of the op this context belongs to
     */
    public String opName() {
        return opName;
    }

    boolean isReleased() {
        return released;
    }

    void release() {
        saved = null;
        released = true;
    }
}
