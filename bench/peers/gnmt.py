#!/usr/bin/env python3
"""PyTorch peer for `seq4j bench nmt`: the GNMT of org.seq4j.nmt.Gnmt, trained and decoded in
idiomatic PyTorch.

Speaks the protocol of peer_protocol.py, answering hello with {"peer": "gnmt", ...}. Every request
names the model and the data:

  "weights": a safetensors file written by seq4j (org.seq4j.nmt.Gnmt#stateDict, PyTorch names),
  "config": {"vocab", "embedding", "hidden", "encoder_layers", "decoder_layers", "dropout",
             "attention": "bahdanau"|"luong", "query": "gnmt_v2"|"gnmt", "residual_from",
             "tied", "shared_embedding", "pad", "bos", "eos"},
  "sources": [[ids...], ...] (and "targets" for training), without BOS/EOS.

Measurements (timed as peer_protocol.run_round):

  {"op": "nmt-train", "threads": 1, "min_time_s": 0.2, ..., "label_smoothing": 0.1, "lr": 1e-3}
      one training step on the batch: forward in training mode (dropout on), label-smoothed
      cross-entropy over the non-PAD targets, backward, Adam step, zero_grad. The model keeps
      training from call to call.
  {"op": "nmt-translate", ..., "beam": 5, "alpha": 0.6, "beta": 0.2, "prune_width": 3.0,
   "max_tokens": [...]}
      beam_search() of the sources under torch.inference_mode(); max_tokens holds the most
      tokens before EOS of each source (seq4j's rule, min(2 |X| + 10, 256) by default).

Checks (answered once, untimed):

  {"cmd": "loss", ...}       -> {"loss": x}: the mean loss of the batch in eval mode (no dropout)
  {"cmd": "translate", ..., "dtype": "float32"|"float64"}
                             -> {"translations": [[ids...], ...], "tokens": N}: the best
                                hypothesis of each source without EOS; N counts EOS too (|Y|)
"""

import json

import torch
import torch.nn.functional as F
from safetensors.torch import load_file
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from peer_protocol import MeasuringPeer, op_of, serve

OPS = ("nmt-train", "nmt-translate")
CASE_FIELDS = (
    "op",
    "weights",
    "config",
    "sources",
    "targets",
    "label_smoothing",
    "lr",
    "beam",
    "alpha",
    "beta",
    "prune_width",
    "max_tokens",
    "seed",
)


# ---------------------------------------------------------------------------------------------
# The model


