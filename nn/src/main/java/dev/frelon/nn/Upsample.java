package dev.frelon.nn;

import dev.frelon.autodiff.NeuralOps;
import dev.frelon.autodiff.Variable;

/**
 * Resizes {@code [N, C, H, W]} images, as PyTorch's {@code nn.Upsample}: by a scale factor (the output is
 * {@code floor(H·scale) × floor(W·scale)}) or to a fixed size, with nearest-neighbour or bilinear interpolation
 * (PyTorch's {@code align_corners} for the latter). No parameters.
 *
 * <pre>{@code
 * new Upsample(2)                                        // nearest, twice the size
 * Upsample.bilinear(2, false)                            // bilinear, PyTorch's default corners
 * Upsample.toSize(28, 28, Upsample.Mode.BILINEAR, true)
 * }</pre>
 */
public final class Upsample extends Module {

    /** How output pixels are computed from input pixels. */
    public enum Mode {
        /** Copy the nearest input pixel (PyTorch's 'nearest'). */ NEAREST,
        /** Mix the four nearest input pixels linearly (PyTorch's 'bilinear'). */ BILINEAR
    }

    private final double scale;
    private final int height, width;
    private final Mode mode;
    private final boolean alignCorners;

    private Upsample(double scale, int height, int width, Mode mode, boolean alignCorners) {
        if (scale != 0 && !(scale > 0 && Double.isFinite(scale))) {
            throw new IllegalArgumentException("Upsample: scale factor must be a finite value > 0, got " + scale);
        }
        if (scale == 0 && (height < 1 || width < 1)) {
            throw new IllegalArgumentException("Upsample: size must be at least 1×1, got " + height + "×" + width);
        }
        if (mode == Mode.NEAREST && alignCorners) {
            throw new IllegalArgumentException("Upsample: alignCorners only applies to bilinear mode");
        }
        this.scale = scale;
        this.height = height;
        this.width = width;
        this.mode = java.util.Objects.requireNonNull(mode, "Upsample: mode must not be null");
        this.alignCorners = alignCorners;
    }

    /**
     * Nearest-neighbour upsampling by a scale factor.
     *
     * @param scale the factor on both axes, &gt; 0
     */
    public Upsample(double scale) {
        this(scale, 0, 0, Mode.NEAREST, false);
    }

    /**
     * Bilinear upsampling by a scale factor.
     *
     * @param scale the factor on both axes, &gt; 0
     * @param alignCorners PyTorch's {@code align_corners}
     * @return bilinear upsampling by that factor
     */
    public static Upsample bilinear(double scale, boolean alignCorners) {
        return new Upsample(scale, 0, 0, Mode.BILINEAR, alignCorners);
    }

    /**
     * Resizing to a fixed size.
     *
     * @param height output height, at least 1
     * @param width output width, at least 1
     * @param mode nearest or bilinear
     * @param alignCorners PyTorch's {@code align_corners} (bilinear only)
     * @return resizing to that size
     */
    public static Upsample toSize(int height, int width, Mode mode, boolean alignCorners) {
        return new Upsample(0, height, width, mode, alignCorners);
    }

    @Override
    public Variable forward(Variable x) {
        Shapes.rank("Upsample", x, 4, "[N, C, H, W]");
        int oh = scale == 0 ? height : (int) Math.floor(x.size(2) * scale);
        int ow = scale == 0 ? width : (int) Math.floor(x.size(3) * scale);
        return NeuralOps.upsample(x, oh, ow, mode == Mode.BILINEAR, alignCorners);
    }

    @Override
    protected String extraRepr() {
        return (scale == 0 ? "size=(" + height + ", " + width + ")" : "scale_factor=" + scale) + ", mode="
                + mode.name().toLowerCase(java.util.Locale.ROOT) + (alignCorners ? ", align_corners=true" : "");
    }
}
