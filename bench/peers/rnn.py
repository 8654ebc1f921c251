#!/usr/bin/env python3
"""PyTorch peer for `seq4j bench rnn`.

Speaks the protocol of peer_protocol.py, answering hello with {"peer": "rnn", ...}:

  {"op": "rnn-train", "cell": "lstm", "threads": 1, "min_time_s": 0.2,
   "batch": 64, "steps": 50, "input_size": 256, "hidden_size": 256, "layers": 2,
   "bidirectional": false, "lengths": [50, 31, ...] or null, "seed": 1}
      -> {"op": "rnn-train", "threads": 1, "us_per_op": 61234.5, "calls": 4, "seconds": 0.24}

The model is nn.LSTM or nn.GRU with batch_first=True and biases. With "lengths", a call packs the
padded batch (pack_padded_sequence, enforce_sorted=False), runs the layer and pads the output back
to the full length (pad_packed_sequence), all inside the timed call, as a user's step does.
"rnn-train" is one forward pass and the backward pass of sum(output * weight) for a fixed random
weight, after resetting the gradients (zero_grad); "rnn-infer" is the forward pass under
torch.no_grad().

A case is every field of CASE_FIELDS; timing follows peer_protocol.run_round.
"""

import json

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from peer_protocol import MeasuringPeer, op_of, positive_int, serve

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


def make_step(request):
    """Builds the model and data of one case and returns the call that the rounds time."""
    op = op_of(request, OPS)
    cell = request.get("cell")
    if cell not in CELLS:
        raise ValueError("unknown cell: %r (known: %s)" % (cell, ", ".join(sorted(CELLS))))
    batch = positive_int(request, "batch")
    steps = positive_int(request, "steps")
    input_size = positive_int(request, "input_size")
    hidden_size = positive_int(request, "hidden_size")
    layers = positive_int(request, "layers")
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


def case_key(request):
    """The case a request describes, as a string of its CASE_FIELDS."""
    return json.dumps([request.get(f) for f in CASE_FIELDS])


def main():
    serve(MeasuringPeer("rnn", case_key, make_step))


if __name__ == "__main__":
    main()
