package dev.frelon.nn;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import dev.frelon.nn.io.Safetensors;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PyTorch's own modules, saved by {@code torch/make_attention_cases.py} (PyTorch 1.13) beside this test: their
 * state dicts load strictly into Frelon's modules, which then give PyTorch's outputs to 1e-5.
 */
class TorchAttentionTest {

    private static Safetensors.Contents file(String name) throws Exception {
        return Safetensors.load(Path.of(TorchAttentionTest.class.getResource("torch/" + name).toURI()));
    }

    private static void assertClose(Tensor expected, Tensor got) {
        assertArrayEquals(expected.shape(), got.shape());
        float[] e = expected.toArray(), g = got.toArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], g[i], 1e-5f * Math.max(1, Math.abs(e[i])), "element " + i);
        }
    }

    @Test
    void multiheadAttentionLoadsAndAgrees() throws Exception {
        MultiheadAttention m = new MultiheadAttention(12, 3, 0, true, new Rng(1));
        m.loadStateDict(file("mha.safetensors").tensors(), true);
        m.eval();
        var io = file("mha-io.safetensors");
        var r = m.forward(Variable.of(io.tensor("query")), Variable.of(io.tensor("key")), Variable.of(io.tensor("value")),
                MultiheadAttention.Masks.NONE.withKeyPadding(io.tensor("key_padding")).withWeights());
        assertClose(io.tensor("output"), r.output().data());
        assertClose(io.tensor("weights"), r.weights());
    }

    @Test
    void transformerEncoderLayersLoadAndAgree() throws Exception {
        for (String name : new String[] {"encoder-post-relu", "encoder-pre-gelu"}) {
            boolean pre = name.contains("pre");
            var options = TransformerEncoderLayer.Options.of(8, 2).withFeedforward(16).withDropout(0)
                    .withActivation(pre ? TransformerEncoderLayer.Activation.GELU : TransformerEncoderLayer.Activation.RELU);
            TransformerEncoderLayer layer = new TransformerEncoderLayer(pre ? options.withNormFirst() : options, new Rng(2));
            layer.loadStateDict(file(name + ".safetensors").tensors(), true);
            layer.eval();
            var io = file(name + "-io.safetensors");
            assertClose(io.tensor("output"), layer.forward(Variable.of(io.tensor("input"))).data());
        }
    }

    @Test
    void aTransformerDecoderLayerLoadsAndAgreesWithACausalTarget() throws Exception {
        var options = TransformerEncoderLayer.Options.of(8, 2).withFeedforward(16).withDropout(0);
        TransformerDecoderLayer layer = new TransformerDecoderLayer(options, new Rng(3));
        assertEquals(java.util.List.of("self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
                "self_attn.out_proj.bias", "multihead_attn.in_proj_weight", "multihead_attn.in_proj_bias",
                "multihead_attn.out_proj.weight", "multihead_attn.out_proj.bias", "linear1.weight", "linear1.bias",
                "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
                "norm3.weight", "norm3.bias"), java.util.List.copyOf(layer.stateDict().keySet()));
        layer.loadStateDict(file("decoder-post-relu.safetensors").tensors(), true);
        layer.eval();
        var io = file("decoder-post-relu-io.safetensors");
        Variable out = layer.forward(Variable.of(io.tensor("target")), Variable.of(io.tensor("memory")),
                MultiheadAttention.Masks.NONE.withCausal(), MultiheadAttention.Masks.NONE);
        assertClose(io.tensor("output"), out.data());
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                () -> layer.forward(Variable.of(io.tensor("target"))));
    }
}
