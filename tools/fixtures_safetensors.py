"""Cross-check fixtures for org.seq4j.io.SafeTensors.

make(out_dir) writes, with Python's safetensors:
  python_written.safetensors   F32, F16 and BF16 tensors (special values included),
                               a scalar, an empty tensor and metadata;
  python_expected.safetensors  the same tensors converted to F32 by torch, which the
                               Java reader must reproduce exactly.

verify_seq4j_written(path) checks the file that SafeTensorsTest writes with the Java
writer (seq4j_written.safetensors) against the values that test uses.

Run as a script to do both for core/src/test/resources/fixtures/safetensors/.
"""

from __future__ import annotations

import json
import pathlib
import struct

import numpy as np

FIXTURE_DIR = (
    pathlib.Path(__file__).resolve().parent.parent
    / "core/src/test/resources/fixtures/safetensors"
)

PYTHON_WRITTEN = "python_written.safetensors"
PYTHON_EXPECTED = "python_expected.safetensors"
SEQ4J_WRITTEN = "seq4j_written.safetensors"

# One metadata entry only: safetensors stores metadata in a hash map, so with several
# entries their order in the file, and hence the file's bytes, would vary between runs.
PYTHON_METADATA = {"format": "pt"}

# binary16 bit patterns: +0, -0, 1, -2, 65504 (largest finite), 2^-14 (smallest normal),
# 2^-24 (smallest subnormal), 1023 * 2^-24 (largest subnormal), -2^-24, +inf, -inf, NaN,
# 0.333251953125, 2^-15 (a subnormal).
HALF_SPECIAL_BITS = [
    0x0000, 0x8000, 0x3C00, 0xC000, 0x7BFF, 0x0400, 0x0001,
    0x03FF, 0x8001, 0x7C00, 0xFC00, 0x7E00, 0x3555, 0x0200,
]

# bfloat16 bit patterns: +0, -0, 1, -2, largest finite, 2^-126 (smallest normal),
# 2^-133 (smallest subnormal), +inf, -inf, NaN, 0.333984375.
BF16_SPECIAL_BITS = [
    0x0000, 0x8000, 0x3F80, 0xC000, 0x7F7F, 0x0080, 0x0001,
    0x7F80, 0xFF80, 0x7FC0, 0x3EAB,
]

# What SafeTensorsTest writes, in this order, with this metadata.
SEQ4J_ORDER = ["embedding.weight", "encoder.bias", "conv.weight", "scale", "empty"]
SEQ4J_METADATA = {"format": "pt", "producer": "seq4j", "note": "unicode: \u00e9 \u2713"}
# -0, +inf, -inf, NaN (Java's canonical 0x7fc00000), Float.MIN_VALUE, Float.MAX_VALUE,
# 0.1f, -1f/3f.
SEQ4J_BIAS_BITS = [
    0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000,
    0x00000001, 0x7F7FFFFF, 0x3DCCCCCD, 0xBEAAAAAB,
]


def python_tensors():
    """The tensors of python_written.safetensors, as torch tensors."""
    import torch

    rng = np.random.default_rng(0)
    matrix = rng.standard_normal((3, 4)).astype(np.float32)
    cube = rng.standard_normal((2, 3, 2)).astype(np.float32)
    half_random = rng.standard_normal(10).astype(np.float16)
    bf16_random = torch.from_numpy(rng.standard_normal(5).astype(np.float32))

    half_bits = np.array(HALF_SPECIAL_BITS, dtype=np.uint16)
    half = np.concatenate([half_bits.view(np.float16), half_random]).reshape(4, 6)

    bf16_special = torch.from_numpy(
        np.array(BF16_SPECIAL_BITS, dtype=np.uint16).view(np.int16)
    ).view(torch.bfloat16)
    brain = torch.cat([bf16_special, bf16_random.to(torch.bfloat16)]).reshape(2, 8)

    return {
        "matrix": torch.from_numpy(matrix),
        "cube": torch.from_numpy(cube),
        "scalar": torch.tensor(3.25, dtype=torch.float32),
        "empty": torch.zeros((2, 0), dtype=torch.float32),
        "half": torch.from_numpy(half),
        "half_scalar": torch.tensor(-0.1, dtype=torch.float16),
        "brain": brain,
    }


