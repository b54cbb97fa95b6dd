package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A stack of {@link TransformerEncoderLayer}s, as PyTorch's {@code nn.TransformerEncoder}: submodules
 * {@code layers.0}, {@code layers.1}, … and an optional final {@code norm}, so a PyTorch encoder's state dict
 * loads by key. PyTorch copies one layer N times; here a factory builds each (so each draws its own initial
 * weights from the generator it is given).
 *
 * <pre>{@code
 * var encoder = new TransformerEncoder(i -> new TransformerEncoderLayer(TransformerEncoderLayer.Options.of(64, 4)
 *         .withFeedforward(256).withDropout(0), rng), 2, null);
 * }</pre>
 */
public final class TransformerEncoder extends Module {

    /** The list of layers, registered as "layers" so that keys read {@code layers.0.self_attn...}. */
    private static final class Layers extends Module {
        @Override
        public Variable forward(Variable x) {
            throw new UnsupportedOperationException("TransformerEncoder.layers: run the encoder, not its list of layers");
        }
    }

    private final List<TransformerEncoderLayer> layers = new ArrayList<>();
    private final Module norm;

    /**
     * Builds the stack: {@code count} layers from the factory, then the optional final norm.
     *
     * @param layer builds layer i
     * @param count the number of layers, at least 1
     * @param norm a final normalisation (e.g. a {@link LayerNorm}, needed after pre-norm layers), or null
     */
    public TransformerEncoder(IntFunction<TransformerEncoderLayer> layer, int count, Module norm) {
        Shapes.positive("TransformerEncoder", "layer count", count);
        Layers list = register("layers", new Layers());
        for (int i = 0; i < count; i++) {
            layers.add(list.register(Integer.toString(i), layer.apply(i)));
        }
        this.norm = norm == null ? null : register("norm", norm);
    }

    @Override
    public Variable forward(Variable x) {
        return forward(x, MultiheadAttention.Masks.NONE);
    }

    /**
     * Runs every layer with the same self-attention masks, then the final norm if there is one.
     *
     * @param x {@code [B, T, d]} (or {@code [T, B, d]}, as the layers were built)
     * @param masks every layer's self-attention masks
     * @return the same shape
     */
    public Variable forward(Variable x, MultiheadAttention.Masks masks) {
        for (TransformerEncoderLayer l : layers) {
            x = l.forward(x, masks);
        }
        return norm == null ? x : norm.forward(x);
    }

    /**
     * The encoder's layers.
     *
     * @return the layers, in order (an unmodifiable copy of the list)
     */
    public List<TransformerEncoderLayer> layers() {
        return List.copyOf(layers);
    }
}
