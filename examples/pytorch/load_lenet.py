#!/usr/bin/env python3
"""Loads the LeNet-5 that `bin/frelon train` wrote (runs/lenet/lenet.safetensors) into the same
PyTorch model with strict key checking and measures its Fashion-MNIST test accuracy: the weights move
from Frelon to PyTorch unchanged. Needs torch and numpy (Debian: python3-torch) and dataset-fashion-mnist.
The safetensors file is parsed by hand (8-byte header length, JSON header, raw little-endian F32) so that
no extra package is needed.

    python3 examples/pytorch/load_lenet.py [path/to/lenet.safetensors]
"""
import sys, json, struct, gzip, numpy as np, torch, torch.nn as nn
def load(path):
    b = open(path, 'rb').read()
    n = struct.unpack('<Q', b[:8])[0]; hdr = json.loads(b[8:8+n]); base = 8 + n
    out = {}
    for k, v in hdr.items():
        if k == '__metadata__': continue
        s, e = v['data_offsets']
        out[k] = torch.from_numpy(np.frombuffer(b[base+s:base+e], dtype='<f4').reshape(v['shape']).copy())
    return out
sd = load(sys.argv[1] if len(sys.argv) > 1 else 'runs/lenet/lenet.safetensors')
m = nn.Sequential(nn.Conv2d(1,6,5,padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6,16,5), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(400,120), nn.ReLU(), nn.Linear(120,84), nn.ReLU(), nn.Linear(84,10))
m.load_state_dict(sd, strict=True)
d = '/usr/share/datasets/fashion-mnist/'
x = np.frombuffer(gzip.open(d+'t10k-images-idx3-ubyte.gz').read()[16:], dtype=np.uint8).reshape(-1,1,28,28).astype(np.float32)/255
y = np.frombuffer(gzip.open(d+'t10k-labels-idx1-ubyte.gz').read()[8:], dtype=np.uint8)
with torch.no_grad():
    pred = m(torch.from_numpy(x)).argmax(1).numpy()
print("PyTorch accuracy of the Frelon-trained LeNet: %.2f%%" % (100*(pred == y).mean()))
