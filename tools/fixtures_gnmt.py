"""Reference values from PyTorch for seq4j's attention and GNMT.

``make(core_dir, nmt_dir)`` writes two safetensors files (all tensors F32):

* ``core_dir/attention.safetensors``: GNMT's normalized Bahdanau attention (as NVIDIA's GNMT v2
  ``BahdanauAttention(normalize=True)``: ``g * v/||v|| . tanh(W_q q + W_k k + b)``) and Luong's
  "general" attention (``q^T W k``) over a padded batch of keys, queried at every target step at
  once: the query ``[B, T, Q]``, the keys ``[B, S, K]``, the lengths, the parameters (the names of
  ``org.seq4j.nn.Attention``), the context ``[B, T, K]``, the weights ``[B, T, S]`` (padding masked
  with -inf before the softmax), and the gradients of ``L = sum(context * R.context) +
  sum(weights * R.weights)`` with respect to every parameter, the query and the keys.
* ``nmt_dir/gnmt.safetensors``: small GNMT models (``GnmtReference`` below, whose state dict has
  the names of ``org.seq4j.nmt.Gnmt``), each with random weights, a padded source batch, the
  teacher-forced target inputs and outputs, the logits ``[B, T, V]``, the label-smoothed
  cross-entropy (``F.cross_entropy(..., ignore_index=PAD, label_smoothing=0.1)``) and its gradient
  with respect to every parameter, and the greedy translations of the sources (``-1`` after the
  end; EOS included when reached).

Tensor names are ``<case>.<what>``; integer inputs are stored as F32. Results are stored twice,
as PyTorch computes them in float32 (``<case>.<result>``) and in float64 from the same inputs and
weights (``<case>.f64.<result>``, rounded to F32). Each file's ``__metadata__`` lists its cases
and their settings. Every random value comes from a seeded generator.

Run directly to write the files into the test resources of ``core`` and ``nmt``.
"""

from __future__ import annotations

import copy
import math
import pathlib

import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from torch import nn
from torch.func import functional_call
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

PAD, BOS, EOS = 0, 2, 3
LABEL_SMOOTHING = 0.1


def _f32(t: torch.Tensor) -> torch.Tensor:
    return t.detach().to(torch.float32).contiguous()


def _save(path: pathlib.Path, tensors: dict, metadata: dict) -> None:
    save_file(
        {k: _f32(v) for k, v in tensors.items()},
        str(path),
        metadata={k: str(v) for k, v in metadata.items()},
    )


# ---------------------------------------------------------------------------------------
# Attention
# ---------------------------------------------------------------------------------------


