#!/usr/bin/env python3
"""PyTorch peer for `seq4j lm train`: the same character language model, trained the same way.

Same data (documents split on `%` lines, else on blank lines; every 20th document held out for
validation; vocabulary = the training text's characters in code-point order after a reserved UNK
id 0), same batches (the training text cut into B parallel streams, read seq-len characters at a
time with the recurrent state carried, detached, from one chunk to the next and reset at the
start of every epoch), same model (embedding -> nn.LSTM/GRU/RNN -> linear, PyTorch's default
initialization), same optimizer (AdamW), learning-rate schedule (linear warm-up then cosine),
gradient clipping and number of steps. It prints the validation loss and bits per character.

    bench/peers/.venv/bin/python bench/peers/lm_peer.py --text data/fortunes/fortunes.txt \\
        --steps 600 --max-steps 412
    bench/peers/.venv/bin/python bench/peers/lm_peer.py --like runs/lm-fortunes/last.safetensors

With --like, every setting (and the number of steps, unless --max-steps is given) is read from a
checkpoint written by `seq4j lm train`; the text file is the one that run used unless --text is
given. The random numbers differ from seq4j's (different generators), so the two runs agree in
distribution, not bit for bit.
"""

import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SEPARATOR = "%"
HOLD_OUT_EVERY = 20
UNK = 0


# ----------------------------------------------------------------------------------------------
# Data: the same rules as org.seq4j.cli.lm.LmCorpus / org.seq4j.cli.data.Documents.


def _blank(line):
    return all(ch in " \t" for ch in line)


def split_documents(text):
    """Returns (documents, separator appended after each one)."""
    lines = text.replace("\r\n", "\n").split("\n")
    if any(line == SEPARATOR for line in lines):
        docs, current = [], []
        for line in lines:
            if line == SEPARATOR:
                docs.append(current)
                current = []
            else:
                current.append(line)
        docs.append(current)
        docs = ["\n".join(d) for d in docs if not all(_blank(line) for line in d)]
        return docs, "\n%\n"
    docs, current = [], []
    for line in lines:
        if _blank(line):
            if current:
                docs.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        docs.append("\n".join(current))
    return docs, "\n\n"


def build_corpus(text):
    docs, sep = split_documents(text)
    train = "".join(d + sep for i, d in enumerate(docs) if (i + 1) % HOLD_OUT_EVERY != 0)
    valid = "".join(d + sep for i, d in enumerate(docs) if (i + 1) % HOLD_OUT_EVERY == 0)
    if not train or not valid:
        raise SystemExit(
            f"the text is too small: it needs at least {HOLD_OUT_EVERY} documents "
            "(quotes separated by '%' lines, or paragraphs)")
    chars = sorted(set(train))
    ids = {c: i + 1 for i, c in enumerate(chars)}
    return (
        [ids[c] for c in train],
        [ids.get(c, UNK) for c in valid],
        chars,
        len(docs),
    )


def streams(ids, batch):
    """[batch, L] tensor: stream b is ids[b*L:(b+1)*L]."""
    length = len(ids) // batch
    return torch.tensor(ids[: batch * length], dtype=torch.long).view(batch, length)


# ----------------------------------------------------------------------------------------------
# Model


class CharLm(nn.Module):
    def __init__(self, kind, vocab, embedding, hidden, layers, dropout):
        super().__init__()
        self.kind = kind
        self.embedding = nn.Embedding(vocab, embedding)
        cls = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[kind]
        self.rnn = cls(embedding, hidden, layers, batch_first=True, dropout=dropout)
        self.output = nn.Linear(hidden, vocab)

    def forward(self, x, state):
        y, state = self.rnn(self.embedding(x), state)
        return self.output(y), state


def detach(state):
    if state is None:
        return None
    if isinstance(state, tuple):
        return tuple(s.detach() for s in state)
    return state.detach()


