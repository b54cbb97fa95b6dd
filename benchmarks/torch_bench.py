#!/usr/bin/env python3
"""PyTorch side of benchmarks/compare: the same workloads, names and units as
dev.frelon.benchmarks.Workloads. Prints `name threads value` lines (and `# ...` info lines).

usage: torch_bench.py --threads N [--quick] [--filter REGEX] [--families REGEX]
Thread and BLAS settings come from the environment set by benchmarks/compare.
"""
import argparse, os, re, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F


def timer(op, quick):
    warm, reps, sl = (0.3, 5, 0.06) if quick else (0.8, 7, 0.12)
    end = time.perf_counter() + warm
    n = 0
    while time.perf_counter() < end or n < 2:
        op(); n += 1
    ts = []
    for _ in range(reps):
        start = time.perf_counter(); stop = start + sl; n = 0
        while True:
            op(); n += 1
            now = time.perf_counter()
            if now >= stop:
                break
        ts.append((now - start) / n)
    ts.sort()
    return ts[reps // 2] * 1e9  # ns per call


def workloads():
    w = []  # (name, unit, work, quick, setup)
    def gemm(name, m, n, k, ta, tb, quick):
        def setup():
            a = torch.randn(k, m).t() if ta else torch.randn(m, k)
            b = torch.randn(n, k).t() if tb else torch.randn(k, n)
            c = torch.empty(m, n)
            return lambda: torch.mm(a, b, out=c)
        w.append((name, "GFLOPS", 2.0 * m * n * k, quick, setup))
    for s in (64, 128, 256, 512, 1024, 2048):
        gemm("gemm_%d" % s, s, s, s, False, False, 256 <= s <= 1024)
    for b in (64, 256):
        gemm("gemm_mlp_%dx784x256" % b, b, 256, 784, False, False, True)
        gemm("gemm_mlp_xtdy_784x%dx256" % b, 784, 256, b, True, False, b == 64)
        gemm("gemm_mlp_dywt_%dx256x784" % b, b, 784, 256, False, True, b == 64)

    def conv(tag, n, c, oc, hw, k, pad, quick):
        base = "conv_%s_n%d_%dto%d_%d_k%d" % (tag, n, c, oc, hw, k)
        def fwd():
            x = torch.randn(n, c, hw, hw); wt = torch.randn(oc, c, k, k); b = torch.randn(oc)
            def op():
                with torch.no_grad():
                    F.conv2d(x, wt, b, padding=pad)
            return op
        def fwdbwd():
            x = torch.randn(n, c, hw, hw, requires_grad=True)
            wt = torch.randn(oc, c, k, k, requires_grad=True); b = torch.randn(oc, requires_grad=True)
            def op():
                y = F.conv2d(x, wt, b, padding=pad)
                x.grad = wt.grad = b.grad = None
                y.backward(y.detach())
            return op
        w.append((base + "_fwd", "us", 1, quick, fwd))
        w.append((base + "_fwdbwd", "us", 1, quick, fwdbwd))
    conv("lenet1", 64, 1, 6, 28, 5, 2, True)
    conv("lenet2", 64, 6, 16, 14, 5, 0, True)
    conv("res56", 32, 64, 64, 56, 3, 1, False)

    def pool_fwd():
        x = torch.randn(64, 6, 28, 28)
        def op():
            with torch.no_grad():
                F.max_pool2d(x, 2)
        return op
    def pool_fwdbwd():
        x = torch.randn(64, 6, 28, 28, requires_grad=True); dy = torch.randn(64, 6, 14, 14)
        def op():
            x.grad = None
            F.max_pool2d(x, 2).backward(dy)
        return op
    def avg_fwd():
        x = torch.randn(64, 6, 28, 28)
        def op():
            with torch.no_grad():
                F.avg_pool2d(x, 2)
        return op
    w.append(("pool_max2_64x6x28_fwd", "us", 1, True, pool_fwd))
    w.append(("pool_max2_64x6x28_fwdbwd", "us", 1, True, pool_fwdbwd))
    w.append(("pool_avg2_64x6x28_fwd", "us", 1, False, avg_fwd))
    for mode in ("nearest", "bilinear"):
        base = "upsample_%s2_32x64x16" % mode
        extra = {"align_corners": False} if mode == "bilinear" else {}
        def up_fwd(mode=mode, extra=extra):
            x = torch.randn(32, 64, 16, 16)
            def op():
                with torch.no_grad():
                    F.interpolate(x, scale_factor=2, mode=mode, **extra)
            return op
        def up_bwd(mode=mode):
            # The backward kernel alone, as Frelon's workload times it.
            dy = torch.randn(32, 64, 32, 32)
            if mode == "bilinear":
                return lambda: torch.ops.aten.upsample_bilinear2d_backward(dy, [32, 32], [32, 64, 16, 16], False,
                                                                           None, None)
            return lambda: torch.ops.aten.upsample_nearest2d_backward(dy, [32, 32], [32, 64, 16, 16], None, None)
        w.append((base + "_fwd", "us", 1, True, up_fwd))
        w.append((base + "_bwd", "us", 1, True, up_bwd))
    for c in (10, 1000):
        def ce(c=c):
            logits = torch.randn(256, c, requires_grad=True); t = torch.randint(0, c, (256,))
            def op():
                logits.grad = None
                F.cross_entropy(logits, t).backward()
            return op
        w.append(("softmax_ce_256x%d" % c, "us", 1, True, ce))
    for m in (1, 16):
        n = m << 20
        def add(n=n):
            a = torch.randn(n); b = torch.randn(n)
            return lambda: a + b
        def relu(n=n):
            a = torch.randn(n)
            return lambda: torch.relu(a)
        w.append(("eltwise_add_%dm" % m, "us", 1, True, add))
        w.append(("eltwise_relu_%dm" % m, "us", 1, True, relu))
    def overhead():
        lin = nn.Linear(10, 1); x = torch.randn(1, 10)
        def op():
            lin.zero_grad()
            lin(x).sum().backward()
        return op
    w.append(("overhead_linear10x1_fwdbwd", "us", 1, True, overhead))

    def conv_transpose(tag, n, c, oc, hw, k, stride, pad):
        base = "convT_" + tag
        def fwd():
            torch.manual_seed(17)
            layer = nn.ConvTranspose2d(c, oc, k, stride=stride, padding=pad); x = torch.randn(n, c, hw, hw)
            def op():
                with torch.no_grad():
                    layer(x)
            return op
        def fwdbwd():
            torch.manual_seed(17)
            layer = nn.ConvTranspose2d(c, oc, k, stride=stride, padding=pad)
            x = torch.randn(n, c, hw, hw, requires_grad=True)
            def op():
                layer.zero_grad(); x.grad = None
                y = layer(x)
                y.backward(y.detach())
            return op
        w.append((base + "_fwd", "us", 1, True, fwd))
        w.append((base + "_fwdbwd", "us", 1, True, fwdbwd))
    conv_transpose("gen1_n64_100to256_1to7_k7", 64, 100, 256, 1, 7, 1, 0)
    conv_transpose("gen2_n64_256to128_7to14_k4s2", 64, 256, 128, 7, 4, 2, 1)
    conv_transpose("gen3_n64_128to1_14to28_k4s2", 64, 128, 1, 14, 4, 2, 1)

    def attention(batch, t, quick):
        base = "attn_mha_b%d_t%d_d256_h8" % (batch, t)
        def fwd():
            torch.manual_seed(19)
            m = nn.MultiheadAttention(256, 8, batch_first=True); x = torch.randn(batch, t, 256)
            def op():
                with torch.no_grad():
                    m(x, x, x, need_weights=False)
            return op
        def fwdbwd():
            torch.manual_seed(19)
            m = nn.MultiheadAttention(256, 8, batch_first=True); x = torch.randn(batch, t, 256, requires_grad=True)
            def op():
                m.zero_grad(); x.grad = None
                y = m(x, x, x, need_weights=False)[0]
                y.backward(y.detach())
            return op
        w.append((base + "_fwd", "us", 1, quick, fwd))
        w.append((base + "_fwdbwd", "us", 1, quick, fwdbwd))
    attention(32, 128, True)
    attention(4, 1024, False)
    attention(32, 1024, False)

    def optimizer(make):
        def setup():
            torch.manual_seed(11)
            p = torch.nn.Parameter(torch.randn(1 << 20))
            p.grad = torch.randn(1 << 20)
            opt = make([p])
            return opt.step
        return setup
    w.append(("optim_sgd_momentum_1m", "us", 1, True,
              optimizer(lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9, weight_decay=5e-4))))
    w.append(("optim_adam_1m", "us", 1, True, optimizer(lambda p: torch.optim.Adam(p, lr=1e-3))))
    w.append(("optim_adamw_1m", "us", 1, True, optimizer(lambda p: torch.optim.AdamW(p, lr=1e-3))))

    def train(cnn, batch=64):
        def setup():
            torch.manual_seed(15)
            if cnn:
                model = nn.Sequential(
                    nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                    nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
                x = torch.randn(batch, 1, 28, 28)
            else:
                model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                                      nn.Linear(128, 10))
                x = torch.randn(batch, 784)
            y = torch.randint(0, 10, (batch,))
            opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
            def op():
                loss = F.cross_entropy(model(x), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
            return op
        return setup
    w.append(("train_mlp_b64", "samples/s", 64, True, train(False)))
    w.append(("train_lenet_b64", "samples/s", 64, True, train(True)))
    return w


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--filter", default=None)
    p.add_argument("--families", default=None, help="regex on names: which workloads this process runs")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    env = " ".join("%s=%s" % (k, os.environ[k]) for k in
                   ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_WAIT_POLICY", "OPENBLAS_CORETYPE") if k in os.environ)
    info = "torch %s, threads=%d, families=%s, env: %s" % (torch.__version__, a.threads, a.families or "all", env or "-")
    try:
        from threadpoolctl import threadpool_info
        pools = threadpool_info()
        info += ", blas: " + "; ".join("%s %s %s threads=%s" % (d.get("internal_api"), d.get("version"),
                                       d.get("architecture"), d.get("num_threads")) for d in pools)
        if not any(d.get("internal_api") in ("openblas", "mkl", "blis") for d in pools):
            info += " -- WARNING: no optimised BLAS found (the reference BLAS is 50x slower); on Debian install " \
                    "libopenblas0-pthread for a fair comparison"
    except Exception:
        pass
    print("# " + info, flush=True)
    for name, unit, work, quick, setup in workloads():
        if a.quick and not quick:
            continue
        if a.filter and not re.search(a.filter, name):
            continue
        if a.families and not re.search(a.families, name):
            continue
        ns = timer(setup(), a.quick)
        v = work / ns if unit == "GFLOPS" else (work * 1e9 / ns if unit == "samples/s" else ns / 1e3)
        print("%s %d %.6g" % (name, a.threads, v), flush=True)


if __name__ == "__main__":
    main()
