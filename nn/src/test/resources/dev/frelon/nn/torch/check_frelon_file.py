"""Loads frelon-conv-bn-linear.safetensors, written by Frelon (TorchBatchNormTest.frelonModel().save(...)), into the
same PyTorch model with load_state_dict(strict=True), and writes frelon-conv-bn-linear-io.safetensors with an input and
the model's eval output, for nn's TorchBatchNormTest. The file is read by hand (8-byte header length, JSON header,
little-endian data), so nothing but PyTorch is needed. Frelon writes num_batches_tracked as I64, the dtype of
PyTorch's own buffer and files."""
import json
import struct

import numpy as np
import torch
from torch import nn

from safetensors_writer import save

NUMPY = {"F32": np.float32, "I64": np.int64}


def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        lo, hi = info["data_offsets"]
        arr = np.frombuffer(data[lo:hi], dtype=NUMPY[info["dtype"]]).reshape(info["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 3))
state = load("frelon-conv-bn-linear.safetensors")
assert state["1.num_batches_tracked"].dtype == torch.int64, state["1.num_batches_tracked"].dtype
model.load_state_dict(state, strict=True)
assert model[1].num_batches_tracked.dtype == torch.int64 and int(model[1].num_batches_tracked) == 3
model.eval()
torch.manual_seed(8)
x = torch.randn(2, 1, 6, 6)
with torch.no_grad():
    y = model(x)
save("frelon-conv-bn-linear-io.safetensors", {"input": x, "output": y})
print("loaded strictly; output", y)
