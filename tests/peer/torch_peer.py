#!/usr/bin/env python3
"""The PyTorch peer: replays a geneft run from its init dump and compares the curves.

Reads the JSON that `geneft train --dump-init` writes (samples, split, initial weights,
targets, config), builds the same model in PyTorch (float64, one thread), trains it full
batch with the same optimizer, and compares train/test loss and accuracy with geneft's curve
(CSV from `geneft export`) at every step geneft evaluated.

usage: torch_peer.py DUMP.json CURVE.csv [--rtol 1e-9]
"""
import argparse
import csv
import json
import math
import sys

import torch
import torch.nn.functional as F


def build_transformer(dump):
    """Nanda et al. 2023's one-layer transformer as their code writes it: attention and MLP at
    every position with the causal mask, the loss read at the last one. Unembeds to the task's
    classes, as geneft does."""
    cfg = dump["config"]
    t = {k: torch.tensor(v, requires_grad=True) for k, v in dump["tensors"].items()}
    H, dh = cfg["model.n_heads"], cfg["model.d_head"]
    eq = len(dump["tensors"]["W_E"]) - 1  # the "=" token
    mask = torch.tril(torch.ones(3, 3, dtype=torch.bool))

    def forward(a, b):
        tok = torch.stack([a, b, torch.full_like(a, eq)], dim=1)
        x = t["W_E"][tok] + t["W_pos"]                      # (B, 3, d)
        B = x.shape[0]
        q, k, v = (torch.einsum("bpd,hd->bph", x, t[w]).reshape(B, 3, H, dh) for w in ("W_Q", "W_K", "W_V"))
        scores = torch.einsum("bqhi,bphi->bhqp", q, k) / math.sqrt(dh)
        att = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
        z = torch.einsum("bhqp,bphi->bqhi", att, v).reshape(B, 3, H * dh)
        x = x + z @ t["W_O"].T
        x = x + F.linear(torch.relu(F.linear(x, t["W_in"], t["b_in"])), t["W_out"], t["b_out"])
        return (x @ t["W_U"].T)[:, -1]

    enc = [t["W_E"], t["W_pos"]]
    return enc, [p for k, p in t.items() if k not in ("W_E", "W_pos")], forward


def build(dump):
    """The model of dump["config"]["model.arch"] from the dump's named tensors:
    (encoder parameters, decoder parameters, forward(a, b))."""
    cfg = dump["config"]
    if cfg.get("model.arch") == "transformer":
        return build_transformer(dump)
    if cfg.get("model.arch", "mlp") != "mlp":
        sys.exit(f"peer: no model for model.arch = {cfg['model.arch']}")
    tensors = dump["tensors"]
    E = torch.tensor(tensors["embedding"], requires_grad=True)
    dense = "dense" in dump  # dense inputs enter the first Linear; no embedding
    layers = []
    for i in range(cfg["model.depth"] + 1):
        W = torch.tensor(tensors[f"decoder.{i}.weight"], requires_grad=True)
        b = torch.tensor(tensors[f"decoder.{i}.bias"], requires_grad=True)
        layers.append((W, b))
    def matmul(x, y):  # each embedding a k x k matrix, row-major; the decoder reads E_a E_b
        k = math.isqrt(x.shape[1])
        return torch.matmul(x.reshape(-1, k, k), y.reshape(-1, k, k)).reshape(len(x), -1)

    act = {"tanh": torch.tanh, "relu": torch.relu, "gelu": F.gelu, "silu": F.silu}[cfg["model.activation"]]
    combine = {
        "sum": lambda x, y: x + y,
        "concat": lambda x, y: torch.cat([x, y], dim=1),
        "diff": lambda x, y: x - y,
        "sqdiff": lambda x, y: (x - y) ** 2,
        "matmul": matmul,
    }[cfg["model.combiner"]]

    def forward(a, b):
        h = a if dense else combine(E[a], E[b])
        for i, (W, bias) in enumerate(layers):
            h = F.linear(h, W, bias)
            if i < len(layers) - 1:
                h = act(h)
        return h

    return [E], [p for layer in layers for p in layer], forward


def head(dump):
    kind = dump["config"]["model.head"]
    if kind == "regression":  # each sample's own target; correct: mean squared error below 1e-3 (Omnigrok)
        return (lambda out, y: ((out - y) ** 2).mean()), (lambda out, y: ((out - y) ** 2).mean(dim=1) < 1e-3)
    if kind == "cross_entropy":
        return (lambda out, y: F.cross_entropy(out, y)), (lambda out, y: out.argmax(dim=1) == y)
    if kind in ("mse", "mse_onehot"):
        T = torch.tensor(dump["tensors"]["targets"])
        return (lambda out, y: ((out - T[y]) ** 2).mean()), (lambda out, y: torch.cdist(out, T).argmin(dim=1) == y)
    return ((lambda out, y: F.binary_cross_entropy_with_logits(out[:, 0], y.double())),
            (lambda out, y: (out[:, 0] > 0).long() == y))


