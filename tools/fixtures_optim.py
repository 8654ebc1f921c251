"""Reference values from PyTorch for seq4j's losses, optimizers, clipping and LR schedules.

``make(out_dir)`` writes three small safetensors files (all tensors F32):

* ``losses.safetensors``: cross-entropy with an ignore index, with and without label
  smoothing, its gradient with respect to the logits, an all-ignored batch, and MSE.
* ``optim.safetensors``: two parameters updated for ten steps by SGD (plain and Nesterov
  momentum), Adam and AdamW, with ``clip_grad_norm_`` applied to the supplied gradients
  before every step; the parameters after every step and the clip norms.
* ``schedules.safetensors``: learning rates produced by torch's own schedulers attached
  to a dummy optimizer.

Hyper-parameters are stored as strings in each file's ``__metadata__`` so that the Java
tests read them instead of repeating them. Every random value comes from a seeded
generator, so the files are reproducible.

Run directly to write into ``core/src/test/resources/fixtures/``.
"""

from __future__ import annotations

import math
import pathlib
import warnings

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

PAD = 0
MAX_NORM = 1.0
STEPS = 10


def _f32(t: torch.Tensor) -> torch.Tensor:
    return t.detach().to(torch.float32).contiguous()


def _save(path: pathlib.Path, tensors: dict, metadata: dict) -> None:
    save_file(
        {k: _f32(v) for k, v in tensors.items()},
        str(path),
        metadata={k: str(v) for k, v in metadata.items()},
    )


# ---------------------------------------------------------------------------------------
# Losses
# ---------------------------------------------------------------------------------------


def _cross_entropy(logits, targets, label_smoothing, reduction="mean"):
    x = logits.clone().requires_grad_(True)
    v = logits.shape[-1]
    loss = F.cross_entropy(
        x.reshape(-1, v),
        targets.reshape(-1),
        ignore_index=PAD,
        label_smoothing=label_smoothing,
        reduction=reduction,
    )
    loss.backward()
    return loss.detach().reshape(1), x.grad


def make_losses(path: pathlib.Path) -> None:
    g = torch.Generator().manual_seed(0)
    b, t, v = 3, 5, 7
    logits = torch.randn(b, t, v, generator=g) * 2.0
    targets = torch.randint(1, v, (b, t), generator=g)
    # Right padding (lengths 5, 3, 4) plus one pad id inside a sequence.
    targets[1, 3:] = PAD
    targets[2, 4:] = PAD
    targets[0, 2] = PAD
    count = int((targets != PAD).sum())

    tensors = {"logits": logits, "targets": targets}
    cases = {"plain": 0.0, "smoothed": 0.1}
    metadata = {"ignore_index": PAD, "count": count, "cases": ",".join(cases)}
    for name, eps in cases.items():
        loss, grad = _cross_entropy(logits, targets, eps)
        total, _ = _cross_entropy(logits, targets, eps, reduction="sum")
        tensors[f"{name}.loss"] = loss
        tensors[f"{name}.grad"] = grad
        tensors[f"{name}.sum"] = total
        metadata[f"{name}.label_smoothing"] = repr(eps)

    # Every target ignored: torch's mean is 0/0 = NaN; seq4j defines it as the (zero) sum.
    ignored_logits = torch.randn(2, 3, v, generator=g)
    ignored_targets = torch.full((2, 3), PAD, dtype=torch.long)
    loss, grad = _cross_entropy(ignored_logits, ignored_targets, 0.1, reduction="sum")
    tensors.update(
        {
            "ignored.logits": ignored_logits,
            "ignored.targets": ignored_targets,
            "ignored.loss": loss,
            "ignored.grad": grad,
        }
    )
    metadata["ignored.label_smoothing"] = repr(0.1)

    prediction = torch.randn(4, 6, generator=g)
    target = torch.randn(4, 6, generator=g)
    x = prediction.clone().requires_grad_(True)
    mse = F.mse_loss(x, target)
    mse.backward()
    tensors.update(
        {
            "mse.prediction": prediction,
            "mse.target": target,
            "mse.loss": mse.detach().reshape(1),
            "mse.grad": x.grad,
        }
    )
    _save(path, tensors, metadata)


# ---------------------------------------------------------------------------------------
# Optimizers and gradient clipping
# ---------------------------------------------------------------------------------------


def warmup_inverse_sqrt_factor(step: int, warmup: int) -> float:
    """min((s+1)/warmup, sqrt(warmup/(s+1))), the formula of LrSchedule.warmupInverseSqrt."""
    s = step + 1
    return min(s / warmup, math.sqrt(warmup / s))


OPTIMIZER_RUNS = {
    "sgd": dict(
        kind="sgd", lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.01, nesterov=False
    ),
    "sgd_nesterov": dict(
        kind="sgd", lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.01, nesterov=True
    ),
    "adam": dict(kind="adam", lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01),
    "adamw": dict(
        kind="adamw",
        lr=0.01,
        beta1=0.9,
        beta2=0.999,
        eps=1e-8,
        weight_decay=0.01,
        schedule="warmup_inverse_sqrt",
        warmup_steps=3,
    ),
}


def _torch_optimizer(params, h):
    if h["kind"] == "sgd":
        return torch.optim.SGD(
            params,
            lr=h["lr"],
            momentum=h["momentum"],
            dampening=h["dampening"],
            weight_decay=h["weight_decay"],
            nesterov=h["nesterov"],
            foreach=False,
        )
    cls = torch.optim.Adam if h["kind"] == "adam" else torch.optim.AdamW
    return cls(
        params,
        lr=h["lr"],
        betas=(h["beta1"], h["beta2"]),
        eps=h["eps"],
        weight_decay=h["weight_decay"],
        foreach=False,
    )


