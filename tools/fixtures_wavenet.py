"""Reference values from PyTorch for seq4j's causal convolution, gated residual layer and WaveNet.

``make(core_dir, wavenet_dir)`` writes three safetensors files (all tensors F32):

* ``core_dir/causal_conv.safetensors``: ``nn.Conv1d(in, out, k, dilation=d)`` applied to the
  input padded on the left with ``(k - 1) * d`` zeros, for several kernels and dilations, with
  and without bias, one with more padding than input. Also the weights of a fresh
  ``nn.Conv1d(3, 4, 3)`` after ``torch.manual_seed(INIT_SEED)``.
* ``wavenet_dir/wavenet_layer.safetensors``: one gated residual layer (filter and gate causal
  convolutions, ``tanh(.) * sigmoid(.)``, 1x1 residual and skip), with and without global and
  local conditioning.
* ``wavenet_dir/wavenet_model.safetensors``: small whole WaveNets (one on 256 classes without
  conditioning; smaller ones with global and local conditioning, transposed-convolution and
  repeat upsampling, kernel 3 and input kernel 1). Also the weights of a fresh unconditioned
  WaveNet after ``torch.manual_seed(INIT_SEED)``.

The modules below use exactly the parameter names of ``WaveNetConfig`` (``input.weight``,
``layers.<i>.filter.weight``, ``head.conv2.bias``, ...), so their state dicts load into seq4j.

For every case the loss is ``L = sum_k sum(result_k * R_k)`` over the case's results (a
convolution's output; a layer's residual output and skip output; a WaveNet's logits), with
fixed random weights ``R_k`` stored next to them. Tensor names are ``<case>.<what>``: the
inputs (``x``, ``h``, ``global``, ``local``, ``classes``, ``ids``, ``features``; integer ids
stored as F32), ``param.<name>``, the loss weights ``R.<result>``, and the results
``<result>`` and ``grad.<name>`` for every parameter and every real-valued input. A parameter
that does not reach the loss (the last WaveNet layer's residual convolution) has a zero
gradient. Every result is stored twice, as PyTorch computes it in float32 (``<case>.<result>``)
and in float64 from the same inputs and weights (``<case>.f64.<result>``, rounded to F32).
WaveNet cases also store ``loss``: the mean cross-entropy of the logit at ``t`` against the
class at ``t + 1`` over ``t = receptive_field - 1, ..., T - 2`` (the training loss). Each
file's ``__metadata__`` lists its cases and their sizes. Every random value comes from a
seeded generator.

Run directly to write the files into the test resources of ``core`` and ``wavenet``.
"""

from __future__ import annotations

import copy
import pathlib

import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from torch import nn

INIT_SEED = 42
BATCH = 2


def _f32(t: torch.Tensor) -> torch.Tensor:
    return t.detach().to(torch.float32).contiguous()


def _save(path: pathlib.Path, tensors: dict, metadata: dict) -> None:
    save_file(
        {k: _f32(v) for k, v in tensors.items()},
        str(path),
        metadata={k: str(v) for k, v in metadata.items()},
    )


# ---------------------------------------------------------------------------------------
# The modules, with WaveNetConfig's parameter names
# ---------------------------------------------------------------------------------------


class CausalConv1d(nn.Conv1d):
    """``nn.Conv1d`` on the input padded on the left with ``(k - 1) * d`` zeros."""

    def __init__(self, cin: int, cout: int, k: int, dilation: int = 1, bias: bool = True):
        super().__init__(cin, cout, k, dilation=dilation, bias=bias)
        self.left = (k - 1) * dilation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(F.pad(x, (self.left, 0)))


class GatedResidualLayer(nn.Module):
    def __init__(self, r: int, d: int, s: int, k: int, dilation: int, e: int = 0, lc: int = 0):
        super().__init__()
        self.filter = CausalConv1d(r, d, k, dilation)
        self.gate = CausalConv1d(r, d, k, dilation)
        self.residual = nn.Conv1d(d, r, 1)
        self.skip = nn.Conv1d(d, s, 1)
        if e:
            self.filter_global = nn.Linear(e, d, bias=False)
            self.gate_global = nn.Linear(e, d, bias=False)
        if lc:
            self.filter_local = nn.Conv1d(lc, d, 1, bias=False)
            self.gate_local = nn.Conv1d(lc, d, 1, bias=False)

    def forward(self, h, g=None, c=None):
        f = self.filter(h)
        s = self.gate(h)
        if g is not None:
            f = f + self.filter_global(g)[:, :, None]
            s = s + self.gate_global(g)[:, :, None]
        if c is not None:
            f = f + self.filter_local(c)
            s = s + self.gate_local(c)
        z = torch.tanh(f) * torch.sigmoid(s)
        return h + self.residual(z), self.skip(z)


