"""Routing classifier benchmark: train on the shipped train.jsonl only, evaluate on each held-out set
(by default both: heldout.jsonl, written with the training set, and fresh.jsonl, written apart from it).

    .venv/bin/python bench/routing.py [--algorithm logreg|svm_calibrated|svm_softmax|sgd|all]
                                      [--train PATH] [--heldout PATH [PATH ...]] [--mistakes N]

Prints, for each held-out set, accuracy, top-3 accuracy, macro-F1, per-unit precision/recall and the
confusion pairs (true → predicted); and latency: p50/p95 of one text at a time (the dispatcher's page) and
batch throughput (`linli route`).
Goals (issue 6): top-1 >= 92%, top-3 >= 98%, <= 5 ms per text. No database needed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from linli.appeals.routing import model as m  # noqa: E402

FRESH_FILE = m.DATA_DIR / "fresh.jsonl"


def latency(router: m.Router, texts: list[str]) -> dict:
    router.predict(texts[:5])  # warm up
    singles = []
    for t in texts:
        start = time.perf_counter()
        router.predict([t])
        singles.append((time.perf_counter() - start) * 1000)
    singles.sort()
    start = time.perf_counter()
    router.predict(texts, explain=False)
    batch = time.perf_counter() - start
    long_text = "楼道灯坏了好几天没人修，晚上上下楼很不方便。" * 500  # ~10,000 characters
    start = time.perf_counter()
    router.predict([long_text])
    long_ms = (time.perf_counter() - start) * 1000
    return {
        "p50_ms": statistics.median(singles),
        "p95_ms": singles[int(0.95 * (len(singles) - 1))],
        "batch_ms_per_text": batch * 1000 / len(texts),
        "batch_per_second": len(texts) / batch,
        "long_text_ms": long_ms,
    }


def ok(good: bool) -> str:
    return "✓" if good else "✗"


def report(algorithm: str, train: list[m.Example], heldouts: dict[str, list[m.Example]], mistakes: int) -> list[dict]:
    start = time.perf_counter()
    router = m.train(train, algorithm=algorithm)
    fit_s = time.perf_counter() - start
    lat = latency(router, [e.text for examples in heldouts.values() for e in examples])
    print(f"\n== {algorithm}: trained on {len(train)} texts in {fit_s:.1f} s, {len(router.dumps()) // 1024} KiB")
    print(
        f"latency single     p50 {lat['p50_ms']:.2f} ms, p95 {lat['p95_ms']:.2f} ms  {ok(lat['p95_ms'] <= 5)} goal 5 ms"
    )
    print(f"latency batch      {lat['batch_ms_per_text']:.3f} ms/text ({lat['batch_per_second']:.0f} texts/s)")
    print(f"10,000-char text   {lat['long_text_ms']:.2f} ms")
    rows = []
    for name, heldout in heldouts.items():
        r = evaluate(router, name, heldout, mistakes)
        rows.append({"algorithm": algorithm, "set": name, **{k: r[k] for k in ("accuracy", "top3", "macro_f1")}})
        rows[-1].update(lat, fit_s=fit_s)
    return rows


def evaluate(router: m.Router, name: str, heldout: list[m.Example], mistakes: int) -> dict:
    r = m.evaluate(router, heldout)
    print(f"\n-- {name}: {r['n']} held-out texts")
    print(f"accuracy (top-1)   {r['accuracy']:.1%}  {ok(r['accuracy'] >= 0.92)} goal 92%")
    print(f"top-3 accuracy     {r['top3']:.1%}  {ok(r['top3'] >= 0.98)} goal 98%")
    print(f"macro-F1           {r['macro_f1']:.3f}")
    print("\nper unit           precision  recall  f1     n")
    for unit, u in sorted(r["per_unit"].items()):
        print(f"  {unit:<16} {u['precision']:>8.1%} {u['recall']:>7.1%}  {u['f1']:.3f} {u['support']:>4}")
    print("\nconfusions (true → predicted: count)")
    for pair, count in r["confusions"].items() or [("none", 0)]:
        print(f"  {pair}: {count}")
    if mistakes:
        print(f"\nmistakes (first {mistakes})")
        for x in r["mistakes"][:mistakes]:
            print(f"  [{x['unit']} → {x['predicted']} {x['confidence']:.2f}] {x['text']}")
    return r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--algorithm", default=m.DEFAULT_ALGORITHM, choices=[*m.ALGORITHMS, "all"])
    parser.add_argument("--train", type=Path, default=m.TRAIN_FILE)
    parser.add_argument(
        "--heldout", type=Path, nargs="+", default=[m.HELDOUT_FILE, FRESH_FILE], help="one or more JSON-lines files"
    )
    parser.add_argument("--mistakes", type=int, default=20, help="print the first N misrouted held-out texts")
    args = parser.parse_args()
    train = m.load_examples(args.train)
    print(f"train {args.train}: {len(train)} texts, {len({e.unit for e in train})} units")
    heldouts = {}
    for path in args.heldout:
        heldouts[path.name] = examples = m.load_examples(path)
        print(f"held-out {path}: {len(examples)} texts, {len({e.unit for e in examples})} units")
    algorithms = m.ALGORITHMS if args.algorithm == "all" else (args.algorithm,)
    rows = [row for a in algorithms for row in report(a, train, heldouts, args.mistakes)]
    print("\n== summary")
    print("algorithm       held-out set     top-1   top-3  macro-F1  p50 ms  p95 ms  fit s")
    for x in rows:
        print(
            f"{x['algorithm']:<15} {x['set']:<15} {x['accuracy']:>6.1%} {x['top3']:>6.1%}  {x['macro_f1']:.3f}"
            f"  {x['p50_ms']:>6.2f}  {x['p95_ms']:>6.2f}  {x['fit_s']:>5.1f}"
        )


if __name__ == "__main__":
    main()
