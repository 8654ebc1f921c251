"""Reference values from the real sacreBLEU for seq4j's BLEU (``org.seq4j.text.Bleu``).

``make(out_dir)`` writes ``bleu.json`` with:

* ``tokenize_13a``: lines and their ``13a`` tokenization;
* ``corpora``: random corpora (hypotheses and one to three reference streams) with sacreBLEU's
  default corpus BLEU: score, counts, totals, precisions, brevity penalty, lengths, the score line
  and the signature;
* ``sentences``: random hypothesis/references pairs with ``sentence_bleu`` (exp smoothing,
  effective order) and with the default settings (no effective order).

Lines mix words, punctuation, numbers (``3.14``, ``1,000``, ``10-20``), HTML entities, Unicode
letters, symbols and whitespace (no-break spaces, tabs, trailing spaces), so that every branch of
the ``13a`` tokenizer and Python's whitespace rules is exercised. Every random choice comes from
``random.Random(SEED)``, so the file is reproducible.

Run directly (``bench/peers/.venv/bin/python tools/fixtures_bleu.py``) to write into
``nmt/src/test/resources/fixtures/``; needs ``pip install sacrebleu``.
"""

from __future__ import annotations

import json
import pathlib
import random

import sacrebleu
from sacrebleu.metrics import BLEU

SEED = 20261127

WORDS = (
    "the a of and to in is was that he for it with as his on be at by I this had not are but "
    "from or have an they which one you were her all she there would their we him been has when "
    "who will more no if out so said what up its about into than them can only other new some "
    "could time these two may then do first any my now such like our over man me even most made "
    "after also did many before must through back years where much your way well down should "
    "because each just those people Mr how too little state good very make world still own see "
    "men work long get here between both life being under never day same another know while last "
    "casa perro árbol niño über Straße façade naïve coöperate café jalapeño Zürich 東京 日本語 "
    "Москва привет مرحبا שלום 🙂 🚀 résumé"
).split()

PUNCT = list(".,;:!?'\"()[]{}<>/\\-–—…&%$#@*+=~^`|_") + ["...", "--", "''", "``"]
NUMBERS = ["3.14", "1,000", "10-20", "2026", "0.5", "42", "7-", "-3", "1.", ",5", "12,345.67"]
SPECIAL = ["&amp;", "&quot;", "&lt;", "&gt;", "<skipped>", "don't", "U.S.", "e.g.", "x-ray"]
SPACES = [" ", " ", " ", " ", " ", "  ", "\t", "\u00a0", "\u2009", "\u3000"]


def _token(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.70:
        return rng.choice(WORDS)
    if r < 0.85:
        return rng.choice(PUNCT)
    if r < 0.95:
        return rng.choice(NUMBERS)
    return rng.choice(SPECIAL)


def _line(rng: random.Random, lo: int = 0, hi: int = 25) -> str:
    n = rng.randint(lo, hi)
    out = []
    for i in range(n):
        tok = _token(rng)
        if out and rng.random() < 0.15 and not tok[0].isalnum():
            out.append(tok)  # glued punctuation: "word," "end."
        else:
            if out:
                out.append(rng.choice(SPACES))
            out.append(tok)
    line = "".join(out)
    if rng.random() < 0.1:
        line += rng.choice([" ", "  ", "\t", "\u00a0"])
    if rng.random() < 0.05:
        line = rng.choice([" ", "\u00a0"]) + line
    return line


def _perturb(rng: random.Random, line: str) -> str:
    """A hypothesis made from a reference: some words dropped, replaced, swapped or added."""
    words = line.split(" ")
    out = []
    for w in words:
        r = rng.random()
        if r < 0.12:
            continue
        if r < 0.24:
            out.append(_token(rng))
        elif r < 0.30:
            out.extend([w, _token(rng)])
        else:
            out.append(w)
    if len(out) > 2 and rng.random() < 0.3:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    return " ".join(out)


def _score_dict(score) -> dict:
    return {
        "score": score.score,
        "counts": [int(c) for c in score.counts],
        "totals": [int(t) for t in score.totals],
        "precisions": list(score.precisions),
        "bp": score.bp,
        "sys_len": int(score.sys_len),
        "ref_len": int(score.ref_len),
        "formatted": str(score),
    }


def make(out_dir: pathlib.Path) -> pathlib.Path:
    rng = random.Random(SEED)
    tokenizer = BLEU().tokenizer
    lines = [_line(rng) for _ in range(300)]
    lines += ["", " ", "a.b,c", "1.5,2", "x.,y", "3-4-5", "end-\nof-line", "tab\there", "&amp;&lt;"]
    tokenize = [{"line": s, "tokens": tokenizer(s.rstrip())} for s in lines]

    corpora = []
    for c in range(12):
        nrefs = 1 + c % 3
        size = rng.choice([1, 3, 25, 60])
        refs = [[_line(rng, 1) for _ in range(size)] for _ in range(nrefs)]
        hyps = []
        for i in range(size):
            r = rng.random()
            if r < 0.05:
                hyps.append("")
            elif r < 0.15:
                hyps.append(_line(rng))
            else:
                hyps.append(_perturb(rng, refs[rng.randrange(nrefs)][i]))
        metric = BLEU()
        score = metric.corpus_score(hyps, refs)
        entry = {"hyps": hyps, "refs": refs}
        entry.update(_score_dict(score))
        entry["signature"] = str(metric.get_signature())
        corpora.append(entry)

    sentences = []
    for _ in range(300):
        nrefs = rng.choice([1, 1, 1, 2, 3])
        refs = [_line(rng, 1) for _ in range(nrefs)]
        hyp = _perturb(rng, rng.choice(refs)) if rng.random() < 0.85 else _line(rng)
        entry = {"hyp": hyp, "refs": refs}
        entry["effective"] = _score_dict(sacrebleu.sentence_bleu(hyp, refs))
        entry["default"] = _score_dict(BLEU().corpus_score([hyp], [[r] for r in refs]))
        sentences.append(entry)

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "bleu.json"
    doc = {
        "sacrebleu_version": sacrebleu.__version__,
        "seed": SEED,
        "tokenize_13a": tokenize,
        "corpora": corpora,
        "sentences": sentences,
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    root = pathlib.Path(__file__).resolve().parent.parent
    written = make(root / "nmt" / "src" / "test" / "resources" / "fixtures")
    print(f"wrote {written.relative_to(root)} (sacrebleu {sacrebleu.__version__})")
