package dev.frelon.nn;

import dev.frelon.core.Rng;

/**
 * Reference architectures, built from the layers of this package, shared by the examples and the
 * benchmarks so that both train exactly the same models. Parameter names follow PyTorch's
 * {@code nn.Sequential} numbering, so the weights load into the same model written in PyTorch.
 */
public final class Models {
    private Models() {
    }

    /**
     * LeNet-5 with ReLU and max pooling, for {@code [N, 1, 28, 28]} images and 10 classes (61,706 parameters):
     * <pre>
     *   Conv2d(1, 6, 5, padding 2) ReLU MaxPool2d(2)     [N, 6, 14, 14]
     *   Conv2d(6, 16, 5) ReLU MaxPool2d(2)               [N, 16, 5, 5]
     *   Flatten Linear(400, 120) ReLU Linear(120, 84) ReLU Linear(84, 10)
     * </pre>
     *
     * @param rng initialisation generator
     * @return the model
     */
    public static Sequential lenet5(Rng rng) {
        return new Sequential(
                new Conv2d(1, 6, 5, Conv2d.Options.padding(2), rng), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5, Conv2d.Options.DEFAULT, rng), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(400, 120, true, rng), new ReLU(),
                new Linear(120, 84, true, rng), new ReLU(),
                new Linear(84, 10, true, rng));
    }

    /**
     * A multi-layer perceptron: {@code Flatten}, then {@code Linear} layers of the given widths with ReLU
     * between them (none after the last). {@code mlp(rng, 784, 256, 128, 10)} has 235,146 parameters.
     *
     * @param rng initialisation generator
     * @param widths input width, hidden widths, output width (at least two)
     * @return the model
     */
    public static Sequential mlp(Rng rng, int... widths) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("Models.mlp: needs at least an input and an output width, got "
                    + java.util.Arrays.toString(widths));
        }
        Module[] layers = new Module[2 * widths.length - 2];
        int k = 0;
        layers[k++] = new Flatten();
        for (int i = 0; i + 1 < widths.length; i++) {
            layers[k++] = new Linear(widths[i], widths[i + 1], true, rng);
            if (i + 2 < widths.length) {
                layers[k++] = new ReLU();
            }
        }
        return new Sequential(layers);
    }
}
