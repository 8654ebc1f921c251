#!/usr/bin/env python3
"""PyTorch peer for `seq4j bench rnn`.

Reads one JSON request per line on stdin and answers one JSON line on stdout:

  {"cmd": "hello"}
      -> {"peer": "rnn", "torch": "2.x", "python": "3.x", "threads": 2}
  {"op": "rnn-train", "cell": "lstm", "threads": 1, "min_time_s": 0.2,
   "batch": 64, "steps": 50, "input_size": 256, "hidden_size": 256, "layers": 2,
   "bidirectional": false, "lengths": [50, 31, ...] or null, "seed": 1}
      -> {"op": "rnn-train", "threads": 1, "us_per_op": 61234.5, "calls": 4, "seconds": 0.24}
  {"cmd": "quit"}
      -> (exits)

A request that cannot be served is answered with {"error": "..."}; the peer keeps running.

The model is nn.LSTM or nn.GRU with batch_first=True and biases. With "lengths", a call packs the
padded batch (pack_padded_sequence, enforce_sorted=False), runs the layer and pads the output back
to the full length (pad_packed_sequence), all inside the timed call, as a user's step does.
"rnn-train" is one forward pass and the backward pass of sum(output * weight) for a fixed random
weight, after resetting the gradients (zero_grad); "rnn-infer" is the forward pass under
torch.no_grad().

Timing policy (the same as the Java side, see org.seq4j.bench.RoundTimer): the first request for
a case and thread count is preceded by one untimed warm-up round; a round calls the step in
batches that double in size, reading the clock only between batches, until at least min_time_s
has passed, and reports the total time divided by the number of calls.
"""

import json
import platform
import sys
import time

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

OPS = ("rnn-train", "rnn-infer")
CELLS = {"lstm": nn.LSTM, "gru": nn.GRU}
CASE_FIELDS = (
    "op",
    "cell",
    "batch",
    "steps",
    "input_size",
    "hidden_size",
    "layers",
    "bidirectional",
    "lengths",
    "seed",
)


def run_round(call, min_time_s):
    """Returns (seconds, calls) for one round of at least min_time_s."""
    clock = time.perf_counter
    calls = 0
    batch = 1
    start = clock()
    while True:
        for _ in range(batch):
            call()
        calls += batch
        elapsed = clock() - start
        if elapsed >= min_time_s:
            return elapsed, calls
        batch *= 2


def _positive_int(request, key):
    value = request.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError("%s must be a positive integer, got %r" % (key, value))
    return value


def make_step(request):
    """Builds the model and data of one case and returns the call that the rounds time."""
    op = request.get("op")
    if op not in OPS:
        raise ValueError("unknown op: %r (known: %s)" % (op, ", ".join(OPS)))
    cell = request.get("cell")
    if cell not in CELLS:
        raise ValueError("unknown cell: %r (known: %s)" % (cell, ", ".join(sorted(CELLS))))
    batch = _positive_int(request, "batch")
    steps = _positive_int(request, "steps")
    input_size = _positive_int(request, "input_size")
    hidden_size = _positive_int(request, "hidden_size")
    layers = _positive_int(request, "layers")
    bidirectional = bool(request.get("bidirectional", False))
    lengths = request.get("lengths")
    if lengths is not None:
        if len(lengths) != batch or not all(isinstance(n, int) and 1 <= n <= steps for n in lengths):
            raise ValueError("lengths must be %d integers in [1, %d]" % (batch, steps))

    torch.manual_seed(int(request.get("seed", 1)))
    model = CELLS[cell](
        input_size, hidden_size, num_layers=layers, bias=True, batch_first=True,
        bidirectional=bidirectional,
    )
    directions = 2 if bidirectional else 1
    x = torch.randn(batch, steps, input_size)
    weight = torch.randn(batch, steps, directions * hidden_size)
    lengths_tensor = None if lengths is None else torch.tensor(lengths, dtype=torch.int64)

    def forward():
        if lengths_tensor is None:
            out, _ = model(x)
            return out
        packed = pack_padded_sequence(x, lengths_tensor, batch_first=True, enforce_sorted=False)
        out, _ = model(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=steps)
        return out

    if op == "rnn-train":
        model.train()

        def train_step():
            model.zero_grad()
            (forward() * weight).sum().backward()

        return train_step

    model.eval()

    def infer_step():
        with torch.no_grad():
            forward()

    return infer_step


class Peer:
    def __init__(self):
        self.steps = {}
        self.warm = set()

    def handle(self, request):
        cmd = request.get("cmd")
        if cmd == "hello":
            return {
                "peer": "rnn",
                "torch": torch.__version__,
                "python": platform.python_version(),
                "threads": torch.get_num_threads(),
            }
        if cmd is not None:
            raise ValueError("unknown cmd: %r" % cmd)
        threads = int(request.get("threads", 1))
        if threads < 1:
            raise ValueError("threads must be >= 1, got %d" % threads)
        min_time_s = float(request.get("min_time_s", 0.2))
        if threads != torch.get_num_threads():
            torch.set_num_threads(threads)
        key = json.dumps([request.get(f) for f in CASE_FIELDS])
        step = self.steps.get(key)
        if step is None:
            step = self.steps[key] = make_step(request)
        if (key, threads) not in self.warm:
            run_round(step, min_time_s)
            self.warm.add((key, threads))
        seconds, calls = run_round(step, min_time_s)
        return {
            "op": request["op"],
            "threads": threads,
            "us_per_op": seconds * 1e6 / calls,
            "calls": calls,
            "seconds": seconds,
        }


def main():
    peer = Peer()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
            if not isinstance(request, dict):
                raise ValueError("request must be a JSON object")
            if request.get("cmd") == "quit":
                return
            response = peer.handle(request)
        except Exception as e:  # answer every request, keep serving
            response = {"error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(response) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
