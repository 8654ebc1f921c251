#!/usr/bin/env bash
# Creates the Python virtual environment used by the PyTorch benchmark peers and by
# tools/make_fixtures.py. Usage: bench/peers/setup.sh [VENV_DIR]   (default: bench/peers/.venv)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${1:-$here/.venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet torch numpy safetensors sacrebleu
"$venv/bin/python" -c 'import torch, numpy, safetensors, sacrebleu; print("torch", torch.__version__, "threads", torch.get_num_threads(), "sacrebleu", sacrebleu.__version__)'
echo "$venv"
