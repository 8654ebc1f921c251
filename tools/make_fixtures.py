"""Regenerates seq4j's reference fixtures with real PyTorch.

The Java tests compare seq4j against these files; CI reads them and never installs PyTorch.
Run from the repository root after ``bench/peers/setup.sh`` (which installs torch, numpy and
safetensors into ``bench/peers/.venv``)::

    bench/peers/.venv/bin/python tools/make_fixtures.py

It writes, under ``core/src/test/resources/fixtures/``:

* ``losses.safetensors``, ``optim.safetensors``, ``schedules.safetensors``: see
  ``fixtures_optim.py``;
* ``safetensors/python_written.safetensors`` and ``python_expected.safetensors``: see
  ``fixtures_safetensors.py``;
* ``causal_conv.safetensors``: see ``fixtures_wavenet.py``;
* ``attention.safetensors``: see ``fixtures_gnmt.py``;
* ``tcn.safetensors``: see ``fixtures_tcn.py``;

under ``wavenet/src/test/resources/fixtures/``, ``wavenet_layer.safetensors`` and
``wavenet_model.safetensors`` (also ``fixtures_wavenet.py``);

under ``nmt/src/test/resources/fixtures/``:

* ``bleu.json``: corpus and sentence BLEU from the real sacreBLEU (``pip install sacrebleu``),
  see ``fixtures_bleu.py``;
* ``gnmt.safetensors``: a PyTorch GNMT's weights, logits, loss, gradients and greedy output, see
  ``fixtures_gnmt.py``;

and checks that ``safetensors/seq4j_written.safetensors``, written by seq4j's Java writer (the
test ``SafeTensorsTest`` checks it is byte-identical to what ``SafeTensors.save`` writes now),
loads in Python with the exact values and metadata.
"""

from __future__ import annotations

import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import fixtures_bleu  # noqa: E402
import fixtures_gnmt  # noqa: E402
import fixtures_optim  # noqa: E402
import fixtures_rnn  # noqa: E402
import fixtures_safetensors  # noqa: E402
import fixtures_tcn  # noqa: E402
import fixtures_wavenet  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "core" / "src" / "test" / "resources" / "fixtures"
NMT_FIXTURES = ROOT / "nmt" / "src" / "test" / "resources" / "fixtures"
WAVENET_FIXTURES = ROOT / "wavenet" / "src" / "test" / "resources" / "fixtures"


def main() -> None:
    print(f"torch {torch.__version__}")
    fixtures_optim.make(FIXTURES)
    fixtures_rnn.make(FIXTURES)
    for path in fixtures_wavenet.make(FIXTURES, WAVENET_FIXTURES):
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    for path in fixtures_safetensors.make(FIXTURES / "safetensors"):
        print(f"wrote {path.relative_to(ROOT)}")
    seq4j_written = FIXTURES / "safetensors" / "seq4j_written.safetensors"
    fixtures_safetensors.verify_seq4j_written(seq4j_written)
    print(f"checked {seq4j_written.relative_to(ROOT)}: loads in Python with the expected values")
    print(f"wrote {fixtures_bleu.make(NMT_FIXTURES).relative_to(ROOT)}")
    for path in fixtures_gnmt.make(FIXTURES, NMT_FIXTURES):
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    for path in fixtures_tcn.make(FIXTURES):
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
