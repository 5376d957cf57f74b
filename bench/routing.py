"""Routing classifier benchmark: train on the shipped train.jsonl only, evaluate on heldout.jsonl.

    .venv/bin/python bench/routing.py [--algorithm logreg|svm_calibrated|svm_softmax|sgd|all]
                                      [--train PATH] [--heldout PATH] [--mistakes N]

Prints accuracy, top-3 accuracy, macro-F1, per-unit precision/recall, the confusion pairs (true → predicted)
and latency: p50/p95 of one text at a time (the dispatcher's page) and batch throughput (`linli route`).
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


def report(algorithm: str, train: list[m.Example], heldout: list[m.Example], mistakes: int) -> dict:
    start = time.perf_counter()
    router = m.train(train, algorithm=algorithm)
    fit_s = time.perf_counter() - start
    r = m.evaluate(router, heldout)
    lat = latency(router, [e.text for e in heldout])
    ok = lambda good: "✓" if good else "✗"
    print(f"\n== {algorithm}: trained on {len(train)} texts in {fit_s:.1f} s, {len(router.dumps()) // 1024} KiB")
    print(f"held-out texts     {r['n']}")
    print(f"accuracy (top-1)   {r['accuracy']:.1%}  {ok(r['accuracy'] >= 0.92)} goal 92%")
    print(f"top-3 accuracy     {r['top3']:.1%}  {ok(r['top3'] >= 0.98)} goal 98%")
    print(f"macro-F1           {r['macro_f1']:.3f}")
    print(
        f"latency single     p50 {lat['p50_ms']:.2f} ms, p95 {lat['p95_ms']:.2f} ms  {ok(lat['p95_ms'] <= 5)} goal 5 ms"
    )
    print(f"latency batch      {lat['batch_ms_per_text']:.3f} ms/text ({lat['batch_per_second']:.0f} texts/s)")
    print(f"10,000-char text   {lat['long_text_ms']:.2f} ms")
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
    return {"algorithm": algorithm, **{k: r[k] for k in ("accuracy", "top3", "macro_f1")}, **lat, "fit_s": fit_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--algorithm", default=m.DEFAULT_ALGORITHM, choices=[*m.ALGORITHMS, "all"])
    parser.add_argument("--train", type=Path, default=m.TRAIN_FILE)
    parser.add_argument("--heldout", type=Path, default=m.HELDOUT_FILE)
    parser.add_argument("--mistakes", type=int, default=20, help="print the first N misrouted held-out texts")
    args = parser.parse_args()
    train, heldout = m.load_examples(args.train), m.load_examples(args.heldout)
    print(f"train {args.train}: {len(train)} texts, {len({e.unit for e in train})} units")
    print(f"held-out {args.heldout}: {len(heldout)} texts, {len({e.unit for e in heldout})} units")
    algorithms = m.ALGORITHMS if args.algorithm == "all" else (args.algorithm,)
    rows = [report(a, train, heldout, args.mistakes) for a in algorithms]
    if len(rows) > 1:
        print("\n== summary")
        print("algorithm        top-1   top-3  macro-F1  p50 ms  p95 ms  fit s")
        for x in rows:
            print(
                f"{x['algorithm']:<15} {x['accuracy']:>6.1%} {x['top3']:>6.1%}  {x['macro_f1']:.3f}"
                f"  {x['p50_ms']:>6.2f}  {x['p95_ms']:>6.2f}  {x['fit_s']:>5.1f}"
            )


if __name__ == "__main__":
    main()