class Attention(nn.Module):
    """``org.seq4j.nn.Attention``: normalized Bahdanau or Luong general, padding masked."""

    def __init__(self, kind: str, q: int, k: int, units: int):
        super().__init__()
        self.kind = kind
        if kind == "bahdanau":
            self.linear_q = nn.Linear(q, units, bias=False)
            self.linear_k = nn.Linear(k, units, bias=False)
            self.linear_att = nn.Parameter(torch.empty(units).uniform_(-0.1, 0.1))
            self.normalize_scalar = nn.Parameter(torch.tensor([1 / math.sqrt(units)]))
            self.normalize_bias = nn.Parameter(torch.zeros(units))
        else:
            self.linear_k = nn.Linear(k, q, bias=False)

    def forward(self, query, keys, lengths):
        steps = keys.shape[1]
        padding = torch.arange(steps)[None, :] >= lengths[:, None]  # [B, S]
        if self.kind == "bahdanau":
            pq = self.linear_q(query)  # [B, T, U]
            pk = self.linear_k(keys) + self.normalize_bias  # [B, S, U]
            v = self.normalize_scalar * self.linear_att / self.linear_att.norm()
            scores = torch.tanh(pq[:, :, None, :] + pk[:, None, :, :]) @ v  # [B, T, S]
        else:
            scores = query @ self.linear_k(keys).transpose(1, 2)
        scores = scores.masked_fill(padding[:, None, :], float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        return weights @ keys, weights


def _randomize(module: nn.Module, g: torch.Generator, scale: float) -> None:
    with torch.no_grad():
        for p in module.parameters():
            p.copy_((torch.rand(p.shape, generator=g) * 2 - 1) * scale)


ATTENTION_CASES = {
    # name -> (kind, Q, K, U, B, T, S, lengths)
    "bahdanau": ("bahdanau", 5, 6, 4, 3, 4, 5, [5, 2, 4]),
    "luong": ("luong", 5, 6, 5, 3, 4, 5, [5, 2, 4]),
}


def make_attention(path: pathlib.Path) -> None:
    g = torch.Generator().manual_seed(7)
    tensors, metadata = {}, {"cases": ",".join(ATTENTION_CASES)}
    for name, (kind, q, k, u, b, t, s, lengths) in ATTENTION_CASES.items():
        module = Attention(kind, q, k, u)
        _randomize(module, g, 1.0)
        query = torch.randn(b, t, q, generator=g)
        keys = torch.randn(b, s, k, generator=g)
        lens = torch.tensor(lengths)
        for i, n in enumerate(lengths):  # the keys of an encoder are zero past each length
            keys[i, n:] = 0
        r_context = torch.randn(b, t, k, generator=g)
        r_weights = torch.randn(b, t, s, generator=g)
        tensors.update(
            {
                f"{name}.query": query,
                f"{name}.keys": keys,
                f"{name}.lengths": lens,
                f"{name}.R.context": r_context,
                f"{name}.R.weights": r_weights,
            }
        )
        for key, p in module.named_parameters():
            tensors[f"{name}.param.{key}"] = p
        for dtype, prefix in ((torch.float32, ""), (torch.float64, "f64.")):
            m = copy.deepcopy(module).to(dtype)
            qq = query.detach().to(dtype).clone().requires_grad_(True)
            kk = keys.detach().to(dtype).clone().requires_grad_(True)
            context, weights = m(qq, kk, lens)
            loss = (context * r_context.to(dtype)).sum() + (weights * r_weights.to(dtype)).sum()
            loss.backward()
            tensors[f"{name}.{prefix}context"] = context
            tensors[f"{name}.{prefix}weights"] = weights
            tensors[f"{name}.{prefix}grad.query"] = qq.grad
            tensors[f"{name}.{prefix}grad.keys"] = kk.grad
            for key, p in m.named_parameters():
                tensors[f"{name}.{prefix}grad.{key}"] = p.grad
        metadata.update(
            {
                f"{name}.kind": kind,
                f"{name}.query_size": q,
                f"{name}.key_size": k,
                f"{name}.units": u,
            }
        )
    _save(path, tensors, metadata)


# ---------------------------------------------------------------------------------------
# GNMT
# ---------------------------------------------------------------------------------------


class EncoderLstm(nn.Module):
    """The parameters of seq4j's ``Lstm`` with a bidirectional first layer and residual
    connections from layer ``residual_from`` (counting from 1), run layer by layer with
    ``nn.LSTM`` on packed sequences."""

    def __init__(self, e: int, h: int, layers: int, residual_from: int):
        super().__init__()
        self.residual_from = residual_from
        self.templates = []  # plain list: not submodules, their own weights are never used
        for layer in range(layers):
            size = e if layer == 0 else (2 * h if layer == 1 else h)
            template = nn.LSTM(size, h, batch_first=True, bidirectional=layer == 0)
            self.templates.append(template)
            for key, p in template.named_parameters():
                self.register_parameter(key.replace("_l0", f"_l{layer}"), nn.Parameter(p.detach()))

    def forward(self, x, lengths):
        for layer, template in enumerate(self.templates):
            params = {
                key: getattr(self, key.replace("_l0", f"_l{layer}"))
                for key, _ in template.named_parameters()
            }
            packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            out, _ = functional_call(template, params, (packed,))
            y, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
            x = y + x if 0 < self.residual_from <= layer + 1 else y
        return x


class Decoder(nn.Module):
    """Bottom LSTM on the target embeddings (no input feeding), attention queried by its output
    (gnmt_v2: this step's; gnmt: the previous step's, the initial state at the first step), the
    context concatenated to the input of every upper layer, residuals from ``residual_from``."""

    def __init__(self, e, h, layers, kind, variant, residual_from):
        super().__init__()
        self.variant = variant
        self.residual_from = residual_from
        self.layers = nn.ModuleList(
            [nn.LSTM(e, h, batch_first=True)]
            + [nn.LSTM(2 * h, h, batch_first=True) for _ in range(layers - 1)]
        )
        self.attention = Attention(kind, h, h, h)

    def forward(self, emb, keys, src_lengths, state):
        bottom, s0 = self.layers[0](emb, state[0])
        if self.variant == "gnmt_v2":
            query = bottom
        else:
            query = torch.cat([state[0][0].transpose(0, 1), bottom[:, :-1]], dim=1)
        context, weights = self.attention(query, keys, src_lengths)
        x, new_state = bottom, [s0]
        for i in range(1, len(self.layers)):
            y, si = self.layers[i](torch.cat([x, context], dim=-1), state[i])
            x = y + x if 0 < self.residual_from <= i + 1 else y
            new_state.append(si)
        return x, weights, new_state


class Projection(nn.Module):
    def __init__(self, v, h, tied):
        super().__init__()
        if not tied:
            self.weight = nn.Parameter(torch.empty(v, h))
        self.bias = nn.Parameter(torch.empty(v))


class GnmtReference(nn.Module):
    """The GNMT of ``org.seq4j.nmt.Gnmt`` with its parameter names."""

    def __init__(self, cfg: dict):
        super().__init__()
        v, e, h = cfg["vocab"], cfg["embedding"], cfg["hidden"]
        self.cfg = cfg
        if cfg["shared_embedding"]:
            self.embedding = nn.Embedding(v, e)
        else:
            self.source_embedding = nn.Embedding(v, e)
            self.target_embedding = nn.Embedding(v, e)
        self.encoder = nn.Module()
        self.encoder.lstm = EncoderLstm(e, h, cfg["encoder_layers"], cfg["residual_from"])
        self.decoder = Decoder(
            e, h, cfg["decoder_layers"], cfg["attention"], cfg["query"], cfg["residual_from"]
        )
        self.projection = Projection(v, h, cfg["tied"])

    def source_table(self):
        return self.embedding if self.cfg["shared_embedding"] else self.source_embedding

    def target_table(self):
        return self.embedding if self.cfg["shared_embedding"] else self.target_embedding

    def encode(self, sources, lengths):
        return self.encoder.lstm(self.source_table()(sources), lengths)

    def zero_state(self, rows, dtype):
        h = self.cfg["hidden"]
        return [
            (torch.zeros(1, rows, h, dtype=dtype), torch.zeros(1, rows, h, dtype=dtype))
            for _ in range(self.cfg["decoder_layers"])
        ]

    def logits_of(self, top):
        w = self.target_table().weight if self.cfg["tied"] else self.projection.weight
        return F.linear(top, w, self.projection.bias)

    def forward(self, sources, lengths, target_inputs):
        keys = self.encode(sources, lengths)
        state = self.zero_state(sources.shape[0], keys.dtype)
        top, _, _ = self.decoder(self.target_table()(target_inputs), keys, lengths, state)
        return self.logits_of(top)

    @torch.no_grad()
    def greedy(self, sources, lengths, max_steps):
        """Greedy decoding one step at a time; returns the tokens and the smallest gap between
        the best and second-best log-probability met (how robust the argmax is)."""
        keys = self.encode(sources, lengths)
        rows = sources.shape[0]
        state = self.zero_state(rows, keys.dtype)
        token = torch.full((rows, 1), BOS)
        out = torch.full((rows, max_steps), -1)
        done = torch.zeros(rows, dtype=torch.bool)
        gap = float("inf")
        for t in range(max_steps):
            top, _, state = self.decoder(self.target_table()(token), keys, lengths, state)
            logp = torch.log_softmax(self.logits_of(top[:, 0]), dim=-1)
            best = logp.topk(2, dim=-1).values
            live = ~done
            gap = min(gap, (best[live, 0] - best[live, 1]).min().item())
            nxt = logp.argmax(-1)
            out[live, t] = nxt[live]
            done = done | (nxt == EOS)
            token = nxt[:, None]
            if done.all():
                break
        return out, gap


GNMT_CASES = {
    "gnmt_v2_bahdanau_tied": dict(
        seed=12,
        scale=1.5,
        attention="bahdanau",
        query="gnmt_v2",
        tied=True,
        shared_embedding=True,
        description="gnmt_v2 query, normalized Bahdanau, shared embedding, tied projection",
    ),
    "gnmt_luong_untied": dict(
        seed=12,
        scale=2.0,
        attention="luong",
        query="gnmt",
        tied=False,
        shared_embedding=False,
        description="gnmt query (previous step), Luong general, own embeddings and projection",
    ),
}

COMMON = dict(
    vocab=23, embedding=8, hidden=8, encoder_layers=4, decoder_layers=4, residual_from=3
)
SRC_LENGTHS = [7, 3, 5, 1]
TGT_LENGTHS = [4, 6, 2, 5]  # target tokens before EOS
MAX_GREEDY = 10


def _pad(rows, width, value):
    return torch.tensor([r + [value] * (width - len(r)) for r in rows])


def make_gnmt(path: pathlib.Path) -> None:
    tensors, metadata = {}, {"cases": ",".join(GNMT_CASES)}
    metadata.update(
        {"pad": PAD, "bos": BOS, "eos": EOS, "label_smoothing": LABEL_SMOOTHING, **COMMON}
    )
    for name, settings in GNMT_CASES.items():
        cfg = {**COMMON, **settings}
        g = torch.Generator().manual_seed(settings["seed"])
        model = GnmtReference(cfg)
        with torch.no_grad():
            for key, p in model.named_parameters():
                if key.endswith("normalize_scalar"):
                    p.fill_(1.5)
                elif "embedding" in key:
                    p.copy_(torch.randn(p.shape, generator=g))
                else:
                    # U(-scale, scale): large enough that greedy outputs differ between
                    # sources, small enough that float32 stays well-conditioned
                    p.copy_((torch.rand(p.shape, generator=g) * 2 - 1) * settings["scale"])
        v = cfg["vocab"]
        sources = [
            torch.randint(4, v, (n,), generator=g).tolist() for n in SRC_LENGTHS
        ]
        targets = [torch.randint(4, v, (n,), generator=g).tolist() for n in TGT_LENGTHS]
        src = _pad(sources, max(SRC_LENGTHS), PAD)
        src_len = torch.tensor(SRC_LENGTHS)
        width = max(TGT_LENGTHS) + 1
        tgt_in = _pad([[BOS] + t for t in targets], width, PAD)
        tgt_out = _pad([t + [EOS] for t in targets], width, PAD)
        tensors.update(
            {
                f"{name}.sources": src,
                f"{name}.source_lengths": src_len,
                f"{name}.target_inputs": tgt_in,
                f"{name}.target_outputs": tgt_out,
            }
        )
        for key, p in model.named_parameters():
            tensors[f"{name}.param.{key}"] = p
        for dtype, prefix in ((torch.float32, ""), (torch.float64, "f64.")):
            m = copy.deepcopy(model).to(dtype)
            logits = m(src, src_len, tgt_in)
            loss = F.cross_entropy(
                logits.reshape(-1, v),
                tgt_out.reshape(-1),
                ignore_index=PAD,
                label_smoothing=LABEL_SMOOTHING,
            )
            loss.backward()
            tensors[f"{name}.{prefix}logits"] = logits
            tensors[f"{name}.{prefix}loss"] = loss
            for key, p in m.named_parameters():
                tensors[f"{name}.{prefix}grad.{key}"] = p.grad
        greedy, gap = model.greedy(src, src_len, MAX_GREEDY)
        greedy64, _ = copy.deepcopy(model).double().greedy(src, src_len, MAX_GREEDY)
        assert torch.equal(greedy, greedy64), "float32 and float64 greedy outputs differ"
        assert gap > 1e-3, f"{name}: greedy argmax too close to call ({gap})"
        rel = lambda a, b: ((a - b).abs() / b.abs().clamp(min=1e-3)).max().item()
        drift = rel(tensors[f"{name}.logits"].double(), tensors[f"{name}.f64.logits"])
        assert drift < 1e-4, f"{name}: float32 logits {drift} from float64: ill-conditioned"
        tensors[f"{name}.greedy"] = greedy
        metadata.update({f"{name}.{k}": str(val).lower() for k, val in settings.items()})
        metadata[f"{name}.description"] = settings["description"]
        metadata[f"{name}.greedy_gap"] = f"{gap:.4f}"
        print(
            f"{name}: greedy {greedy.tolist()}, smallest top-2 gap {gap:.4f}, "
            f"float32 logits {drift:.2e} from float64"
        )
    _save(path, tensors, metadata)


def make(core_dir: pathlib.Path, nmt_dir: pathlib.Path) -> list:
    attention = core_dir / "attention.safetensors"
    gnmt = nmt_dir / "gnmt.safetensors"
    make_attention(attention)
    make_gnmt(gnmt)
    return [attention, gnmt]


if __name__ == "__main__":
    root = pathlib.Path(__file__).resolve().parent.parent
    for written in make(
        root / "core" / "src" / "test" / "resources" / "fixtures",
        root / "nmt" / "src" / "test" / "resources" / "fixtures",
    ):
        print(f"wrote {written.relative_to(root)} ({written.stat().st_size:,} bytes)")
