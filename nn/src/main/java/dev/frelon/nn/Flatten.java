package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

/** Merges dims {@code startDim..endDim} (default 1..-1): {@code [N, C, H, W] -> [N, C·H·W]}. */
public final class Flatten extends Module {
    private final int startDim, endDim;

    /** Flattens everything but the batch dim. */
    public Flatten() {
        this(1, -1);
    }

    /**
     * Creates a layer merging dims {@code startDim} through {@code endDim}, both included, into one dim whose size
     * is the product of theirs.
     *
     * @param startDim first merged dim (negative counts from the end)
     * @param endDim last merged dim (negative counts from the end)
     */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Variable forward(Variable x) {
        if (x.dim() <= Math.max(startDim, 0)) {
            throw new IllegalArgumentException("Flatten: input of shape " + java.util.Arrays.toString(x.shape())
                    + " has no dim " + startDim);
        }
        return x.flatten(startDim, endDim);
    }
}
