#!/usr/bin/env python3
"""PyTorch peer for `seq4j bench ops`.

Speaks the protocol of peer_protocol.py, answering hello with {"peer": "ops", ...}:

  {"op": "gemm-1024", "threads": 1, "min_time_s": 0.2}
      -> {"op": "gemm-1024", "threads": 1, "us_per_op": 41234.5, "calls": 8, "seconds": 0.33}

A case is an op; every call runs under torch.no_grad(). Timing follows peer_protocol.run_round.
"""

import torch

from peer_protocol import MeasuringPeer, op_of, serve

OPS = {
    "tanh-1x1024": lambda: _unary(torch.tanh, (1, 1024)),
    "matmul-1x256x1024": lambda: _binary(torch.matmul, (1, 256), (256, 1024)),
    "gemm-1024": lambda: _binary(torch.matmul, (1024, 1024), (1024, 1024)),
}


def _unary(fn, shape):
    x = torch.rand(shape, dtype=torch.float32) * 2 - 1
    return lambda: fn(x)


def _binary(fn, shape_a, shape_b):
    a = torch.rand(shape_a, dtype=torch.float32)
    b = torch.rand(shape_b, dtype=torch.float32)
    return lambda: fn(a, b)


def main():
    peer = MeasuringPeer(
        "ops", lambda request: op_of(request, OPS), lambda request: OPS[request["op"]]()
    )
    with torch.no_grad():
        serve(peer)


if __name__ == "__main__":
    main()
