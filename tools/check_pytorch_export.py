#!/usr/bin/env python3
"""Checks that models exported by rnnlab load into PyTorch with load_state_dict and compute what rnnlab computed.

For every `<name>.model.safetensors` in DIR (written, with `<name>.input.safetensors` and rnnlab's results
`<name>.output.safetensors`, by the cells module's TorchExportTest when run with -Drnnlab.export.dir=DIR):

  1. builds nn.RNN / nn.LSTM / nn.GRU in float64 from the file's __metadata__ (cell, input_size, hidden_size,
     num_layers, bidirectional, bias);
  2. loads the file's tensors with module.load_state_dict(tensors) -- strict, unchanged: the names, the shapes
     and (for bias=False) the absence of bias tensors must be exactly PyTorch's;
  3. runs forward on input (and h0, c0) and backward on grad_output, grad_h_n (and grad_c_n);
  4. compares output, h_n, c_n and every gradient (grad.<parameter>, grad.input, grad.h0, grad.c0) with
     rnnlab's float64 results: max|a - b| / max(max|b|, 1e-6) must be below 1e-10.

Run by hand (not by CI), with Debian's python3-torch:

    mvn -q -B -pl core,cells -am verify -Dtest=TorchExportTest -Dsurefire.failIfNoSpecifiedTests=false \\
        -Drnnlab.export.dir=/tmp/rnnlab-export
    python3 tools/check_pytorch_export.py /tmp/rnnlab-export

Exit status 0 when every model matches, 1 otherwise. Needs only PyTorch (the format is read with struct + json).
"""
import glob
import json
import os
import struct
import sys

import torch

DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
          "I64": torch.int64, "I32": torch.int32}
TOLERANCE = 1e-10


def read_safetensors(path):
    """Returns ({name: tensor}, metadata) of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    start = 8 + n
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        raw = bytearray(data[start + begin:start + end])
        if dtype in (torch.float16, torch.bfloat16):
            t = torch.frombuffer(raw, dtype=torch.int16).view(dtype) if raw else torch.empty(0, dtype=dtype)
        else:
            t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(info["shape"]).clone()
    return tensors, metadata


def make_module(meta):
    cell = meta["cell"]
    args = dict(input_size=int(meta["input_size"]), hidden_size=int(meta["hidden_size"]),
                num_layers=int(meta["num_layers"]), bias=meta["bias"] == "true",
                bidirectional=meta["bidirectional"] == "true", batch_first=False, dtype=torch.float64)
    if cell in ("rnn_tanh", "rnn_relu"):
        return torch.nn.RNN(nonlinearity=cell[4:], **args)
    if cell == "lstm":
        return torch.nn.LSTM(**args)
    if cell == "gru":
        return torch.nn.GRU(**args)
    raise ValueError("no PyTorch module for cell " + cell)


def relative_error(actual, expected):
    if actual.shape != expected.shape:
        return float("inf")
    scale = max(expected.abs().max().item() if expected.numel() else 0.0, 1e-6)
    diff = (actual - expected).abs().max().item() if expected.numel() else 0.0
    return diff / scale


def check(model_path):
    stem = model_path[:-len(".model.safetensors")]
    state_dict, meta = read_safetensors(model_path)
    inputs, _ = read_safetensors(stem + ".input.safetensors")
    rnnlab, _ = read_safetensors(stem + ".output.safetensors")
    module = make_module(meta)
    expected_keys = sorted(module.state_dict().keys())
    if sorted(state_dict.keys()) != expected_keys:
        return False, f"names {sorted(state_dict.keys())} != PyTorch's {expected_keys}"
    module.load_state_dict(state_dict)  # strict=True: exactly PyTorch's names and shapes
    lstm = meta["cell"] == "lstm"
    x = inputs["input"].to(torch.float64).requires_grad_()
    h0 = inputs["h0"].to(torch.float64).requires_grad_()
    if lstm:
        c0 = inputs["c0"].to(torch.float64).requires_grad_()
        output, (h_n, c_n) = module(x, (h0, c0))
        outs, grads = [output, h_n, c_n], [inputs["grad_output"], inputs["grad_h_n"], inputs["grad_c_n"]]
    else:
        output, h_n = module(x, h0)
        outs, grads = [output, h_n], [inputs["grad_output"], inputs["grad_h_n"]]
    torch.autograd.backward(outs, [g.to(torch.float64) for g in grads])
    torch_results = {"output": output, "h_n": h_n, "grad.input": x.grad, "grad.h0": h0.grad}
    if lstm:
        torch_results.update({"c_n": c_n, "grad.c0": c0.grad})
    for name, p in module.named_parameters():
        torch_results["grad." + name] = p.grad
    if sorted(torch_results) != sorted(rnnlab):
        return False, f"tensors {sorted(rnnlab)} != expected {sorted(torch_results)}"
    worst_name, worst = None, 0.0
    for name, t in torch_results.items():
        err = relative_error(rnnlab[name].to(torch.float64), t.detach())
        if err > worst or worst_name is None:
            worst_name, worst = name, err
    ok = worst <= TOLERANCE
    return ok, f"{len(state_dict)} tensors loaded, {len(torch_results)} results, worst relative error {worst:.2e} ({worst_name})"


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    models = sorted(glob.glob(os.path.join(sys.argv[1], "*.model.safetensors")))
    if not models:
        print("no *.model.safetensors in " + sys.argv[1])
        return 1
    failed = 0
    print(f"torch {torch.__version__}")
    for path in models:
        ok, message = check(path)
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {os.path.basename(path)[:-len('.model.safetensors')]:<16} {message}")
    print(f"{len(models) - failed}/{len(models)} models match")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