def lr_at(step, lr, warmup, total, min_lr):
    """org.seq4j.optim.LrSchedule.warmupCosine."""
    if step < warmup:
        return lr * (step + 1) / warmup
    progress = min(step - warmup, total - warmup) / (total - warmup)
    return min_lr + (lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2


def validation_streams(characters, batch, seq_len):
    """org.seq4j.cli.lm.CharLmTask.validationStreams."""
    return max(1, min(batch, characters // (seq_len + 1)))


@torch.no_grad()
def evaluate(model, valid, batch, seq_len):
    model.eval()
    data = streams(valid, validation_streams(len(valid), batch, seq_len))
    length = data.shape[1]
    state = None
    total, count = 0.0, 0
    for start in range(0, length - 1, seq_len):
        n = min(seq_len, length - 1 - start)
        x = data[:, start : start + n]
        y = data[:, start + 1 : start + 1 + n]
        logits, state = model(x, state)
        total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1),
                                 reduction="sum").item()
        count += y.numel()
    model.train()
    loss = total / count
    return loss, loss / math.log(2)


# ----------------------------------------------------------------------------------------------


def settings_from_checkpoint(path):
    from safetensors import safe_open

    with safe_open(path, "pt") as f:
        meta = f.metadata()
    config = json.loads(meta["config"])
    progress = json.loads(meta["progress"])
    return config, progress


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--like", help="a checkpoint of `seq4j lm train` to copy the settings from")
    p.add_argument("--text")
    p.add_argument("--model", default="lstm", choices=["lstm", "gru", "rnn"])
    p.add_argument("--embedding", type=int, default=64)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--seq-len", type=int, default=64)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=5e-3)
    p.add_argument("--min-lr", type=float, default=None, help="default: lr / 20")
    p.add_argument("--warmup", type=int, default=None)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--clip", type=float, default=1.0)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--steps", type=int, default=7000, help="schedule length (cosine reaches min-lr)")
    p.add_argument("--max-steps", type=int, default=None, help="stop after this many steps")
    p.add_argument("--max-minutes", type=float, default=0)
    p.add_argument("--validate-every", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print the result as one JSON line")
    a = p.parse_args()

    if a.like:
        config, progress = settings_from_checkpoint(a.like)
        a.model = config["model"]
        for key in ("embedding", "hidden", "layers", "batch", "lr", "dropout", "steps", "seed"):
            setattr(a, key, config[key])
        a.seq_len = config["seq_len"]
        a.min_lr = config["min_lr"]
        a.warmup = config["warmup"]
        a.weight_decay = config["weight_decay"]
        a.clip = config["clip"]
        if a.text is None:
            a.text = config["text"]
        if a.max_steps is None:
            a.max_steps = progress["step"]
    if a.text is None:
        p.error("--text (or --like) is required")
    if a.min_lr is None:
        a.min_lr = a.lr / 20
    if a.warmup is None:
        a.warmup = min(100, a.steps // 10)
    if a.max_steps is None:
        a.max_steps = a.steps
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    with open(a.text, encoding="utf-8", errors="strict") as f:
        text = f.read()
    train, valid, chars, docs = build_corpus(text)
    vocab = len(chars) + 1
    data = streams(train, a.batch)
    chunks = (data.shape[1] - 1) // a.seq_len
    if chunks < 1:
        raise SystemExit("the training text is too short for --batch x --seq-len")
    print(f"lm_peer: torch {torch.__version__}, {torch.get_num_threads()} thread(s)", flush=True)
    print(f"  data   {docs} documents, {len(train):,} training / {len(valid):,} validation chars, "
          f"vocabulary {vocab} (with UNK), {chunks} chunks per epoch", flush=True)

    model = CharLm(a.model, vocab, a.embedding, a.hidden, a.layers, a.dropout)
    params = sum(t.numel() for t in model.parameters())
    print(f"  model  {a.model} {a.layers}x{a.hidden}, embedding {a.embedding}, {params:,} params",
          flush=True)
    print(f"  train  AdamW lr {a.lr:g} (warm-up {a.warmup}, cosine to {a.min_lr:g} at {a.steps}),"
          f" wd {a.weight_decay:g}, clip {a.clip:g}, batch {a.batch} x {a.seq_len},"
          f" {a.max_steps} steps", flush=True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8,
                                  weight_decay=a.weight_decay)

    start = time.perf_counter()
    step = 0
    state = None
    loss_value = float("nan")
    while step < a.max_steps:
        if a.max_minutes > 0 and time.perf_counter() - start >= a.max_minutes * 60:
            break
        index = step % chunks
        if index == 0:
            state = None
        x = data[:, index * a.seq_len : (index + 1) * a.seq_len]
        y = data[:, index * a.seq_len + 1 : (index + 1) * a.seq_len + 1]
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, a.lr, a.warmup, a.steps, a.min_lr)
        logits, state = model(x, state)
        state = detach(state)
        loss = F.cross_entropy(logits.reshape(-1, vocab), y.reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if a.clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
        optimizer.step()
        step += 1
        loss_value = loss.item()
        if step % 10 == 0:
            elapsed = time.perf_counter() - start
            print(f"  step {step:5d}  loss {loss_value:.4f}  {elapsed:7.1f} s", flush=True)
        if a.validate_every > 0 and step % a.validate_every == 0 and step < a.max_steps:
            vloss, vbpc = evaluate(model, valid, a.batch, a.seq_len)
            print(f"  valid  step {step}: loss {vloss:.4f}, {vbpc:.4f} bits/char", flush=True)
    seconds = time.perf_counter() - start
    vloss, vbpc = evaluate(model, valid, a.batch, a.seq_len)
    print(f"trained {step} steps in {seconds:.1f} s; validation loss {vloss:.4f}, "
          f"{vbpc:.4f} bits/char", flush=True)
    if a.json:
        print(json.dumps({"steps": step, "seconds": round(seconds, 1), "loss": vloss,
                          "bpc": vbpc, "train_loss": loss_value}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