class Attention(nn.Module):
    """Normalized Bahdanau (g * v/||v|| . tanh(W_q q + W_k k + b)) or Luong general (q^T W k)
    over the real source positions; the key side is computed once per batch by memory()."""

    def __init__(self, kind, q, k, units):
        super().__init__()
        self.kind = kind
        if kind == "bahdanau":
            self.linear_q = nn.Linear(q, units, bias=False)
            self.linear_k = nn.Linear(k, units, bias=False)
            self.linear_att = nn.Parameter(torch.empty(units))
            self.normalize_scalar = nn.Parameter(torch.empty(1))
            self.normalize_bias = nn.Parameter(torch.empty(units))
        else:
            self.linear_k = nn.Linear(k, q, bias=False)

    def memory(self, keys, lengths):
        """(keys [B, S, K], their projection, padding [B, S] True past each length)."""
        projected = self.linear_k(keys)
        if self.kind == "bahdanau":
            projected = projected + self.normalize_bias
        padding = torch.arange(keys.shape[1])[None, :] >= lengths[:, None]
        return keys, projected, padding

    def forward(self, query, memory):
        """query [B, T, Q] -> context [B, T, K], weights [B, T, S]."""
        keys, projected, padding = memory
        if self.kind == "bahdanau":
            v = self.normalize_scalar * self.linear_att / self.linear_att.norm()
            hidden = torch.tanh(self.linear_q(query)[:, :, None, :] + projected[:, None, :, :])
            scores = hidden @ v
        else:
            scores = query @ projected.transpose(1, 2)
        scores = scores.masked_fill(padding[:, None, :], float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        return weights @ keys, weights


class Encoder(nn.Module):
    """A bidirectional first layer over the packed sequences, unidirectional layers above it on
    the padded batch (as NVIDIA's GNMT v2: their outputs past a length are never attended to),
    residual connections from layer residual_from (counting from 1), dropout between layers."""

    def __init__(self, e, h, layers, residual_from, dropout):
        super().__init__()
        self.residual_from = residual_from
        self.dropout = nn.Dropout(dropout)
        self.layers = nn.ModuleList(
            [nn.LSTM(e, h, batch_first=True, bidirectional=True)]
            + [nn.LSTM(2 * h if i == 1 else h, h, batch_first=True) for i in range(1, layers)]
        )

    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        y, _ = self.layers[0](packed)
        x, _ = pad_packed_sequence(y, batch_first=True, total_length=x.shape[1])
        for i in range(1, len(self.layers)):
            x = self.dropout(x)
            y, _ = self.layers[i](x)
            x = y + x if 0 < self.residual_from <= i + 1 else y
        return x


class Decoder(nn.Module):
    """The bottom LSTM reads the target embeddings; its output (gnmt_v2), or that of the step
    before (gnmt), queries the attention; every upper layer reads [x; context], with dropout on x
    and residuals from residual_from."""

    def __init__(self, e, h, layers, kind, query, residual_from, dropout):
        super().__init__()
        self.query = query
        self.residual_from = residual_from
        self.dropout = nn.Dropout(dropout)
        self.layers = nn.ModuleList(
            [nn.LSTM(e, h, batch_first=True)]
            + [nn.LSTM(2 * h, h, batch_first=True) for _ in range(layers - 1)]
        )
        self.attention = Attention(kind, h, h, h)

    def forward(self, y, memory, state):
        """y [B, T, E]; state: one (h, c) per layer, each [1, B, H]."""
        bottom, s0 = self.layers[0](y, state[0])
        if self.query == "gnmt_v2":
            query = bottom
        else:
            query = torch.cat([state[0][0].transpose(0, 1), bottom[:, :-1]], dim=1)
        context, weights = self.attention(query, memory)
        x, new_state = bottom, [s0]
        for i in range(1, len(self.layers)):
            out, si = self.layers[i](torch.cat([self.dropout(x), context], dim=-1), state[i])
            x = out + x if 0 < self.residual_from <= i + 1 else out
            new_state.append(si)
        return x, weights, new_state


class Gnmt(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        v, e, h = cfg["vocab"], cfg["embedding"], cfg["hidden"]
        self.cfg = cfg
        self.dropout = nn.Dropout(cfg["dropout"])
        if cfg["shared_embedding"]:
            self.embedding = nn.Embedding(v, e)
        else:
            self.source_embedding = nn.Embedding(v, e)
            self.target_embedding = nn.Embedding(v, e)
        self.encoder = Encoder(e, h, cfg["encoder_layers"], cfg["residual_from"], cfg["dropout"])
        self.decoder = Decoder(
            e,
            h,
            cfg["decoder_layers"],
            cfg["attention"],
            cfg["query"],
            cfg["residual_from"],
            cfg["dropout"],
        )
        self.projection = nn.Linear(h, v)
        if cfg["tied"]:
            self.projection.weight = self.target_table().weight

    def source_table(self):
        return self.embedding if self.cfg["shared_embedding"] else self.source_embedding

    def target_table(self):
        return self.embedding if self.cfg["shared_embedding"] else self.target_embedding

    def encode(self, sources, lengths):
        keys = self.encoder(self.dropout(self.source_table()(sources)), lengths)
        return self.decoder.attention.memory(keys, lengths)

    def zero_state(self, rows, like):
        h = self.cfg["hidden"]
        zeros = like.new_zeros(1, rows, h)
        return [(zeros, zeros)] * self.cfg["decoder_layers"]

    def forward(self, sources, lengths, target_inputs):
        memory = self.encode(sources, lengths)
        y = self.dropout(self.target_table()(target_inputs))
        top, _, _ = self.decoder(y, memory, self.zero_state(sources.shape[0], memory[0]))
        return self.projection(top)

    def step(self, tokens, memory, state):
        """One token per row: log-probabilities [R, V], attention [R, S], the new state."""
        y = self.target_table()(tokens)[:, None, :]
        top, weights, state = self.decoder(y, memory, state)
        return torch.log_softmax(self.projection(top[:, 0]), dim=-1), weights[:, 0], state


def seq4j_to_torch_names(state_dict, cfg):
    """seq4j's names -> this module's: the encoder's one multi-layer LSTM becomes one nn.LSTM per
    layer (encoder.lstm.weight_ih_l2 -> encoder.layers.2.weight_ih_l0); a tied projection has
    only its bias; everything else keeps its name."""
    out = {}
    for name, tensor in state_dict.items():
        if name.startswith("encoder.lstm."):
            key = name[len("encoder.lstm."):]
            kind, layer = key.rsplit("_l", 1)
            suffix = ""
            if layer.endswith("_reverse"):
                layer, suffix = layer[: -len("_reverse")], "_reverse"
            name = "encoder.layers.%s.%s_l0%s" % (layer, kind, suffix)
        out[name] = tensor
    if cfg["tied"]:
        out["projection.weight"] = out[
            "embedding.weight" if cfg["shared_embedding"] else "target_embedding.weight"
        ]
    return out


def load_model(weights, cfg, dtype=torch.float32):
    cfg = dict(cfg)
    model = Gnmt(cfg)
    state = seq4j_to_torch_names(load_file(weights), cfg)
    model.load_state_dict(state, strict=True)
    return model.to(dtype)


def _pad(rows, value, extra_front=None):
    width = max(1, max(len(r) for r in rows) + (1 if extra_front is not None else 0))
    out = torch.full((len(rows), width), value, dtype=torch.int64)
    for i, r in enumerate(rows):
        row = ([extra_front] if extra_front is not None else []) + list(r)
        out[i, : len(row)] = torch.tensor(row, dtype=torch.int64)
    return out


def make_batch(sources, targets, cfg):
    """Padded sources [B, S] and lengths, target inputs (BOS y) and outputs (y EOS) [B, T]."""
    src = _pad(sources, cfg["pad"])
    lengths = torch.tensor([len(s) for s in sources], dtype=torch.int64)
    tgt_in = _pad(targets, cfg["pad"], extra_front=cfg["bos"])
    tgt_out = _pad([list(t) + [cfg["eos"]] for t in targets], cfg["pad"])
    return src, lengths, tgt_in, tgt_out


def batch_loss(model, batch, label_smoothing):
    src, lengths, tgt_in, tgt_out = batch
    logits = model(src, lengths, tgt_in)
    return F.cross_entropy(
        logits.reshape(-1, logits.shape[-1]),
        tgt_out.reshape(-1),
        ignore_index=model.cfg["pad"],
        label_smoothing=label_smoothing,
    )


# ---------------------------------------------------------------------------------------------
# Beam search


def length_penalty(length, alpha):
    """GNMT's lp = ((5 + |Y|) / 6)^alpha, a tensor or a number."""
    return ((5.0 + length) / 6.0) ** alpha


@torch.inference_mode()
def beam_search(model, sources, beam, alpha, beta, prune_width, max_tokens):
    """Batched beam search with GNMT's score s = log P / lp(|Y|) + cp, as org.seq4j.nmt.BeamSearch:
    |Y| counts EOS; cp = beta * sum over the real source positions of log(min(coverage, 1)),
    applied to finished hypotheses only; a candidate ending in EOS among a sentence's top `beam`
    finishes; the best `beam` others live on unless their log-probability is more than
    prune_width * lp(t) below the best one; a sentence's last step, max_tokens + 1, allows only
    EOS; a sentence stops once its best finished score is at least every live hypothesis's bound
    L / lp(max steps), or nothing lives. Each sentence keeps `beam` rows (dead ones at -inf).

    Returns the best hypothesis of each source, without EOS."""
    cfg = model.cfg
    eos, vocab = cfg["eos"], cfg["vocab"]
    n, k = len(sources), beam
    lengths = torch.tensor([len(s) for s in sources], dtype=torch.int64)
    if int(lengths.min()) < 1:
        raise ValueError("every source needs at least one token")
    memory = model.encode(_pad(sources, cfg["pad"]), lengths)
    width = memory[0].shape[1]
    real = ~memory[2]  # [n, S]
    if len(max_tokens) != n:
        raise ValueError("max_tokens: one per source (%d), got %d" % (n, len(max_tokens)))
    max_steps = torch.tensor(max_tokens, dtype=torch.int64) + 1

    rows = torch.arange(n).repeat_interleave(k)
    memory = tuple(x.index_select(0, rows) for x in memory)
    state = model.zero_state(n * k, memory[0])
    tokens = torch.full((n * k,), cfg["bos"], dtype=torch.int64)
    log_p = torch.full((n, k), float("-inf"), dtype=memory[0].dtype)
    log_p[:, 0] = 0  # one live hypothesis per sentence at the start
    coverage = memory[0].new_zeros(n, k, width)
    prefixes = torch.zeros(n, k, 0, dtype=torch.int64)
    best_score = torch.full((n,), float("-inf"), dtype=torch.float64)
    best = [None] * n
    alive = torch.arange(n)  # the sentences still decoding, in batch order

    t = 0
    while alive.numel() > 0:
        t += 1
        m = alive.numel()
        step_log_p, attention, state = model.step(tokens, memory, state)
        step_log_p = step_log_p.view(m, k, vocab)
        cov = coverage + attention.view(m, k, width)  # each row's coverage with this step
        cand = log_p[:, :, None] + step_log_p  # [m, k, V]
        lp = length_penalty(t, alpha)
        last = max_steps[alive] <= t

        def finish(sentence_rows, row_ids, scores_log_p):
            """Scores finished hypotheses (row, log P) and keeps each sentence's best."""
            c = cov[sentence_rows, row_ids]  # [F, S]
            penalty = torch.where(
                real[alive[sentence_rows]], torch.log(c.clamp(max=1.0)), torch.zeros_like(c)
            ).sum(-1, dtype=torch.float64)
            score = scores_log_p.double() / lp + beta * penalty
            for j in range(score.numel()):
                s = int(alive[sentence_rows[j]])
                if score[j] > best_score[s]:
                    best_score[s] = score[j]
                    best[s] = prefixes[sentence_rows[j], row_ids[j]].tolist()

        # Sentences at their last step: every live row ends with EOS.
        if last.any():
            srows, rids = torch.nonzero(last[:, None] & torch.isfinite(log_p), as_tuple=True)
            finish(srows, rids, cand[srows, rids, eos])

        # The others: candidates over (row, token), best first; 2k hold k that are not EOS.
        top_log_p, top_index = cand.view(m, k * vocab).topk(min(2 * k, k * vocab), dim=-1)
        top_row, top_token = top_index // vocab, top_index % vocab
        finite = torch.isfinite(top_log_p)
        is_eos = top_token == eos
        ended = is_eos[:, :k] & finite[:, :k] & ~last[:, None]
        if ended.any():
            srows, ranks = torch.nonzero(ended, as_tuple=True)
            finish(srows, top_row[srows, ranks], top_log_p[srows, ranks])

        # Live: the first k non-EOS candidates within the prune width of the best of them.
        candidate = finite & ~is_eos
        order = torch.sort((~candidate).to(torch.int8), dim=1, stable=True).indices[:, :k]
        next_log_p = top_log_p.gather(1, order)
        keep = candidate.gather(1, order)
        best_live = next_log_p[:, :1]
        keep &= (best_live - next_log_p) / lp <= prune_width
        next_log_p = next_log_p.masked_fill(~keep, float("-inf"))
        parent = top_row.gather(1, order)
        next_token = top_token.gather(1, order)

        # Stop a sentence whose best finished score no extension can beat, or with nothing live.
        bound_lp = length_penalty(max_steps[alive].double(), alpha)
        live_p = next_log_p.double()
        bound = torch.where(
            live_p <= 0, live_p / bound_lp[:, None], live_p / length_penalty(t + 1, alpha)
        )
        bound = bound.masked_fill(~keep, float("-inf")).max(dim=1).values
        done = last | ~keep.any(dim=1) | (best_score[alive] >= bound)

        # Advance the rows of the sentences that go on.
        go = torch.nonzero(~done, as_tuple=True)[0]
        flat_parent = (go[:, None] * k + parent[go]).reshape(-1)
        state = [(h.index_select(1, flat_parent), c.index_select(1, flat_parent)) for h, c in state]
        if go.numel() < m:  # the memory of a sentence's rows is the same: only drop sentences
            kept_rows = (go[:, None] * k + torch.arange(k)).reshape(-1)
            memory = tuple(x.index_select(0, kept_rows) for x in memory)
        coverage = cov[go[:, None], parent[go]]
        prefixes = torch.cat([prefixes[go[:, None], parent[go]], next_token[go][:, :, None]], dim=2)
        log_p = next_log_p[go]
        tokens = next_token[go].reshape(-1)
        alive = alive[go]
    return best


# ---------------------------------------------------------------------------------------------
# Requests


_models = {}


def eval_model(request, dtype=torch.float32):
    """The model of a request's weights in eval mode, loaded once per file and dtype."""
    key = (request["weights"], json.dumps(request["config"], sort_keys=True), str(dtype))
    if key not in _models:
        _models[key] = load_model(request["weights"], request["config"], dtype).eval()
    return _models[key]


def search_settings(request):
    return dict(
        beam=int(request["beam"]),
        alpha=float(request["alpha"]),
        beta=float(request["beta"]),
        prune_width=float(request.get("prune_width", 3.0)),
        max_tokens=[int(x) for x in request["max_tokens"]],
    )


def make_step(request):
    """Builds the model and data of one case and returns the call that the rounds time."""
    op = op_of(request, OPS)
    cfg = request["config"]
    if op == "nmt-translate":
        model = eval_model(request)
        sources = request["sources"]
        settings = search_settings(request)
        return lambda: beam_search(model, sources, **settings)

    torch.manual_seed(int(request.get("seed", 1)))
    model = load_model(request["weights"], cfg).train()
    batch = make_batch(request["sources"], request["targets"], cfg)
    optimizer = torch.optim.Adam(model.parameters(), lr=float(request.get("lr", 1e-3)))
    smoothing = float(request.get("label_smoothing", 0.1))

    def train_step():
        optimizer.zero_grad()
        batch_loss(model, batch, smoothing).backward()
        optimizer.step()

    return train_step


def case_key(request):
    """The case a request describes, as a string of its CASE_FIELDS."""
    return json.dumps([request.get(f) for f in CASE_FIELDS])


class GnmtPeer(MeasuringPeer):
    """MeasuringPeer with the untimed checks "loss" and "translate"."""

    def handle(self, request):
        cmd = request.get("cmd")
        if cmd in ("loss", "translate"):
            threads = int(request.get("threads", torch.get_num_threads()))
            if threads != torch.get_num_threads():
                torch.set_num_threads(threads)
        if cmd == "loss":
            model = eval_model(request)
            batch = make_batch(request["sources"], request["targets"], request["config"])
            with torch.no_grad():
                loss = batch_loss(model, batch, float(request.get("label_smoothing", 0.1)))
            return {"loss": loss.item()}
        if cmd == "translate":
            dtype = {"float32": torch.float32, "float64": torch.float64}[
                request.get("dtype", "float32")
            ]
            model = eval_model(request, dtype)
            out = beam_search(model, request["sources"], **search_settings(request))
            return {"translations": out, "tokens": sum(len(y) + 1 for y in out)}
        return super().handle(request)


def main():
    serve(GnmtPeer("gnmt", case_key, make_step))


if __name__ == "__main__":
    main()
