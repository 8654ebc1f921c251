#!/usr/bin/env python3
"""PyTorch peer for `seq4j bench wavenet`.

Speaks the protocol of peer_protocol.py, answering hello with {"peer": "wavenet", ...}. Every
request names the network (WaveNetConfig's fields) and a safetensors file that seq4j wrote from
WaveNet.stateDict(); its tensor names and layouts are the contract, so the file loads here with
load_state_dict(strict=True).

  {"op": "wavenet-train", "model": "b", "config": CONFIG, "weights": PATH, "threads": 1,
   "min_time_s": 0.2, "warm_up_s": 3.0, "batch": 2, "window": 2560, "seed": 1}
      -> {"op": "wavenet-train", "threads": 1, "us_per_op": 512345.6, "calls": 1, "seconds": 0.51}
  {"op": "wavenet-generate", "model": "b", "config": CONFIG, "weights": PATH, "threads": 1,
   "min_time_s": 0.2, "batch": 1, "samples": 200, "temperature": 1.0, "seed": 1}
      -> {"op": "wavenet-generate", "threads": 1, "us_per_op": 181234.5, ...}
  {"cmd": "check-train", "config": CONFIG, "weights": PATH, "windows": [[...], ...]}
      -> {"loss": 5.5432}
  {"cmd": "check-generate", "config": CONFIG, "weights": PATH, "inputs": [[...], ...]}
      -> {"logits": [[[...]]], "full_forward_max_abs_diff": 1.2e-07}

CONFIG is {"classes": 256, "residual": 64, "dilation": 64, "skip": 256, "kernel": 2,
"input_kernel": 2, "dilations": [1, 2, ...]} (unconditioned networks).

"wavenet-train" is one training step of the network in idiomatic PyTorch (nn.Conv1d layers with
dilation; filter and gate as separate convolutions; F.cross_entropy; torch.optim.Adam, lr 1e-3,
zero_grad, backward, step) on a fixed batch of random μ-law windows. Like seq4j's WaveNet.loss it
scores the positions whose receptive field lies inside the window and computes only those: the
convolutions run without padding, each layer's output shrinking by its (k-1)·d, and each layer's
skip convolution covers only the scored positions, so both sides do the same arithmetic. "wavenet-generate" is one fresh generation of `samples` samples per clip,
primed with one silence class (the middle class), by the Fast WaveNet algorithm (Paine et al.
2016): per layer a queue (collections.deque) of its past inputs, and per sample and layer one
concatenation of the taps, one F.linear for filter and gate, tanh, sigmoid, product, and F.linear
for skip and residual; then the head and torch.multinomial on the softmax (argmax at temperature
0). Everything runs under torch.inference_mode().

"check-generate" feeds the given inputs (teacher forcing) through the same generator and returns
the logits after each input, so that seq4j can compare them with its own; it also compares them
with the network's full causal forward pass (left-padded convolutions) on the same inputs.
"check-train" returns the loss of the given windows.
"""

import collections
import json

import torch
import torch.nn.functional as F
from safetensors.torch import load_file
from torch import nn

from peer_protocol import MeasuringPeer, op_of, positive_int, serve

OPS = ("wavenet-train", "wavenet-generate")
CASE_FIELDS = (
    "op",
    "config",
    "weights",
    "batch",
    "window",
    "samples",
    "temperature",
    "seed",
)
LEARNING_RATE = 1e-3


class Config:
    """The network's shape, from a request's "config" object."""

    def __init__(self, c):
        self.classes = int(c["classes"])
        self.residual = int(c["residual"])
        self.dilation_channels = int(c["dilation"])
        self.skip = int(c["skip"])
        self.kernel = int(c["kernel"])
        self.input_kernel = int(c["input_kernel"])
        self.dilations = [int(d) for d in c["dilations"]]
        if min(self.classes, self.residual, self.dilation_channels, self.skip, self.kernel,
               self.input_kernel, min(self.dilations)) < 1:
            raise ValueError("config sizes must be positive: %r" % c)

    def receptive_field(self):
        return self.input_kernel + sum((self.kernel - 1) * d for d in self.dilations)


