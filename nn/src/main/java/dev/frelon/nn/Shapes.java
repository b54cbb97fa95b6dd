package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

import java.util.Arrays;

/** Input checks shared by the layers, so that a wrong shape is reported by the layer that received it. */
final class Shapes {
    private Shapes() {
    }

    static void rank(String layer, Variable x, int rank, String expected) {
        if (x.dim() != rank) {
            throw new IllegalArgumentException(layer + ": expected input " + expected + ", got shape "
                    + Arrays.toString(x.shape()));
        }
    }

    static void size(String layer, Variable x, int dim, int size, String expected) {
        if (x.dim() == 0 || x.size(dim) != size) {
            throw new IllegalArgumentException(layer + ": expected input " + expected + ", got shape "
                    + Arrays.toString(x.shape()));
        }
    }

    static int positive(String layer, String what, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(layer + ": " + what + " must be positive, got " + v);
        }
        return v;
    }
}
