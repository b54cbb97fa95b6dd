package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

/**
 * A skip connection: {@code y = body(x) + shortcut(x)}, the shortcut being the identity unless given (e.g.
 * a 1×1 convolution when the body changes the shape). A ResNet basic block reads:
 *
 * <pre>{@code
 * new Sequential(
 *     new Residual(new Sequential(conv3x3(c, c), new BatchNorm2d(c), new ReLU(), conv3x3(c, c), new BatchNorm2d(c))),
 *     new ReLU())
 * }</pre>
 */
public final class Residual extends Module {
    private final Module body;
    private final Module shortcut;

    /**
     * Creates {@code y = body(x) + x}, registering {@code body} as sub-module {@code "body"}.
     *
     * @param body the residual branch; its output must have the input's shape
     */
    public Residual(Module body) {
        this.body = register("body", body);
        this.shortcut = null;
    }

    /**
     * Creates {@code y = body(x) + shortcut(x)}, registering the branches as sub-modules {@code "body"} and
     * {@code "shortcut"}; their outputs must have the same shape (checked at each forward).
     *
     * @param body the residual branch
     * @param shortcut the skip branch, e.g. a 1×1 convolution that matches the body's output shape
     */
    public Residual(Module body, Module shortcut) {
        this.body = register("body", body);
        this.shortcut = register("shortcut", shortcut);
    }

    @Override
    public Variable forward(Variable x) {
        Variable y = body.forward(x);
        Summary.observe(body, y);
        Variable skip = shortcut == null ? x : shortcut.forward(x);
        if (shortcut != null) {
            Summary.observe(shortcut, skip);
        }
        if (!java.util.Arrays.equals(y.shape(), skip.shape())) {
            throw new IllegalArgumentException("Residual: body output " + java.util.Arrays.toString(y.shape())
                    + " and shortcut output " + java.util.Arrays.toString(skip.shape())
                    + " differ; give a shortcut module that matches them");
        }
        return y.add(skip);
    }
}
