"""Reference values from PyTorch for seq4j's temporal convolutional network (``org.seq4j.nn.Tcn``).

``make(core_dir)`` writes ``core_dir/tcn.safetensors`` (all tensors F32): small
``TemporalConvNet``s, exactly the reference code of Bai, Kolter and Koltun (2018),
``locuslab/TCN``, ``TCN/tcn.py`` (``TemporalBlock``: two ``weight_norm``-ed dilated convolutions
padded on both sides and chomped on the right, each with ReLU and dropout, a 1x1 ``downsample``
convolution on the residual path when the widths differ, ``relu(out + res)``; block ``i`` with
dilation ``2**i``), with dropout off, for kernels 2 and 3, two and three blocks, with and without
downsample convolutions, one whose receptive field is longer than its input.

Each case's parameters are drawn afresh (``U(-0.5, 0.5)``; ``weight_g`` from ``U(0.5, 1.5)``,
so that ``g != ||v||``) and stored under the names of the reference's state dict without the
aliases its ``nn.Sequential`` adds (``network.<i>.conv1.weight_g``, ``.weight_v``, ``.bias``,
``network.<i>.conv2.*``, ``network.<i>.downsample.weight``, ``.bias``): what
``safetensors.torch.save_model`` writes.

For every case the loss is ``L = sum(output * R)`` with fixed random weights ``R``. Tensor names
are ``<case>.<what>``: the input ``x [B, C, T]``, ``param.<name>``, ``R.output``, and the results
``output`` and ``grad.<name>`` for every parameter and ``grad.x``. Every result is stored twice,
as PyTorch computes it in float32 (``<case>.<result>``) and in float64 from the same inputs and
weights (``<case>.f64.<result>``, rounded to F32). The ``__metadata__`` lists the cases and their
settings (``inputs``, ``channels``, ``kernel``, ``receptive_field``). Every random value comes from
a seeded generator.

Run directly to write the file into the test resources of ``core``.
"""

from __future__ import annotations

import pathlib
import warnings

import torch
from safetensors.torch import save_file
from torch import nn
from torch.nn.utils import weight_norm

BATCH = 2


def _f32(t: torch.Tensor) -> torch.Tensor:
    return t.detach().to(torch.float32).contiguous()


# ---------------------------------------------------------------------------------------
# The reference, as in locuslab/TCN TCN/tcn.py
# ---------------------------------------------------------------------------------------


class Chomp1d(nn.Module):
    def __init__(self, chomp_size):
        super().__init__()
        self.chomp_size = chomp_size

    def forward(self, x):
        return x[:, :, : -self.chomp_size].contiguous()


class TemporalBlock(nn.Module):
    def __init__(self, n_inputs, n_outputs, kernel_size, stride, dilation, padding, dropout=0.2):
        super().__init__()
        self.conv1 = weight_norm(
            nn.Conv1d(
                n_inputs, n_outputs, kernel_size, stride=stride, padding=padding, dilation=dilation
            )
        )
        self.chomp1 = Chomp1d(padding)
        self.relu1 = nn.ReLU()
        self.dropout1 = nn.Dropout(dropout)

        self.conv2 = weight_norm(
            nn.Conv1d(
                n_outputs, n_outputs, kernel_size, stride=stride, padding=padding, dilation=dilation
            )
        )
        self.chomp2 = Chomp1d(padding)
        self.relu2 = nn.ReLU()
        self.dropout2 = nn.Dropout(dropout)

        self.net = nn.Sequential(
            self.conv1, self.chomp1, self.relu1, self.dropout1,
            self.conv2, self.chomp2, self.relu2, self.dropout2,
        )
        self.downsample = nn.Conv1d(n_inputs, n_outputs, 1) if n_inputs != n_outputs else None
        self.relu = nn.ReLU()
        self.init_weights()

    def init_weights(self):
        self.conv1.weight.data.normal_(0, 0.01)
        self.conv2.weight.data.normal_(0, 0.01)
        if self.downsample is not None:
            self.downsample.weight.data.normal_(0, 0.01)

    def forward(self, x):
        out = self.net(x)
        res = x if self.downsample is None else self.downsample(x)
        return self.relu(out + res)


