"""Writes a safetensors file by hand (8-byte little-endian header length, JSON header padded to 8 bytes, raw
little-endian data), so the reference scripts beside it need nothing but PyTorch. float32 and int64 tensors keep
their dtype."""
import json
import struct

import torch

DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def save(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        t = t.detach().contiguous()
        data = t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
