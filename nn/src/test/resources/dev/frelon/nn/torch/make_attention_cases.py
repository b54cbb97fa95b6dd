"""Writes the PyTorch reference files that nn's TorchAttentionTest reads: for nn.MultiheadAttention and two
nn.TransformerEncoderLayer configurations, the state dict (<case>.safetensors) and an input with PyTorch's output
(<case>-io.safetensors). Run with PyTorch 1.13+: python3 make_attention_cases.py. The safetensors files are written
by safetensors_writer.py beside it, so no extra package is needed."""
import torch
from torch import nn

from safetensors_writer import save

torch.manual_seed(2026)
mha = nn.MultiheadAttention(12, 3, batch_first=True).eval()
with torch.no_grad():
    mha.in_proj_bias.normal_()
    mha.out_proj.bias.normal_()
q, k, v = torch.randn(2, 5, 12), torch.randn(2, 7, 12), torch.randn(2, 7, 12)
pad = torch.tensor([[False] * 5 + [True] * 2, [False] * 6 + [True]])
out, weights = mha(q, k, v, key_padding_mask=pad, need_weights=True)
save("mha.safetensors", mha.state_dict())
save("mha-io.safetensors", {"query": q, "key": k, "value": v, "key_padding": pad.float(), "output": out,
                            "weights": weights})

for name, kwargs in [("encoder-post-relu", dict(activation="relu", norm_first=False)),
                     ("encoder-pre-gelu", dict(activation="gelu", norm_first=True))]:
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True, **kwargs).eval()
    with torch.no_grad():
        for p in layer.parameters():
            p.add_(0.1 * torch.randn_like(p))        # move LayerNorm and bias parameters off their defaults
    x = torch.randn(3, 6, 8)
    y = layer(x)
    save(name + ".safetensors", layer.state_dict())
    save(name + "-io.safetensors", {"input": x, "output": y})
print("written")

decoder = nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True).eval()
with torch.no_grad():
    for p in decoder.parameters():
        p.add_(0.1 * torch.randn_like(p))
tgt, memory = torch.randn(2, 5, 8), torch.randn(2, 7, 8)
causal = torch.triu(torch.full((5, 5), float("-inf")), diagonal=1)
out = decoder(tgt, memory, tgt_mask=causal)
save("decoder-post-relu.safetensors", decoder.state_dict())
save("decoder-post-relu-io.safetensors", {"target": tgt, "memory": memory, "output": out})
print("decoder written")
