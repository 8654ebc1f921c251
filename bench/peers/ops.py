#!/usr/bin/env python3
"""PyTorch peer for `seq4j bench ops`.

Reads one JSON request per line on stdin and answers one JSON line on stdout:

  {"cmd": "hello"}
      -> {"peer": "ops", "torch": "2.x", "python": "3.x", "threads": 2}
  {"op": "gemm-1024", "threads": 1, "min_time_s": 0.2}
      -> {"op": "gemm-1024", "threads": 1, "us_per_op": 41234.5, "calls": 8, "seconds": 0.33}
  {"cmd": "quit"}
      -> (exits)

A request that cannot be served is answered with {"error": "..."}; the peer keeps running.

Timing policy (the same as the Java side, see org.seq4j.bench.RoundTimer): the first request for
an (op, threads) pair is preceded by one untimed warm-up round; a round calls the op in batches
that double in size, reading the clock only between batches, until at least min_time_s has
passed, and reports the total time divided by the number of calls.
"""

import json
import platform
import sys
import time

import torch

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


class Peer:
    def __init__(self):
        self.calls = {}
        self.warm = set()

    def handle(self, request):
        cmd = request.get("cmd")
        if cmd == "hello":
            return {
                "peer": "ops",
                "torch": torch.__version__,
                "python": platform.python_version(),
                "threads": torch.get_num_threads(),
            }
        if cmd is not None:
            raise ValueError("unknown cmd: %r" % cmd)
        op = request.get("op")
        if op not in OPS:
            raise ValueError("unknown op: %r (known: %s)" % (op, ", ".join(sorted(OPS))))
        threads = int(request.get("threads", 1))
        if threads < 1:
            raise ValueError("threads must be >= 1, got %d" % threads)
        min_time_s = float(request.get("min_time_s", 0.2))
        if threads != torch.get_num_threads():
            torch.set_num_threads(threads)
        call = self.calls.get(op)
        if call is None:
            call = self.calls[op] = OPS[op]()
        if (op, threads) not in self.warm:
            run_round(call, min_time_s)
            self.warm.add((op, threads))
        seconds, calls = run_round(call, min_time_s)
        return {
            "op": op,
            "threads": threads,
            "us_per_op": seconds * 1e6 / calls,
            "calls": calls,
            "seconds": seconds,
        }


def main():
    peer = Peer()
    with torch.no_grad():
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