def make_optim(path: pathlib.Path) -> None:
    g = torch.Generator().manual_seed(0)
    init = {"w": torch.randn(4, 3, generator=g), "b": torch.randn(3, generator=g)}
    grads = {k: torch.randn(STEPS, *v.shape, generator=g) * 0.2 for k, v in init.items()}
    large = [1, 4, 7]  # steps whose gradients are scaled up so that clipping triggers
    for k in grads:
        grads[k][large] *= 20.0

    tensors = {f"init.{k}": v for k, v in init.items()}
    tensors.update({f"grads.{k}": v for k, v in grads.items()})
    metadata = {
        "params": ",".join(init),
        "steps": STEPS,
        "max_norm": repr(MAX_NORM),
        "runs": ",".join(OPTIMIZER_RUNS),
    }
    for run, h in OPTIMIZER_RUNS.items():
        params = [init[k].clone().requires_grad_(True) for k in init]
        opt = _torch_optimizer(params, h)
        sched = None
        if h.get("schedule") == "warmup_inverse_sqrt":
            w = h["warmup_steps"]
            sched = torch.optim.lr_scheduler.LambdaLR(
                opt, lambda s, w=w: warmup_inverse_sqrt_factor(s, w)
            )
        after = {k: [] for k in init}
        norms, lrs = [], []
        for step in range(STEPS):
            for p, k in zip(params, init):
                p.grad = grads[k][step].clone()
            norms.append(
                float(torch.nn.utils.clip_grad_norm_(params, MAX_NORM, foreach=False))
            )
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            if sched is not None:
                sched.step()
            for p, k in zip(params, init):
                after[k].append(p.detach().clone())
        for k in init:
            tensors[f"{run}.{k}"] = torch.stack(after[k])
        tensors[f"{run}.clip_norm"] = torch.tensor(norms)
        tensors[f"{run}.lrs"] = torch.tensor(lrs)
        for key, value in h.items():
            metadata[f"{run}.{key}"] = str(value).lower() if isinstance(value, bool) else value
    _save(path, tensors, metadata)


# ---------------------------------------------------------------------------------------
# Learning-rate schedules
# ---------------------------------------------------------------------------------------


def _lrs(make_scheduler, lr: float, n: int) -> list[float]:
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    sched = make_scheduler(opt)
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(n):
            out.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
    return out


def warmup_cosine_closed_form(step, lr, warmup, total, min_lr):
    """The closed form of LrSchedule.warmupCosine."""
    if step < warmup:
        return lr * (step + 1) / warmup
    progress = min(step - warmup, total - warmup) / (total - warmup)
    return min_lr + (lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2


def make_schedules(path: pathlib.Path) -> None:
    tensors, metadata = {}, {}

    lr, warmup, n = 5e-4, 8, 40
    lrs = _lrs(
        lambda o: torch.optim.lr_scheduler.LambdaLR(
            o, lambda s: warmup_inverse_sqrt_factor(s, warmup)
        ),
        lr,
        n,
    )
    tensors["inverse_sqrt.lrs"] = torch.tensor(lrs, dtype=torch.float64)
    metadata.update({"inverse_sqrt.lr": lr, "inverse_sqrt.warmup_steps": warmup})

    # Linear warm-up to lr over the first `warmup` steps (factor (s+1)/warmup), then
    # cosine annealing from lr to min_lr over total - warmup steps.
    lr, warmup, total, min_lr = 1e-3, 5, 30, 1e-5
    lrs = _lrs(
        lambda o: torch.optim.lr_scheduler.SequentialLR(
            o,
            [
                torch.optim.lr_scheduler.LinearLR(
                    o, start_factor=1.0 / warmup, end_factor=1.0, total_iters=warmup - 1
                ),
                torch.optim.lr_scheduler.CosineAnnealingLR(
                    o, T_max=total - warmup, eta_min=min_lr
                ),
            ],
            milestones=[warmup],
        ),
        lr,
        total + 1,
    )
    closed = [warmup_cosine_closed_form(s, lr, warmup, total, min_lr) for s in range(total + 1)]
    worst = max(abs(a - b) / b for a, b in zip(lrs, closed))
    if worst > 1e-9:
        raise AssertionError(f"closed-form cosine differs from torch by {worst:.3g}")
    tensors["cosine.lrs"] = torch.tensor(lrs, dtype=torch.float64)
    metadata.update(
        {
            "cosine.lr": lr,
            "cosine.warmup_steps": warmup,
            "cosine.total_steps": total,
            "cosine.min_lr": min_lr,
        }
    )

    lr, start, interval, halvings, n = 1.0, 10, 5, 4, 40
    milestones = [start + i * interval for i in range(halvings)]
    lrs = _lrs(
        lambda o: torch.optim.lr_scheduler.MultiStepLR(o, milestones=milestones, gamma=0.5),
        lr,
        n,
    )
    tensors["gnmt.lrs"] = torch.tensor(lrs, dtype=torch.float64)
    metadata.update(
        {
            "gnmt.lr": lr,
            "gnmt.start_step": start,
            "gnmt.interval": interval,
            "gnmt.max_halvings": halvings,
        }
    )
    _save(path, tensors, metadata)


def make(out_dir: pathlib.Path) -> None:
    """Writes losses.safetensors, optim.safetensors and schedules.safetensors into out_dir."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    make_losses(out_dir / "losses.safetensors")
    make_optim(out_dir / "optim.safetensors")
    make_schedules(out_dir / "schedules.safetensors")


if __name__ == "__main__":
    root = pathlib.Path(__file__).resolve().parent.parent
    make(root / "core" / "src" / "test" / "resources" / "fixtures")
