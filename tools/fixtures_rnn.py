"""Reference values from PyTorch for seq4j's recurrent cells and sequence layers.

``make(out_dir)`` writes three safetensors files (all tensors F32):

* ``rnn_cells.safetensors``: one step of ``nn.LSTMCell``, ``nn.GRUCell`` and ``nn.RNNCell``
  (tanh and relu), with and without biases and initial state: the input, the state, the
  weights (PyTorch names), the new state, and the gradients of a scalar loss with respect to
  every weight, the input and the state. Also the weights each cell gets from PyTorch's own
  initialisation after ``torch.manual_seed(INIT_SEED)``.
* ``rnn_layers.safetensors``: ``nn.LSTM``, ``nn.GRU`` and ``nn.RNN`` (``batch_first=True``)
  with two layers, bidirectional or not, with and without biases, on full-length and
  variable-length batches (``pack_padded_sequence(enforce_sorted=False)`` and back with
  ``pad_packed_sequence(total_length=T)``), some with a random initial state: the input, the
  lengths, the initial state, the whole state dict, the output, the final state, and the
  gradients of a scalar loss with respect to every parameter, the input and the initial state.
  Also the input and expected results for ``lstm_state_dict.safetensors``.
* ``lstm_state_dict.safetensors``: the state dict of a two-layer bidirectional ``nn.LSTM``
  written exactly as a PyTorch user would, with ``safetensors.torch.save_file``.

The loss is ``L = sum(output * R) + sum(h_n * S) + sum(c_n * U)`` (the last term for LSTMs
only; a cell's ``h'`` and ``c'`` play the roles of ``h_n`` and ``c_n`` and there is no output
term), with fixed random ``R``, ``S`` and ``U`` stored next to the results.

Tensor names are ``<case>.<what>``: ``x``, ``lengths`` (layers only; stored as F32), ``h0``,
``c0``, ``R``, ``S``, ``U``, ``param.<name>``, and the results ``output``, ``h_n``, ``c_n`` and
``grad.<name>``, where ``<name>`` is a parameter name, ``x``, ``h0`` or ``c0``. Every result is
stored twice: as PyTorch computes it in float32 (``<case>.<result>``), and as it computes it in
float64 from the same (float32) inputs and weights (``<case>.f64.<result>``, rounded to F32).
The float64 values are the exact answer to within F32 rounding; they let a test tell an error in
the equations from float32 rounding that merely differs from PyTorch's (a different summation
order shifts a float32 gradient by up to about 5e-5 relative here). Each file's
``__metadata__`` lists its cases and, per case, the mode (``lstm``, ``gru``, ``rnn_tanh``,
``rnn_relu``), sizes, flags and a one-line description. Every random value comes from a seeded
generator.

Run directly to write into ``core/src/test/resources/fixtures/``.
"""

from __future__ import annotations

import copy
import pathlib

import torch
from safetensors.torch import save_file
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

INPUT = 5
HIDDEN = 4
BATCH = 4
STEPS = 7
LAYERS = 2
VARLEN = [7, 3, 5, 1]
INIT_SEED = 42

MODES = {"lstm": 4, "gru": 3, "rnn_tanh": 1, "rnn_relu": 1}


def _f32(t: torch.Tensor) -> torch.Tensor:
    return t.detach().to(torch.float32).contiguous()


def _save(path: pathlib.Path, tensors: dict, metadata: dict) -> None:
    save_file(
        {k: _f32(v) for k, v in tensors.items()},
        str(path),
        metadata={k: str(v) for k, v in metadata.items()},
    )


def _flag(value: bool) -> str:
    return "true" if value else "false"


# ---------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------


def _new_cell(mode: str, bias: bool) -> nn.Module:
    if mode == "lstm":
        return nn.LSTMCell(INPUT, HIDDEN, bias=bias)
    if mode == "gru":
        return nn.GRUCell(INPUT, HIDDEN, bias=bias)
    return nn.RNNCell(INPUT, HIDDEN, bias=bias, nonlinearity=mode.removeprefix("rnn_"))


