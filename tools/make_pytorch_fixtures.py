#!/usr/bin/env python3
"""Generates the PyTorch reference fixtures of rnnlab's interop tests.

For nn.RNN (tanh, relu), nn.LSTM and nn.GRU in several configurations it records, in one safetensors file
per configuration: the module's state_dict (PyTorch's names), an input sequence (T, B, n), the initial
state(s), PyTorch's output and final state(s), upstream gradients for the output and the final state(s), and
the gradients PyTorch's autograd computes from them for every parameter, the input and the initial state(s).
It also writes dtypes.safetensors: values converted by PyTorch to float16 and bfloat16, for checking the
Java half-precision conversions bit for bit.

Run by hand (see tools/README.md); needs only PyTorch (Debian: python3-torch). The safetensors format is
written here with struct + json, as there may be no `safetensors` package.

    python3 tools/make_pytorch_fixtures.py [output-dir]
"""
import json
import os
import struct
import sys

import torch

T, B, N_IN, H = 5, 3, 4, 6  # small, and all different, so a transposed weight cannot pass unnoticed

# (file stem, dict of RNN arguments); every cell gets each of these in float64, and "l2_bi" also in float32
CONFIGS = [
    ("l1", dict(num_layers=1, bidirectional=False, bias=True)),
    ("l2", dict(num_layers=2, bidirectional=False, bias=True)),
    ("bi", dict(num_layers=1, bidirectional=True, bias=True)),
    ("l2_bi", dict(num_layers=2, bidirectional=True, bias=True)),
    ("nobias", dict(num_layers=1, bidirectional=False, bias=False)),
]
F32_CONFIGS = {"l2_bi"}
CELLS = ["rnn_tanh", "rnn_relu", "lstm", "gru"]

DTYPE_NAMES = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int32: "I32", torch.int64: "I64",
}


def tensor_bytes(t):
    """Row-major little-endian bytes of a tensor (bits reinterpreted for the 16-bit float types)."""
    t = t.detach().contiguous().cpu()
    if t.dtype in (torch.float16, torch.bfloat16):
        t = t.view(torch.int16)
    arr = t.numpy()
    return arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()


