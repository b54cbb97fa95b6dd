package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

import java.util.Arrays;

/** Names the layer an exception came from, keeping the exception's type so callers can still catch it. */
final class LayerFailure {
    private LayerFailure() {
    }

    /**
     * @param where e.g. "Sequential layer 3"
     * @param layer the layer that threw
     * @param input what it was given
     * @param e what it threw
     * @return an exception of e's type whose message starts with where, the layer and the input shape
     */
    static RuntimeException rethrow(String where, Module layer, Variable input, RuntimeException e) {
        String own = layer.getClass().getSimpleName() + "(" + layer.extraRepr() + ")";
        String message = where + " (" + own + ") on input of shape " + Arrays.toString(input.shape()) + ": "
                + e.getMessage();
        RuntimeException out = switch (e) {
            case IllegalArgumentException _ -> new IllegalArgumentException(message, e);
            case IllegalStateException _ -> new IllegalStateException(message, e);
            case IndexOutOfBoundsException _ -> new IndexOutOfBoundsException(message);
            default -> new RuntimeException(message, e);
        };
        if (out.getCause() == null) {
            out.initCause(e);
        }
        return out;
    }
}
