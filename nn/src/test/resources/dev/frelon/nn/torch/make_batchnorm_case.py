"""Writes conv-bn-linear.safetensors and conv-bn-linear-io.safetensors for nn's TorchBatchNormTest: a PyTorch
Conv2d + BatchNorm2d + ReLU + Flatten + Linear after a few training steps, so that its running statistics and its
int64 num_batches_tracked are not the defaults, and an input with the model's eval output. The safetensors are
written by safetensors_writer.py beside it (no extra package); integer tensors keep their dtype (I64), as torch's own
writer would."""
import torch
from torch import nn

from safetensors_writer import save

torch.manual_seed(7)
model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(5):
    x = torch.randn(8, 1, 6, 6)
    loss = model(x).square().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
model.eval()
x = torch.randn(2, 1, 6, 6)
save("conv-bn-linear.safetensors", model.state_dict())
save("conv-bn-linear-io.safetensors", {"input": x, "output": model(x)})
print("written", {k: str(v.dtype) for k, v in model.state_dict().items() if v.dtype != torch.float32})