# name -> (mode, bias, with initial state, description)
CELL_CASES = {
    "lstm_cell": ("lstm", True, True, "nn.LSTMCell(5, 4), random (h0, c0)"),
    "lstm_cell_nobias_zero_state": (
        "lstm",
        False,
        False,
        "nn.LSTMCell(5, 4, bias=False), no initial state (zeros)",
    ),
    "gru_cell": ("gru", True, True, "nn.GRUCell(5, 4), random h0"),
    "gru_cell_nobias": ("gru", False, True, "nn.GRUCell(5, 4, bias=False), random h0"),
    "rnn_tanh_cell": ("rnn_tanh", True, True, "nn.RNNCell(5, 4, nonlinearity='tanh'), random h0"),
    "rnn_relu_cell": ("rnn_relu", True, True, "nn.RNNCell(5, 4, nonlinearity='relu'), random h0"),
}


def _results(module: nn.Module, inputs: dict, run, loss_weights: dict, dtype) -> dict:
    """Runs a copy of module in dtype on copies of inputs and returns what the fixtures store.

    ``run(module, leaves)`` returns a dict of results (``output``, ``h_n``, ``c_n``); the loss is
    ``sum(result * loss_weights[name])`` over them. Returned: the results, and ``grad.<name>``
    for every parameter and input.
    """
    m = copy.deepcopy(module).to(dtype)
    leaves = {k: v.detach().to(dtype).requires_grad_(True) for k, v in inputs.items()}
    results = run(m, leaves)
    loss = sum((results[k] * loss_weights[k].to(dtype)).sum() for k in results)
    loss.backward()
    for k, p in m.named_parameters():
        results[f"grad.{k}"] = p.grad
    for k, v in leaves.items():
        results[f"grad.{k}"] = v.grad
    return results


def _store(tensors: dict, name: str, results32: dict, results64: dict) -> None:
    for k, v in results32.items():
        tensors[f"{name}.{k}"] = v
    for k, v in results64.items():
        tensors[f"{name}.f64.{k}"] = v


def make_cells(path: pathlib.Path) -> None:
    g = torch.Generator().manual_seed(1)
    tensors, metadata = {}, {"cases": ",".join(CELL_CASES), "init_seed": INIT_SEED}
    for name, (mode, bias, with_state, description) in CELL_CASES.items():
        cell = _new_cell(mode, bias)
        with torch.no_grad():
            for p in cell.parameters():
                p.copy_(torch.rand(p.shape, generator=g) * 2 - 1)  # U(-1, 1): lively gates
        inputs = {"x": torch.randn(BATCH, INPUT, generator=g)}
        if with_state:
            inputs["h0"] = torch.randn(BATCH, HIDDEN, generator=g)
            if mode == "lstm":
                inputs["c0"] = torch.randn(BATCH, HIDDEN, generator=g)
        loss_weights = {
            "h_n": torch.randn(BATCH, HIDDEN, generator=g),
            "c_n": torch.randn(BATCH, HIDDEN, generator=g),
        }

        def run(m, t, mode=mode):
            if mode == "lstm":
                h1, c1 = m(t["x"], (t["h0"], t["c0"]) if "h0" in t else None)
                return {"h_n": h1, "c_n": c1}
            return {"h_n": m(t["x"], t.get("h0"))}

        for key, value in inputs.items():
            tensors[f"{name}.{key}"] = value
        for key, p in cell.named_parameters():
            tensors[f"{name}.param.{key}"] = p
        tensors[f"{name}.S"] = loss_weights["h_n"]
        if mode == "lstm":
            tensors[f"{name}.U"] = loss_weights["c_n"]
        _store(
            tensors,
            name,
            _results(cell, inputs, run, loss_weights, torch.float32),
            _results(cell, inputs, run, loss_weights, torch.float64),
        )
        metadata.update(
            {
                f"{name}.mode": mode,
                f"{name}.bias": _flag(bias),
                f"{name}.initial_state": _flag(with_state),
                f"{name}.input_size": INPUT,
                f"{name}.hidden_size": HIDDEN,
                f"{name}.description": description,
            }
        )

    # PyTorch's own initialisation: U(-1/sqrt(H), 1/sqrt(H)) drawn from the global generator
    # in parameter order (weight_ih, weight_hh, bias_ih, bias_hh).
    for mode in MODES:
        torch.manual_seed(INIT_SEED)
        cell = _new_cell(mode, True)
        for key, p in cell.named_parameters():
            tensors[f"init.{mode}.{key}"] = p
    _save(path, tensors, metadata)


