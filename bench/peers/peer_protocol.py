"""The request loop, timing and JSON-lines protocol that the PyTorch benchmark peers share.

A peer (ops.py, rnn.py) reads one JSON request per line on stdin and answers one JSON line on
stdout (see org.seq4j.bench.PythonPeer):

  {"cmd": "hello"}
      -> {"peer": NAME, "torch": "2.x", "python": "3.x", "threads": 2}
  {"op": OP, "threads": 1, "min_time_s": 0.2, ...}
      -> {"op": OP, "threads": 1, "us_per_op": 41234.5, "calls": 8, "seconds": 0.33}
  {"cmd": "quit"}
      -> (exits)

A request that cannot be served is answered with {"error": "..."}; the peer keeps running.

Timing policy (the same as the Java side, see org.seq4j.bench.RoundTimer): the first request for
a case and thread count is preceded by one untimed warm-up round, of at least the request's
warm_up_s seconds when it gives one (training steps, whose first calls are slower than the
rest); a round calls the case's step in batches that double in size, reading the clock only
between batches, until at least min_time_s has passed, and reports the total time divided by the
number of calls.

The peers import this module from their own directory, which Python puts first on sys.path when
it runs a script (python bench/peers/ops.py).
"""

import json
import platform
import sys
import time

import torch


def op_of(request, ops):
    """The request's op, which must be one of ops."""
    op = request.get("op")
    if op not in ops:
        raise ValueError("unknown op: %r (known: %s)" % (op, ", ".join(sorted(ops))))
    return op


def positive_int(request, key):
    """The request's integer field key, which must be at least 1."""
    value = request.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError("%s must be a positive integer, got %r" % (key, value))
    return value


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


class MeasuringPeer:
    """Answers hello and measurement requests, building each case's step once.

    case_key(request) validates the case a request describes and returns a hashable key for it;
    make_step(request) builds the model and data of that case and returns the call to time.
    """

    def __init__(self, name, case_key, make_step):
        self.name = name
        self.case_key = case_key
        self.make_step = make_step
        self.steps = {}
        self.warm = set()

    def handle(self, request):
        cmd = request.get("cmd")
        if cmd == "hello":
            return {
                "peer": self.name,
                "torch": torch.__version__,
                "python": platform.python_version(),
                "threads": torch.get_num_threads(),
            }
        if cmd is not None:
            raise ValueError("unknown cmd: %r" % cmd)
        key = self.case_key(request)
        threads = int(request.get("threads", 1))
        if threads < 1:
            raise ValueError("threads must be >= 1, got %d" % threads)
        min_time_s = float(request.get("min_time_s", 0.2))
        if threads != torch.get_num_threads():
            torch.set_num_threads(threads)
        step = self.steps.get(key)
        if step is None:
            step = self.steps[key] = self.make_step(request)
        if (key, threads) not in self.warm:
            run_round(step, max(min_time_s, float(request.get("warm_up_s", 0))))
            self.warm.add((key, threads))
        seconds, calls = run_round(step, min_time_s)
        return {
            "op": request["op"],
            "threads": threads,
            "us_per_op": seconds * 1e6 / calls,
            "calls": calls,
            "seconds": seconds,
        }


def serve(peer):
    """Answers the requests on stdin, one JSON line each on stdout, until quit or end of input."""
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
