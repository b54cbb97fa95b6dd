package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

import java.util.List;

/** Runs modules in order, each on the previous one's output; children are named {@code 0, 1, 2, ...}. */
public final class Sequential extends Module {
    private final List<Module> layers;

    /** @param layers the modules, in order */
    public Sequential(Module... layers) {
        for (int i = 0; i < layers.length; i++) {
            register(Integer.toString(i), layers[i]);
        }
        this.layers = List.of(layers);
    }

    /**
     * @param i position
     * @return the i-th module
     */
    public Module get(int i) {
        return layers.get(i);
    }

    /** @return the number of modules */
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