# ---------------------------------------------------------------------------------------
# Sequence layers
# ---------------------------------------------------------------------------------------


def _new_layer(mode: str, bidirectional: bool, bias: bool, input_size: int = INPUT) -> nn.Module:
    kwargs = dict(
        input_size=input_size,
        hidden_size=HIDDEN,
        num_layers=LAYERS,
        bias=bias,
        batch_first=True,
        bidirectional=bidirectional,
    )
    if mode == "lstm":
        return nn.LSTM(**kwargs)
    if mode == "gru":
        return nn.GRU(**kwargs)
    return nn.RNN(nonlinearity=mode.removeprefix("rnn_"), **kwargs)


def _run_layer(layer: nn.Module, x, lengths, state):
    """Runs layer on x [B, T, I]; lengths None = every sequence has T steps."""
    if lengths is None:
        return layer(x, state)
    packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=True, enforce_sorted=False)
    out, final = layer(packed, state)
    out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
    return out, final


def _layer_cases() -> dict:
    """name -> (mode, bidirectional, bias, varlen, initial state, description)."""
    cases = {}
    for mode in ("lstm", "gru", "rnn_tanh"):
        label = {"lstm": "nn.LSTM", "gru": "nn.GRU", "rnn_tanh": "nn.RNN(tanh)"}[mode]
        cases[f"{mode}_bi"] = (mode, True, True, False, True, f"{label}, 2 layers, bidirectional")
        cases[f"{mode}_bi_varlen"] = (
            mode,
            True,
            True,
            True,
            False,
            f"{label}, 2 layers, bidirectional, lengths {VARLEN}, zero initial state",
        )
        cases[f"{mode}_bi_nobias_varlen"] = (
            mode,
            True,
            False,
            True,
            True,
            f"{label}, 2 layers, bidirectional, bias=False, lengths {VARLEN}",
        )
        cases[f"{mode}_uni"] = (mode, False, True, False, False, f"{label}, 2 layers, zero state")
        cases[f"{mode}_uni_varlen"] = (
            mode,
            False,
            True,
            True,
            True,
            f"{label}, 2 layers, lengths {VARLEN}",
        )
    cases["rnn_relu_bi_varlen"] = (
        "rnn_relu",
        True,
        True,
        True,
        True,
        f"nn.RNN(relu), 2 layers, bidirectional, lengths {VARLEN}",
    )
    return cases


LAYER_CASES = _layer_cases()