def write_safetensors(path, tensors, metadata):
    """Writes {name: tensor} and {key: str} as safetensors: tensors sorted by name, header padded to 8 bytes."""
    header = {"__metadata__": {k: str(v) for k, v in sorted(metadata.items())}}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name]
        data = tensor_bytes(t)
        header[name] = {"dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def make_module(cell, cfg, dtype):
    common = dict(input_size=N_IN, hidden_size=H, num_layers=cfg["num_layers"], bias=cfg["bias"],
                  bidirectional=cfg["bidirectional"], batch_first=False, dtype=dtype)
    if cell == "rnn_tanh":
        return torch.nn.RNN(nonlinearity="tanh", **common)
    if cell == "rnn_relu":
        return torch.nn.RNN(nonlinearity="relu", **common)
    if cell == "lstm":
        return torch.nn.LSTM(**common)
    if cell == "gru":
        return torch.nn.GRU(**common)
    raise ValueError(cell)


def fixture(cell, stem, cfg, dtype, seed):
    torch.manual_seed(seed)  # the module's default init U(-1/sqrt(H), 1/sqrt(H)) draws from the global generator
    module = make_module(cell, cfg, dtype)
    gen = torch.Generator().manual_seed(seed + 1)
    d = 2 if cfg["bidirectional"] else 1
    states = d * cfg["num_layers"]
    x = torch.randn(T, B, N_IN, dtype=dtype, generator=gen).requires_grad_()
    h0 = (0.5 * torch.randn(states, B, H, dtype=dtype, generator=gen)).requires_grad_()
    lstm = cell == "lstm"
    if lstm:
        c0 = (0.5 * torch.randn(states, B, H, dtype=dtype, generator=gen)).requires_grad_()
        output, (h_n, c_n) = module(x, (h0, c0))
    else:
        output, h_n = module(x, h0)
    grad_output = torch.randn(T, B, d * H, dtype=dtype, generator=gen)
    grad_h_n = torch.randn(states, B, H, dtype=dtype, generator=gen)
    outs, grads = [output, h_n], [grad_output, grad_h_n]
    if lstm:
        grad_c_n = torch.randn(states, B, H, dtype=dtype, generator=gen)
        outs.append(c_n)
        grads.append(grad_c_n)
    torch.autograd.backward(outs, grads)

    tensors = {name: p.detach().clone() for name, p in module.state_dict().items()}
    tensors.update({"input": x, "h0": h0, "output": output, "h_n": h_n,
                    "grad_output": grad_output, "grad_h_n": grad_h_n,
                    "grad.input": x.grad, "grad.h0": h0.grad})
    if lstm:
        tensors.update({"c0": c0, "c_n": c_n, "grad_c_n": grad_c_n, "grad.c0": c0.grad})
    for name, p in module.named_parameters():
        tensors["grad." + name] = p.grad
    metadata = {
        "format": "rnnlab-pytorch-fixture/1",
        "cell": cell,
        "input_size": N_IN, "hidden_size": H, "num_layers": cfg["num_layers"],
        "bidirectional": str(cfg["bidirectional"]).lower(), "bias": str(cfg["bias"]).lower(),
        "seq_len": T, "batch": B,
        "dtype": "float64" if dtype == torch.float64 else "float32",
        "seed": seed,
        "torch_version": torch.__version__,
        "generator": "tools/make_pytorch_fixtures.py",
    }
    return tensors, metadata


def dtype_fixture():
    """Float32 values chosen to probe float16/bfloat16 rounding, and PyTorch's conversions of them."""
    special = [0.0, -0.0, 1.0, -1.0, float("inf"), float("-inf"), float("nan"),
               65504.0, 65519.99, 65520.0, 65536.0, -65520.0, 1e-8, 2.0 ** -24, 2.0 ** -25, 3 * 2.0 ** -26,
               2.0 ** -14, 2.0 ** -14 - 2.0 ** -25, 1.0 + 2.0 ** -11, 1.0 + 3 * 2.0 ** -11, 1.0 + 2.0 ** -8,
               1.0 + 3 * 2.0 ** -8, 3.4028234663852886e38, 1.1754943508222875e-38, 1e-45, 0.1, 1 / 3]
    gen = torch.Generator().manual_seed(7)
    mant = torch.rand(256, generator=gen, dtype=torch.float64) + 1.0
    expo = torch.randint(-30, 20, (256,), generator=gen).to(torch.float64)
    sign = torch.where(torch.rand(256, generator=gen) < 0.5, -1.0, 1.0).to(torch.float64)
    # random bit patterns as well, so every rounding bit combination appears
    bits = torch.randint(-2 ** 31, 2 ** 31 - 1, (256,), generator=gen, dtype=torch.int64).to(torch.int32)
    src = torch.cat([torch.tensor(special, dtype=torch.float32), (sign * mant * 2.0 ** expo).to(torch.float32),
                     bits.view(torch.float32)])
    tensors = {
        "f32_source": src,
        "f16": src.to(torch.float16),
        "bf16": src.to(torch.bfloat16),
        "f64": torch.tensor([0.0, -0.0, 1.0 / 3.0, 2.0 ** -1074, 1.7976931348623157e308, float("inf")],
                            dtype=torch.float64),
        "i32": torch.tensor([0, 1, -1, 2 ** 31 - 1, -2 ** 31], dtype=torch.int32),
        "i64": torch.tensor([0, 1, -1, 2 ** 63 - 1, -2 ** 63], dtype=torch.int64),
        "scalar": torch.tensor(2.5, dtype=torch.float32),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
        "matrix": torch.arange(6, dtype=torch.float64).reshape(2, 3),
    }
    metadata = {"format": "rnnlab-dtype-fixture/1", "torch_version": torch.__version__,
                "generator": "tools/make_pytorch_fixtures.py"}
    return tensors, metadata


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "core", "src", "test", "resources", "pytorch")
    os.makedirs(out, exist_ok=True)
    torch.use_deterministic_algorithms(True)
    seed = 1000
    written = []
    for cell in CELLS:
        for stem, cfg in CONFIGS:
            dtypes = [torch.float64] + ([torch.float32] if stem in F32_CONFIGS else [])
            for dtype in dtypes:
                seed += 10
                tensors, metadata = fixture(cell, stem, cfg, dtype, seed)
                suffix = "f64" if dtype == torch.float64 else "f32"
                name = f"{cell}_{stem}_{suffix}.safetensors"
                write_safetensors(os.path.join(out, name), tensors, metadata)
                written.append(name)
    tensors, metadata = dtype_fixture()
    write_safetensors(os.path.join(out, "dtypes.safetensors"), tensors, metadata)
    written.append("dtypes.safetensors")
    total = sum(os.path.getsize(os.path.join(out, n)) for n in written)
    print(f"wrote {len(written)} files, {total} bytes, to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
