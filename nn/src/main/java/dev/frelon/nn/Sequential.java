package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

import java.util.List;

/** Runs modules in order, each on the previous one's output; children are named {@code 0, 1, 2, ...}. */
public final class Sequential extends Module {
    private final List<Module> layers;

    /**
     * Creates a container that runs the given modules in order, as PyTorch's {@code nn.Sequential}; each is
     * registered as a child named by its position ({@code "0"}, {@code "1"}, ...), so parameter keys read
     * {@code 0.weight}, {@code 1.bias}, and so on.
     *
     * @param layers the modules, in order
     */
    public Sequential(Module... layers) {
        for (int i = 0; i < layers.length; i++) {
            register(Integer.toString(i), layers[i]);
        }
        this.layers = List.of(layers);
    }

    /**
     * Returns the module at a position, the one registered under the name {@code Integer.toString(i)}.
     *
     * @param i position, from 0
     * @return the i-th module
     * @throws IndexOutOfBoundsException when {@code i} is negative or not below {@link #size()}
     */
    public Module get(int i) {
        return layers.get(i);
    }

    /**
     * Returns how many modules this container runs.
     *
     * @return the number of modules
     */
    public int size() {
        return layers.size();
    }

    /**
     * Runs each layer on the previous one's output. An exception from a layer is rethrown with the same type,
     * prefixed by the layer's index, its description and the shape it was given, the original as its cause.
     */
    @Override
    public Variable forward(Variable x) {
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            try {
                x = m.forward(x);
            } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
                throw LayerFailure.rethrow("Sequential layer " + i, m, x, e);
            }
            Summary.observe(m, x);
        }
        return x;
    }
}