def make_layers(path: pathlib.Path, saved_state_dict: pathlib.Path) -> None:
    g = torch.Generator().manual_seed(2)
    tensors, metadata = {}, {"cases": ",".join(LAYER_CASES), "layers": LAYERS}
    for name, (mode, bidirectional, bias, varlen, with_state, description) in LAYER_CASES.items():
        layer = _new_layer(mode, bidirectional, bias)
        with torch.no_grad():
            for p in layer.parameters():
                p.copy_(torch.rand(p.shape, generator=g) - 0.5)  # U(-0.5, 0.5)
        dirs = 2 if bidirectional else 1
        states = LAYERS * dirs
        lengths = VARLEN if varlen else [STEPS] * BATCH
        x = torch.randn(BATCH, STEPS, INPUT, generator=g)
        for b, n in enumerate(lengths):
            x[b, n:] = 0  # padding, as a data loader would leave it
        inputs = {"x": x}
        if with_state:
            inputs["h0"] = torch.randn(states, BATCH, HIDDEN, generator=g)
            if mode == "lstm":
                inputs["c0"] = torch.randn(states, BATCH, HIDDEN, generator=g)
        loss_weights = {
            "output": torch.randn(BATCH, STEPS, dirs * HIDDEN, generator=g),
            "h_n": torch.randn(states, BATCH, HIDDEN, generator=g),
            "c_n": torch.randn(states, BATCH, HIDDEN, generator=g),
        }

        def run(m, t, mode=mode, lengths=lengths if varlen else None):
            state = t.get("h0")
            if mode == "lstm" and state is not None:
                state = (state, t["c0"])
            out, final = _run_layer(m, t["x"], lengths, state)
            if mode == "lstm":
                return {"output": out, "h_n": final[0], "c_n": final[1]}
            return {"output": out, "h_n": final}

        tensors[f"{name}.lengths"] = torch.tensor(lengths, dtype=torch.float32)
        for key, value in inputs.items():
            tensors[f"{name}.{key}"] = value
        for key, p in layer.named_parameters():
            tensors[f"{name}.param.{key}"] = p
        tensors[f"{name}.R"] = loss_weights["output"]
        tensors[f"{name}.S"] = loss_weights["h_n"]
        if mode == "lstm":
            tensors[f"{name}.U"] = loss_weights["c_n"]
        _store(
            tensors,
            name,
            _results(layer, inputs, run, loss_weights, torch.float32),
            _results(layer, inputs, run, loss_weights, torch.float64),
        )
        metadata.update(
            {
                f"{name}.mode": mode,
                f"{name}.bidirectional": _flag(bidirectional),
                f"{name}.bias": _flag(bias),
                f"{name}.varlen": _flag(varlen),
                f"{name}.initial_state": _flag(with_state),
                f"{name}.input_size": INPUT,
                f"{name}.hidden_size": HIDDEN,
                f"{name}.description": description,
            }
        )

    # A state dict exactly as PyTorch writes it, and what that model computes on a fixed
    # variable-length batch from a zero state.
    torch.manual_seed(INIT_SEED)
    lstm = _new_layer("lstm", True, True)
    save_file(lstm.state_dict(), str(saved_state_dict))
    x = torch.randn(BATCH, STEPS, INPUT, generator=g)
    with torch.no_grad():
        out, (h_n, c_n) = _run_layer(lstm, x, VARLEN, None)
    tensors.update(
        {
            "saved_lstm.x": x,
            "saved_lstm.lengths": torch.tensor(VARLEN, dtype=torch.float32),
            "saved_lstm.output": out,
            "saved_lstm.h_n": h_n,
            "saved_lstm.c_n": c_n,
        }
    )
    metadata["saved_lstm.description"] = (
        f"nn.LSTM(5, 4, num_layers=2, bidirectional=True, batch_first=True) from "
        f"torch.manual_seed({INIT_SEED}), saved to {saved_state_dict.name}; lengths {VARLEN}"
    )
    _save(path, tensors, metadata)


def make(out_dir: pathlib.Path) -> list[pathlib.Path]:
    """Writes rnn_cells, rnn_layers and lstm_state_dict (.safetensors) into out_dir."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [
        out_dir / "rnn_cells.safetensors",
        out_dir / "rnn_layers.safetensors",
        out_dir / "lstm_state_dict.safetensors",
    ]
    make_cells(paths[0])
    make_layers(paths[1], paths[2])
    return paths


if __name__ == "__main__":
    root = pathlib.Path(__file__).resolve().parent.parent
    for written in make(root / "core" / "src" / "test" / "resources" / "fixtures"):
        print(f"wrote {written.relative_to(root)} ({written.stat().st_size:,} bytes)")