def optimizer(cfg, enc_params, dec_params):
    """The optimizer of the config and its learning-rate schedule (linear warm-up, as Nanda et
    al. 2023 train: lr * min(step / warmup_steps, 1), 0 at the first step)."""
    groups = [
        {"params": enc_params, "lr": cfg["optim.encoder_lr"], "weight_decay": cfg["optim.encoder_wd"]},
        {"params": dec_params, "lr": cfg["optim.decoder_lr"], "weight_decay": cfg["optim.decoder_wd"]},
    ]
    kind = cfg["optim.kind"]
    if kind == "sgd":
        opt = torch.optim.SGD(groups, lr=cfg["optim.encoder_lr"], momentum=cfg["optim.momentum"])
    else:
        betas = (cfg["optim.beta1"], cfg["optim.beta2"])
        cls = torch.optim.Adam if kind == "adam" else torch.optim.AdamW
        opt = cls(groups, lr=cfg["optim.encoder_lr"], betas=betas, eps=cfg["optim.eps"])
    warmup = cfg.get("optim.warmup_steps", 0)
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: min(step / warmup, 1.0) if warmup else 1.0)
    return opt, schedule


def rel(x, y):
    return abs(x - y) / max(abs(y), 1e-300)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dump")
    ap.add_argument("curve")
    ap.add_argument("--rtol", type=float, default=1e-9)
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)

    dump = json.load(open(args.dump))
    cfg = dump["config"]
    if cfg["model.dtype"] != "float64" or cfg["optim.batch_size"] != 0:
        sys.exit("peer: needs model.dtype=float64 and full batch (optim.batch_size=0)")
    with open(args.curve) as f:
        curve = {int(r["step"]): r for r in csv.DictReader(f)}

    if "dense" in dump:  # dense inputs (B, F) in place of the symbols; dense targets in place of labels
        a = torch.tensor(dump["dense"])
        b = torch.zeros(len(a), dtype=torch.long)
        label = torch.tensor(dump["targets"]) if "targets" in dump else torch.tensor(dump["label"])
    else:
        a, b, label = (torch.tensor(dump[k]) for k in ("a", "b", "label"))
    sets = {}
    for name in ("train", "test"):
        idx = torch.tensor(dump[name], dtype=torch.long)
        sets[name] = (a[idx], b[idx], label[idx])

    enc, dec, forward = build(dump)
    loss_fn, correct = head(dump)
    opt, schedule = optimizer(cfg, enc, dec)
    l1 = cfg.get("optim.encoder_l1", 0.0)
    # train.fixed_norm: after each step the chosen groups are rescaled to their initial joint L2
    # norm (Omnigrok, Liu, Michaud, Tegmark 2022)
    sphere = {"none": [], "all": enc + dec, "encoder": enc, "decoder": dec}[cfg.get("train.fixed_norm", "none")]
    with torch.no_grad():
        radius = torch.sqrt(sum((p ** 2).sum() for p in sphere)) if sphere else None

    def measure(name):
        x, y, t = sets[name]
        if len(t) == 0:
            return math.nan, math.nan
        with torch.no_grad():
            out = forward(x, y)
            return loss_fn(out, t).item(), correct(out, t).double().mean().item()

    worst = {"train_loss": 0.0, "test_loss": 0.0}
    failures = 0
    last = max(curve)
    for step in range(last + 1):
        if step in curve:
            row = curve[step]
            for name in ("train", "test"):
                loss, acc = measure(name)
                if math.isnan(loss):
                    continue
                r = rel(float(row[name + "_loss"]), loss)
                worst[name + "_loss"] = max(worst[name + "_loss"], r)
                if r > args.rtol or float(row[name + "_acc"]) != acc:
                    failures += 1
                    if failures <= 10:
                        print(f"step {step} {name}: geneft loss {row[name + '_loss']} acc {row[name + '_acc']}, "
                              f"torch loss {loss!r} acc {acc!r} (rel {r:.3g})")
        if step == last:
            break
        x, y, t = sets["train"]
        opt.zero_grad()
        loss = loss_fn(forward(x, y), t)
        if l1:  # optim.encoder_l1: l1 * mean |w| over the encoder's parameters
            loss = loss + l1 * sum(p.abs().sum() for p in enc) / sum(p.numel() for p in enc)
        loss.backward()
        opt.step()
        schedule.step()
        if sphere:
            with torch.no_grad():
                scale = radius / torch.sqrt(sum((p ** 2).sum() for p in sphere))
                for p in sphere:
                    p.mul_(scale)

    print(f"peer: {len(curve)} evaluations over {last} steps; worst relative loss difference "
          f"train {worst['train_loss']:.3g}, test {worst['test_loss']:.3g} (tolerance {args.rtol:g})")
    if failures:
        print(f"peer: {failures} mismatches")
        sys.exit(1)


if __name__ == "__main__":
    main()