def make(out_dir: pathlib.Path) -> list[pathlib.Path]:
    """Writes python_written.safetensors and python_expected.safetensors to out_dir."""
    from safetensors.torch import save_file

    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tensors = python_tensors()
    written = out_dir / PYTHON_WRITTEN
    expected = out_dir / PYTHON_EXPECTED
    save_file(tensors, str(written), metadata=PYTHON_METADATA)
    save_file({k: v.float().contiguous() for k, v in tensors.items()}, str(expected))
    return [written, expected]


def seq4j_expected() -> dict[str, np.ndarray]:
    """The float32 values SafeTensorsTest writes, built the same way as in the test."""
    i = np.arange(12, dtype=np.float32)
    return {
        "embedding.weight": (i * np.float32(0.25) - np.float32(1)).reshape(4, 3),
        "encoder.bias": np.array(SEQ4J_BIAS_BITS, dtype=np.uint32).view(np.float32),
        "conv.weight": (((np.arange(12) * 37) % 11 - 5) / 4.0)
        .astype(np.float32)
        .reshape(2, 2, 3),
        "scale": np.array(0.5, dtype=np.float32),
        "empty": np.zeros((0, 3), dtype=np.float32),
    }


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def _check_bits(name: str, actual: np.ndarray, expected: np.ndarray) -> None:
    _check(actual.dtype == np.float32, f"{name}: dtype {actual.dtype}, expected float32")
    _check(
        actual.shape == expected.shape,
        f"{name}: shape {actual.shape}, expected {expected.shape}",
    )
    same = actual.view(np.uint32) == expected.view(np.uint32)
    _check(
        bool(np.all(same)),
        f"{name}: values differ bit-for-bit: {actual.ravel()[~same.ravel()]} "
        f"expected {expected.ravel()[~same.ravel()]}",
    )


def verify_seq4j_written(path) -> None:
    """Checks a file written by SafeTensorsTest; raises AssertionError if anything is off."""
    import torch
    from safetensors import safe_open
    from safetensors.numpy import load_file as load_numpy
    from safetensors.torch import load_file as load_torch

    path = pathlib.Path(path)
    raw = path.read_bytes()
    (header_len,) = struct.unpack("<Q", raw[:8])
    _check(header_len % 8 == 0, f"header length {header_len} is not a multiple of 8")
    header_bytes = raw[8 : 8 + header_len]
    _check(
        header_bytes.rstrip(b" ").endswith(b"}"),
        "header must be JSON padded with spaces only",
    )
    header = json.loads(header_bytes)
    _check(
        list(header) == ["__metadata__"] + SEQ4J_ORDER,
        f"header order {list(header)}, expected __metadata__ then {SEQ4J_ORDER}",
    )
    offset = 0
    for name in SEQ4J_ORDER:
        entry = header[name]
        _check(entry["dtype"] == "F32", f"{name}: dtype {entry['dtype']}, expected F32")
        begin, end = entry["data_offsets"]
        _check(begin == offset, f"{name}: data starts at {begin}, expected {offset}")
        offset = end
    _check(
        8 + header_len + offset == len(raw),
        f"data section does not end the file ({8 + header_len + offset} != {len(raw)})",
    )

    expected = seq4j_expected()
    arrays = load_numpy(str(path))
    _check(set(arrays) == set(expected), f"tensors {sorted(arrays)}, expected {sorted(expected)}")
    for name, want in expected.items():
        _check_bits(name, arrays[name], want)

    tensors = load_torch(str(path))
    for name, want in expected.items():
        got = tensors[name]
        _check(got.dtype == torch.float32, f"{name}: torch dtype {got.dtype}")
        _check_bits(name, got.numpy(), want)

    with safe_open(str(path), framework="np") as f:
        metadata = f.metadata()
    _check(metadata == SEQ4J_METADATA, f"metadata {metadata}, expected {SEQ4J_METADATA}")


def main() -> None:
    for written in make(FIXTURE_DIR):
        print(f"wrote {written} ({written.stat().st_size} bytes)")
    seq4j = FIXTURE_DIR / SEQ4J_WRITTEN
    if seq4j.exists():
        verify_seq4j_written(seq4j)
        print(f"verified {seq4j}")
    else:
        raise SystemExit(
            f"{seq4j} is missing: run SafeTensorsTest with -Dseq4j.updateFixtures=true"
        )


if __name__ == "__main__":
    main()