class TemporalConvNet(nn.Module):
    def __init__(self, num_inputs, num_channels, kernel_size=2, dropout=0.2):
        super().__init__()
        layers = []
        num_levels = len(num_channels)
        for i in range(num_levels):
            dilation_size = 2**i
            in_channels = num_inputs if i == 0 else num_channels[i - 1]
            out_channels = num_channels[i]
            layers += [
                TemporalBlock(
                    in_channels, out_channels, kernel_size, stride=1, dilation=dilation_size,
                    padding=(kernel_size - 1) * dilation_size, dropout=dropout,
                )
            ]
        self.network = nn.Sequential(*layers)

    def forward(self, x):
        return self.network(x)


# ---------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------

# name -> (inputs, channels, kernel, T)
CASES = {
    "k2_3blocks_downsample": (3, [4, 4, 5], 2, 12),
    "k3_2blocks_same_width": (4, [4, 4], 3, 14),
    "k2_2blocks_narrowing": (5, [3, 3], 2, 9),
    "k3_3blocks_field_longer_than_input": (2, [3, 3, 3], 3, 16),
}


def receptive_field(kernel: int, levels: int) -> int:
    return 1 + 2 * (kernel - 1) * (2**levels - 1)


def _randomize(net: nn.Module, g: torch.Generator) -> None:
    with torch.no_grad():
        for name, p in net.named_parameters():
            u = torch.rand(p.shape, generator=g)
            p.copy_(u + 0.5 if name.endswith("weight_g") else u - 0.5)


def _build(inputs: int, channels: list, kernel: int) -> TemporalConvNet:
    torch.manual_seed(0)  # the values are replaced; this only keeps the build deterministic
    return TemporalConvNet(inputs, channels, kernel_size=kernel, dropout=0.2)


def _results(net: nn.Module, build, x: torch.Tensor, r: torch.Tensor, dtype) -> dict:
    # A weight_norm-ed module cannot be deep-copied: a fresh one gets the same state dict.
    m = build().to(dtype).eval()  # dropout off
    m.load_state_dict(net.state_dict())
    xx = x.detach().to(dtype).requires_grad_(True)
    y = m(xx)
    (y * r.to(dtype)).sum().backward()
    out = {"output": y.detach(), "grad.x": xx.grad}
    for k, p in m.named_parameters():
        out[f"grad.{k}"] = p.grad
    return out


def make_tcn(path: pathlib.Path) -> None:
    g = torch.Generator().manual_seed(11)
    tensors, metadata = {}, {"cases": ",".join(CASES)}
    for name, (inputs, channels, kernel, steps) in CASES.items():
        def build(inputs=inputs, channels=channels, kernel=kernel):
            return _build(inputs, channels, kernel)

        net = build()
        _randomize(net, g)
        x = torch.randn(BATCH, inputs, steps, generator=g)
        r = torch.randn(BATCH, channels[-1], steps, generator=g)
        tensors[f"{name}.x"] = x
        tensors[f"{name}.R.output"] = r
        for k, p in net.named_parameters():  # the state dict less its nn.Sequential aliases
            tensors[f"{name}.param.{k}"] = p
        for prefix, dtype in (("", torch.float32), ("f64.", torch.float64)):
            for k, v in _results(net, build, x, r, dtype).items():
                tensors[f"{name}.{prefix}{k}"] = v
        field = receptive_field(kernel, len(channels))
        metadata.update(
            {
                f"{name}.inputs": inputs,
                f"{name}.channels": ",".join(str(c) for c in channels),
                f"{name}.kernel": kernel,
                f"{name}.receptive_field": field,
                f"{name}.description": f"TemporalConvNet({inputs}, {channels}, kernel_size="
                f"{kernel}), T={steps}, receptive field {field}",
            }
        )
    save_file(
        {k: _f32(v) for k, v in tensors.items()},
        str(path),
        metadata={k: str(v) for k, v in metadata.items()},
    )


def make(core_dir: pathlib.Path) -> list[pathlib.Path]:
    """Writes tcn.safetensors into core_dir."""
    core_dir = pathlib.Path(core_dir)
    core_dir.mkdir(parents=True, exist_ok=True)
    path = core_dir / "tcn.safetensors"
    with warnings.catch_warnings():  # torch.nn.utils.weight_norm is deprecated; it is the reference
        warnings.simplefilter("ignore", FutureWarning)
        make_tcn(path)
    return [path]


if __name__ == "__main__":
    root = pathlib.Path(__file__).resolve().parent.parent
    for p in make(root / "core" / "src" / "test" / "resources" / "fixtures"):
        print(f"wrote {p.relative_to(root)} ({p.stat().st_size:,} bytes)")