class GatedResidualLayer(nn.Module):
    def __init__(self, cfg, dilation):
        super().__init__()
        r, d, s, k = cfg.residual, cfg.dilation_channels, cfg.skip, cfg.kernel
        self.dilation = dilation
        self.left = (k - 1) * dilation
        self.filter = nn.Conv1d(r, d, k, dilation=dilation)
        self.gate = nn.Conv1d(r, d, k, dilation=dilation)
        self.residual = nn.Conv1d(d, r, 1)
        self.skip = nn.Conv1d(d, s, 1)

    def forward(self, h, causal, skip_steps, with_residual=True):
        """h [B, R, T] -> (h', skip). Causal: left-padded, same length; else (k-1)·d shorter.

        The skip output covers only the last skip_steps steps, those that reach the logits.
        """
        x = F.pad(h, (self.left, 0)) if causal else h
        z = torch.tanh(self.filter(x)) * torch.sigmoid(self.gate(x))
        skip = self.skip(z[:, :, z.size(2) - skip_steps:])
        if not with_residual:
            return None, skip
        return h[:, :, h.size(2) - z.size(2):] + self.residual(z), skip


class Head(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.conv1 = nn.Conv1d(cfg.skip, cfg.skip, 1)
        self.conv2 = nn.Conv1d(cfg.skip, cfg.classes, 1)

    def forward(self, skip):
        return self.conv2(F.relu(self.conv1(F.relu(skip))))


class WaveNet(nn.Module):
    """The network of WaveNetConfig, with its parameter names."""

    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.input = nn.Conv1d(cfg.classes, cfg.residual, cfg.input_kernel)
        self.layers = nn.ModuleList(GatedResidualLayer(cfg, d) for d in cfg.dilations)
        self.head = Head(cfg)

    def logits(self, x, causal):
        """x [B, T] classes -> logits [B, Q, T'] (T' = T causal, else T - field + 1)."""
        steps = x.size(1) if causal else x.size(1) - self.cfg.receptive_field() + 1
        h = F.one_hot(x, self.cfg.classes).transpose(1, 2).float()
        if causal:
            h = F.pad(h, (self.cfg.input_kernel - 1, 0))
        h = self.input(h)
        skip = 0
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            h, s = layer(h, causal, steps, with_residual=i < last)
            skip = skip + s
        return self.head(skip)

    def loss(self, window):
        """Mean cross-entropy of the logit at t against x[t + 1] where the field is full."""
        field = self.cfg.receptive_field()
        logits = self.logits(window[:, :-1], causal=False)
        return F.cross_entropy(logits, window[:, field:])


def load_model(request):
    cfg = Config(request["config"])
    model = WaveNet(cfg)
    model.load_state_dict(load_file(request["weights"]), strict=True)
    return model


class FastGenerator:
    """Fast WaveNet generation: per-layer queues of past inputs, O(layers) work per sample."""

    def __init__(self, model):
        cfg = model.cfg
        self.cfg = cfg
        k = cfg.kernel
        with torch.no_grad():
            w = model.input.weight  # [R, Q, ik] -> [R, ik·Q], tap-major
            self.input_weight = w.permute(0, 2, 1).reshape(cfg.residual, -1).contiguous()
            self.input_bias = model.input.bias.detach().clone()
            self.layers = []
            for layer in model.layers:
                both = torch.cat([layer.filter.weight, layer.gate.weight], 0)  # [2D, R, k]
                self.layers.append((
                    layer.dilation,
                    both.permute(0, 2, 1).reshape(both.size(0), -1).contiguous(),  # [2D, k·R]
                    torch.cat([layer.filter.bias, layer.gate.bias]).clone(),
                    layer.residual.weight[:, :, 0].clone(),
                    layer.residual.bias.clone(),
                    layer.skip.weight[:, :, 0].clone(),
                    layer.skip.bias.clone(),
                ))
            self.head1 = (model.head.conv1.weight[:, :, 0].clone(), model.head.conv1.bias.clone())
            self.head2 = (model.head.conv2.weight[:, :, 0].clone(), model.head.conv2.bias.clone())
        self.kernel = k

    def start(self, batch):
        """Empty queues (zeros: causal padding) and no earlier inputs."""
        cfg = self.cfg
        zero = torch.zeros(batch, cfg.residual)
        self.queues = [
            collections.deque([zero] * ((self.kernel - 1) * d), maxlen=(self.kernel - 1) * d)
            for d, *_ in self.layers
        ]
        no_input = torch.zeros(batch, cfg.classes)
        self.history = collections.deque(
            [no_input] * cfg.input_kernel, maxlen=cfg.input_kernel)

    def feed(self, classes):
        """classes [B] int64 -> logits [B, Q] predicting the next sample."""
        k = self.kernel
        self.history.append(F.one_hot(classes, self.cfg.classes).float())
        h = F.linear(torch.cat(list(self.history), 1), self.input_weight, self.input_bias)
        skip = None
        last = len(self.layers) - 1
        for i, (d, w, b, wr, br, ws, bs) in enumerate(self.layers):
            queue = self.queues[i]
            taps = [queue[j * d] for j in range(k - 1)] + [h]
            f, g = F.linear(torch.cat(taps, 1), w, b).chunk(2, 1)
            z = torch.tanh(f) * torch.sigmoid(g)
            s = F.linear(z, ws, bs)
            skip = s if skip is None else skip + s
            if queue.maxlen:
                queue.append(h)
            if i < last:
                h = h + F.linear(z, wr, br)
        hidden = F.relu(F.linear(F.relu(skip), *self.head1))
        return F.linear(hidden, *self.head2)

    def generate(self, samples, batch, temperature, generator):
        self.start(batch)
        x = torch.full((batch,), self.cfg.classes // 2, dtype=torch.int64)
        out = []
        for _ in range(samples):
            logits = self.feed(x)
            if temperature <= 0:
                x = logits.argmax(1)
            else:
                p = F.softmax(logits / temperature, 1)
                x = torch.multinomial(p, 1, generator=generator).squeeze(1)
            out.append(x)
        return torch.stack(out, 1)


def make_step(request):
    """Builds the model and data of one case and returns the call that the rounds time."""
    op = op_of(request, OPS)
    model = load_model(request)
    batch = positive_int(request, "batch")
    seed = int(request.get("seed", 1))
    if op == "wavenet-train":
        window = positive_int(request, "window")
        if window <= model.cfg.receptive_field():
            raise ValueError("window %d must exceed the receptive field %d"
                             % (window, model.cfg.receptive_field()))
        model.train()
        torch.manual_seed(seed)
        x = torch.randint(0, model.cfg.classes, (batch, window))
        optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)

        def train_step():
            optimizer.zero_grad()
            model.loss(x).backward()
            optimizer.step()

        return train_step

    model.eval()
    samples = positive_int(request, "samples")
    temperature = float(request.get("temperature", 1.0))
    fast = FastGenerator(model)
    generator = torch.Generator().manual_seed(seed)

    def generate():
        with torch.inference_mode():
            fast.generate(samples, batch, temperature, generator)

    return generate


def check_train(request):
    model = load_model(request)
    x = torch.tensor(request["windows"], dtype=torch.int64)
    with torch.no_grad():
        return {"loss": model.loss(x).item()}


def check_generate(request):
    model = load_model(request).eval()
    x = torch.tensor(request["inputs"], dtype=torch.int64)  # [B, T]
    fast = FastGenerator(model)
    with torch.inference_mode():
        fast.start(x.size(0))
        logits = torch.stack([fast.feed(x[:, t]) for t in range(x.size(1))], 1)  # [B, T, Q]
        full = model.logits(x, causal=True).transpose(1, 2)
        diff = (logits - full).abs().max().item()
    return {"logits": logits.tolist(), "full_forward_max_abs_diff": diff}


class WaveNetPeer(MeasuringPeer):
    CHECKS = {"check-train": check_train, "check-generate": check_generate}

    def handle(self, request):
        check = self.CHECKS.get(request.get("cmd"))
        if check is not None:
            return check(request)
        return super().handle(request)


def case_key(request):
    """The case a request describes, as a string of its CASE_FIELDS."""
    return json.dumps([request.get(f) for f in CASE_FIELDS], sort_keys=True)


def main():
    # NNPACK cannot start on CPUs it does not know; libtorch then warns on every convolution.
    torch.backends.nnpack.set_flags(False)
    serve(WaveNetPeer("wavenet", case_key, make_step))


if __name__ == "__main__":
    main()