class Head(nn.Module):
    def __init__(self, s: int, q: int):
        super().__init__()
        self.conv1 = nn.Conv1d(s, s, 1)
        self.conv2 = nn.Conv1d(s, q, 1)

    def forward(self, skip):
        return self.conv2(F.relu(self.conv1(F.relu(skip))))


class WaveNet(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        q, r, d, s = cfg["classes"], cfg["residual"], cfg["dilation"], cfg["skip"]
        g, e, lc, hop = cfg.get("G", 0), cfg.get("E", 0), cfg.get("L", 0), cfg.get("hop", 0)
        self.cfg = cfg
        self.input = CausalConv1d(q, r, cfg["input_kernel"])
        if g:
            self.global_embedding = nn.Embedding(g, e)
        if lc and cfg["upsampling"] == "transposed":
            self.upsample = nn.ConvTranspose1d(lc, lc, hop, stride=hop)
        self.layers = nn.ModuleList(
            GatedResidualLayer(r, d, s, cfg["kernel"], dil, e, lc) for dil in cfg["dilations"]
        )
        self.head = Head(s, q)

    def receptive_field(self) -> int:
        cfg = self.cfg
        return cfg["input_kernel"] + sum((cfg["kernel"] - 1) * d for d in cfg["dilations"])

    def forward(self, one_hot, ids=None, features=None):
        h = self.input(one_hot)
        g = self.global_embedding(ids) if ids is not None else None
        c = None
        if features is not None:
            if self.cfg["upsampling"] == "transposed":
                c = self.upsample(features)
            else:
                c = features.repeat_interleave(self.cfg["hop"], dim=2)
        skip = 0
        for layer in self.layers:
            h, y = layer(h, g, c)
            skip = skip + y
        return self.head(skip)


# ---------------------------------------------------------------------------------------
# Running a case in float32 and float64
# ---------------------------------------------------------------------------------------


def _results(module: nn.Module, leaves: dict, fixed: dict, run, loss_weights: dict, dtype) -> dict:
    """Runs a copy of module in dtype; returns the results and the gradients of the loss.

    ``leaves`` are real-valued inputs (gradients taken), ``fixed`` integer inputs.
    ``run(module, inputs)`` returns a dict of results; the loss is
    ``sum(result * loss_weights[name])`` over them.
    """
    m = copy.deepcopy(module).to(dtype)
    inputs = {k: v.detach().to(dtype).requires_grad_(True) for k, v in leaves.items()}
    inputs.update(fixed)
    results = run(m, inputs)
    loss = sum((results[k] * loss_weights[k].to(dtype)).sum() for k in results)
    loss.backward()
    out = {k: v.detach() for k, v in results.items()}
    for k, p in m.named_parameters():
        out[f"grad.{k}"] = p.grad if p.grad is not None else torch.zeros_like(p)
    for k in leaves:
        out[f"grad.{k}"] = inputs[k].grad
    return out


def _store_case(tensors: dict, name: str, module, leaves, fixed, run, loss_weights) -> tuple:
    for k, v in {**leaves, **fixed}.items():
        tensors[f"{name}.{k}"] = v
    for k, p in module.named_parameters():
        tensors[f"{name}.param.{k}"] = p
    for k, w in loss_weights.items():
        tensors[f"{name}.R.{k}"] = w
    r32 = _results(module, leaves, fixed, run, loss_weights, torch.float32)
    r64 = _results(module, leaves, fixed, run, loss_weights, torch.float64)
    for k, v in r32.items():
        tensors[f"{name}.{k}"] = v
    for k, v in r64.items():
        tensors[f"{name}.f64.{k}"] = v
    return r32, r64


def _lively(module: nn.Module, g: torch.Generator, scale: float) -> None:
    """Replaces every parameter with U(-scale, scale) values, so that gates are not saturated
    nor linear."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_((torch.rand(p.shape, generator=g) * 2 - 1) * scale)


# ---------------------------------------------------------------------------------------
# Causal convolution
# ---------------------------------------------------------------------------------------

# name -> (in, out, kernel, dilation, bias, T)
CONV_CASES = {
    "k2_d1": (3, 4, 2, 1, True, 9),
    "k3_d2": (3, 4, 3, 2, True, 9),
    "k2_d4_nobias": (3, 4, 2, 4, False, 9),
    "k1": (3, 4, 1, 1, True, 9),
    "k4_d3_padding_longer_than_input": (2, 3, 4, 3, True, 7),
    "k5_d1_nobias": (4, 2, 5, 1, False, 8),
}


def make_conv(path: pathlib.Path) -> None:
    g = torch.Generator().manual_seed(3)
    tensors, metadata = {}, {"cases": ",".join(CONV_CASES), "init_seed": INIT_SEED}
    for name, (cin, cout, k, d, bias, steps) in CONV_CASES.items():
        conv = CausalConv1d(cin, cout, k, d, bias)
        _lively(conv, g, 0.5)
        leaves = {"x": torch.randn(BATCH, cin, steps, generator=g)}
        weights = {"output": torch.randn(BATCH, cout, steps, generator=g)}
        _store_case(tensors, name, conv, leaves, {}, lambda m, t: {"output": m(t["x"])}, weights)
        metadata.update(
            {
                f"{name}.in": cin,
                f"{name}.out": cout,
                f"{name}.kernel": k,
                f"{name}.dilation": d,
                f"{name}.bias": "true" if bias else "false",
                f"{name}.description": f"Conv1d({cin}, {cout}, {k}, dilation={d}, bias={bias})"
                f" on x left-padded by {(k - 1) * d}, T={steps}",
            }
        )
    torch.manual_seed(INIT_SEED)
    fresh = nn.Conv1d(3, 4, 3)
    for k, p in fresh.named_parameters():
        tensors[f"init.{k}"] = p
    _save(path, tensors, metadata)


# ---------------------------------------------------------------------------------------
# Gated residual layer
# ---------------------------------------------------------------------------------------

LAYER_R, LAYER_D, LAYER_S, LAYER_T = 4, 5, 6, 10

# name -> (kernel, dilation, global embedding E, local channels L)
LAYER_CASES = {
    "k2_d2": (2, 2, 0, 0),
    "k2_d4_global_local": (2, 4, 3, 2),
    "k3_d1_global": (3, 1, 3, 0),
    "k1_local": (1, 1, 0, 2),
}


def make_layer(path: pathlib.Path) -> None:
    g = torch.Generator().manual_seed(4)
    tensors = {}
    metadata = {
        "cases": ",".join(LAYER_CASES),
        "residual": LAYER_R,
        "dilation_channels": LAYER_D,
        "skip": LAYER_S,
    }
    for name, (k, d, e, lc) in LAYER_CASES.items():
        layer = GatedResidualLayer(LAYER_R, LAYER_D, LAYER_S, k, d, e, lc)
        _lively(layer, g, 0.6)
        leaves = {"h": torch.randn(BATCH, LAYER_R, LAYER_T, generator=g)}
        if e:
            leaves["global"] = torch.randn(BATCH, e, generator=g)
        if lc:
            leaves["local"] = torch.randn(BATCH, lc, LAYER_T, generator=g)
        weights = {
            "residual": torch.randn(BATCH, LAYER_R, LAYER_T, generator=g),
            "skip": torch.randn(BATCH, LAYER_S, LAYER_T, generator=g),
        }

        def run(m, t):
            res, skip = m(t["h"], t.get("global"), t.get("local"))
            return {"residual": res, "skip": skip}

        _store_case(tensors, name, layer, leaves, {}, run, weights)
        metadata.update(
            {
                f"{name}.kernel": k,
                f"{name}.dilation": d,
                f"{name}.global": e,
                f"{name}.local": lc,
            }
        )
    _save(path, tensors, metadata)


# ---------------------------------------------------------------------------------------
# Whole WaveNet
# ---------------------------------------------------------------------------------------

MODEL_CASES = {
    "plain_256": dict(
        classes=256, residual=8, dilation=8, skip=16, kernel=2, input_kernel=2,
        dilations=[1, 2, 4, 8], T=20, scale=0.3,
        description="256 classes, dilations 1,2,4,8, R=D=8, S=16, no conditioning",
    ),
    "global_local_transposed": dict(
        classes=32, residual=6, dilation=6, skip=8, kernel=2, input_kernel=2,
        dilations=[1, 2, 4], G=3, E=4, L=3, hop=4, upsampling="transposed", T=16, scale=0.4,
        description="32 classes, dilations 1,2,4, global (3 ids, width 4) and local "
        "(3 channels every 4 samples, transposed convolution)",
    ),
    "local_repeat_k3": dict(
        classes=32, residual=6, dilation=5, skip=7, kernel=3, input_kernel=1,
        dilations=[1, 2, 1, 2], L=2, hop=5, upsampling="repeat", T=20, scale=0.4,
        description="32 classes, kernel 3, input kernel 1, dilations 1,2,1,2, local "
        "(2 channels every 5 samples, repeated)",
    ),
    "global_stacks": dict(
        classes=16, residual=4, dilation=4, skip=6, kernel=2, input_kernel=2,
        dilations=[1, 2, 4, 1, 2, 4], G=2, E=3, T=18, scale=0.4,
        description="16 classes, two stacks of 1,2,4, global (2 ids, width 3)",
    ),
}

CONFIG_KEYS = (
    "classes", "residual", "dilation", "skip", "kernel", "input_kernel", "G", "E", "L", "hop",
)


def _training_loss(logits: torch.Tensor, classes: torch.Tensor, field: int) -> torch.Tensor:
    scored = logits[:, :, field - 1 : -1]  # t = field - 1, ..., T - 2
    targets = classes[:, field:]
    return F.cross_entropy(scored, targets)


def make_model(path: pathlib.Path) -> None:
    g = torch.Generator().manual_seed(5)
    tensors, metadata = {}, {"cases": ",".join(MODEL_CASES), "init_seed": INIT_SEED}
    for name, cfg in MODEL_CASES.items():
        net = WaveNet(cfg)
        _lively(net, g, cfg["scale"])
        q, steps = cfg["classes"], cfg["T"]
        classes = torch.randint(0, q, (BATCH, steps), generator=g)
        one_hot = F.one_hot(classes, q).transpose(1, 2).float()
        leaves, fixed = {}, {"classes": classes}
        if q <= 32:
            leaves["one_hot"] = one_hot  # the gradient with respect to the input
        else:
            fixed["one_hot"] = one_hot
        if cfg.get("G"):
            fixed["ids"] = torch.randint(0, cfg["G"], (BATCH,), generator=g)
        if cfg.get("L"):
            leaves["features"] = torch.randn(BATCH, cfg["L"], steps // cfg["hop"], generator=g)
        weights = {"logits": torch.randn(BATCH, q, steps, generator=g)}

        def run(m, t):
            x = t["one_hot"].to(next(m.parameters()).dtype)
            return {"logits": m(x, t.get("ids"), t.get("features"))}

        r32, r64 = _store_case(tensors, name, net, leaves, fixed, run, weights)
        del tensors[f"{name}.one_hot"]  # the Java test builds it from the classes
        field = net.receptive_field()
        tensors[f"{name}.loss"] = _training_loss(r32["logits"], classes, field).reshape(1)
        tensors[f"{name}.f64.loss"] = _training_loss(r64["logits"], classes, field).reshape(1)
        metadata[f"{name}.description"] = cfg["description"]
        metadata[f"{name}.receptive_field"] = field
        metadata[f"{name}.dilations"] = ",".join(str(d) for d in cfg["dilations"])
        metadata[f"{name}.upsampling"] = cfg.get("upsampling", "none")
        for key in CONFIG_KEYS:
            metadata[f"{name}.{key}"] = cfg.get(key, 0)

    # PyTorch's own initialisation of an unconditioned WaveNet, module by module.
    init_cfg = MODEL_CASES["plain_256"]
    torch.manual_seed(INIT_SEED)
    fresh = WaveNet(init_cfg)
    for k, p in fresh.named_parameters():
        tensors[f"init.{k}"] = p
    _save(path, tensors, metadata)


def make(core_dir: pathlib.Path, wavenet_dir: pathlib.Path) -> list[pathlib.Path]:
    """Writes causal_conv into core_dir, wavenet_layer and wavenet_model into wavenet_dir."""
    core_dir, wavenet_dir = pathlib.Path(core_dir), pathlib.Path(wavenet_dir)
    core_dir.mkdir(parents=True, exist_ok=True)
    wavenet_dir.mkdir(parents=True, exist_ok=True)
    paths = [
        core_dir / "causal_conv.safetensors",
        wavenet_dir / "wavenet_layer.safetensors",
        wavenet_dir / "wavenet_model.safetensors",
    ]
    make_conv(paths[0])
    make_layer(paths[1])
    make_model(paths[2])
    return paths


if __name__ == "__main__":
    root = pathlib.Path(__file__).resolve().parent.parent
    written = make(
        root / "core" / "src" / "test" / "resources" / "fixtures",
        root / "wavenet" / "src" / "test" / "resources" / "fixtures",
    )
    for p in written:
        print(f"wrote {p.relative_to(root)} ({p.stat().st_size:,} bytes)")
