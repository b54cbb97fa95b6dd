package dev.frelon.nn;

import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;

/**
 * Weight initialisation, as {@code torch.nn.init}. Every function writes into the given tensor in place and
 * draws from an explicit {@link Rng}, so the same seed builds the same model on every machine.
 *
 * <p>Layers constructed without an Rng draw from the calling thread's default generator, which
 * {@link #seed(long)} resets (like {@code torch.manual_seed}); it starts from seed 0.
 *
 * <p>Fans: for a weight of shape {@code [out, in, k...]}, {@code fanIn = in·Πk} and {@code fanOut = out·Πk}.
 */
public final class Init {

    private static final ThreadLocal<Rng> DEFAULT = ThreadLocal.withInitial(() -> new Rng(0));

    private Init() {
    }

    /**
     * Resets this thread's default generator.
     *
     * @param seed the seed
     */
    public static void seed(long seed) {
        DEFAULT.set(new Rng(seed));
    }

    /**
     * The generator that layers built without an explicit {@link Rng} draw from: one per thread, seeded with 0
     * until {@link #seed(long)} replaces it.
     *
     * @return this thread's default generator
     */
    public static Rng defaultRng() {
        return DEFAULT.get();
    }

    /**
     * Computes a weight's fans: for shape {@code [out, in, k...]}, {@code fanIn = in·Πk} and
     * {@code fanOut = out·Πk}.
     *
     * @param w a weight of rank ≥ 2 (rank 1: fanIn = fanOut = size)
     * @return {@code {fanIn, fanOut}}
     * @throws IllegalArgumentException when {@code w} is 0-d
     */
    public static int[] fans(Tensor w) {
        int[] s = w.shape();
        if (s.length == 0) {
            throw new IllegalArgumentException("Init.fans: a 0-d tensor has no fans");
        }
        if (s.length == 1) {
            return new int[] {s[0], s[0]};
        }
        int receptive = 1;
        for (int d = 2; d < s.length; d++) {
            receptive *= s[d];
        }
        return new int[] {s[1] * receptive, s[0] * receptive};
    }

    /**
     * Recommended gain for a nonlinearity, as PyTorch's {@code calculate_gain}.
     *
     * @param nonlinearity "linear", "conv2d", "sigmoid", "tanh", "relu" or "leaky_relu"
     * @param param negative slope for leaky_relu
     * @return the gain: 1 for linear, conv2d and sigmoid, 5/3 for tanh, √2 for relu, √(2/(1 + param²)) for
     *         leaky_relu
     * @throws IllegalArgumentException for any other nonlinearity
     */
    public static double gain(String nonlinearity, double param) {
        return switch (nonlinearity) {
            case "linear", "conv2d", "sigmoid" -> 1.0;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> Math.sqrt(2.0 / (1 + param * param));
            default -> throw new IllegalArgumentException("Init.gain: unknown nonlinearity '" + nonlinearity + "'");
        };
    }

    /**
     * Fills {@code w} in place with values drawn from the uniform distribution {@code U(low, high)}.
     *
     * @param w filled in place
     * @param low lower bound
     * @param high upper bound
     * @param rng generator
     * @return w
     */
    public static Tensor uniform(Tensor w, double low, double high, Rng rng) {
        return w.copyFrom(Tensor.uniform(rng, (float) low, (float) high, w.shape()));
    }

    /**
     * Fills {@code w} in place with values drawn from the normal distribution {@code N(mean, std²)}.
     *
     * @param w filled in place
     * @param mean mean
     * @param std standard deviation
     * @param rng generator
     * @return w
     */
    public static Tensor normal(Tensor w, double mean, double std, Rng rng) {
        return w.copyFrom(Tensor.normal(rng, (float) mean, (float) std, w.shape()));
    }

    /**
     * Sets every element of {@code w} to 0, in place.
     *
     * @param w filled with zeros in place
     * @return w
     */
    public static Tensor zeros(Tensor w) {
        return w.fill(0f);
    }

    /**
     * Sets every element of {@code w} to 1, in place.
     *
     * @param w filled with ones in place
     * @return w
     */
    public static Tensor ones(Tensor w) {
        return w.fill(1f);
    }

    /**
     * Sets every element of {@code w} to {@code value}, in place.
     *
     * @param w filled in place
     * @param value the value
     * @return w
     */
    public static Tensor constant(Tensor w, float value) {
        return w.fill(value);
    }

    /**
     * Kaiming (He) uniform: {@code U(−b, b)}, {@code b = gain·√(3/fan)}, fan = fanIn ("fan_in") or fanOut.
     *
     * @param w filled in place
     * @param a negative slope of the leaky ReLU that follows (0 for ReLU)
     * @param fanIn true for mode fan_in, false for fan_out
     * @param nonlinearity "relu" or "leaky_relu"
     * @param rng generator
     * @return w
     */
    public static Tensor kaimingUniform(Tensor w, double a, boolean fanIn, String nonlinearity, Rng rng) {
        int fan = fans(w)[fanIn ? 0 : 1];
        double bound = gain(nonlinearity, a) * Math.sqrt(3.0 / fan);
        return uniform(w, -bound, bound, rng);
    }

    /**
     * Kaiming (He) normal: {@code N(0, std²)}, {@code std = gain/√fan}.
     *
     * @param w filled in place
     * @param a negative slope of the leaky ReLU that follows (0 for ReLU)
     * @param fanIn true for mode fan_in, false for fan_out
     * @param nonlinearity "relu" or "leaky_relu"
     * @param rng generator
     * @return w
     */
    public static Tensor kaimingNormal(Tensor w, double a, boolean fanIn, String nonlinearity, Rng rng) {
        int fan = fans(w)[fanIn ? 0 : 1];
        return normal(w, 0, gain(nonlinearity, a) / Math.sqrt(fan), rng);
    }

    /**
     * Xavier (Glorot) uniform: {@code U(−b, b)}, {@code b = gain·√(6/(fanIn + fanOut))}.
     *
     * @param w filled in place
     * @param gain scale
     * @param rng generator
     * @return w
     */
    public static Tensor xavierUniform(Tensor w, double gain, Rng rng) {
        int[] f = fans(w);
        double bound = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform(w, -bound, bound, rng);
    }

    /**
     * Xavier (Glorot) normal: {@code N(0, std²)}, {@code std = gain·√(2/(fanIn + fanOut))}.
     *
     * @param w filled in place
     * @param gain scale
     * @param rng generator
     * @return w
     */
    public static Tensor xavierNormal(Tensor w, double gain, Rng rng) {
        int[] f = fans(w);
        return normal(w, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), rng);
    }

    /**
     * PyTorch's default for Linear and Conv2d: weight Kaiming uniform with {@code a = √5} (so
     * {@code b = 1/√fanIn}), bias {@code U(−1/√fanIn, 1/√fanIn)}.
     *
     * @param weight filled in place
     * @param bias filled in place, or null
     * @param rng generator
     */
    public static void pytorchDefault(Tensor weight, Tensor bias, Rng rng) {
        kaimingUniform(weight, Math.sqrt(5), true, "leaky_relu", rng);
        if (bias != null) {
            double b = 1 / Math.sqrt(fans(weight)[0]);
            uniform(bias, -b, b, rng);
        }
    }
}
