package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

import java.util.List;

/**
 * Runs modules in order, each on the previous one's output; children are named {@code 0, 1, 2, ...}. Given several
 * inputs ({@link #forward(Variable...)}), it passes them all to its first module, e.g. a
 * {@link MultiheadAttention} given query, key and value, and the one output on from there.
 */
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
        return forward(new Variable[] {x});
    }

    /**
     * Runs the first layer on all the inputs ({@link Module#forward(Variable...)}), then each following layer on
     * the previous one's output; errors are reported as by {@link #forward(Variable)}.
     *
     * @param inputs the first layer's inputs, at least one
     * @return the last layer's output (the input itself for an empty container given one input)
     * @throws IllegalArgumentException when the first layer takes another number of inputs, or an empty container
     *         is given several
     */
    @Override
    public Variable forward(Variable... inputs) {
        if (layers.isEmpty()) {
            if (inputs.length != 1) {
                throw new IllegalArgumentException("Sequential: an empty container passes one input on, got "
                        + inputs.length);
            }
            return inputs[0];
        }
        Variable x = null;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            Variable[] in = i == 0 ? inputs : new Variable[] {x};
            try {
                x = i == 0 && inputs.length == 1 ? m.forward(inputs[0]) : m.forward(in);
            } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
                throw LayerFailure.rethrow("Sequential layer " + i, m, in[0], e);
            }
            Summary.observe(m, x);
        }
        return x;
    }
}
