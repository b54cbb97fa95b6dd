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

    @Override
    public Variable forward(Variable x) {
        for (Module m : layers) {
            x = m.forward(x);
        }
        return x;
    }
}
