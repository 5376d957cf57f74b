"""Routing classifier benchmark: train on the shipped training set only (train.jsonl + letters_train.jsonl),
evaluate on each held-out set (by default all three: heldout.jsonl, written with the training set; fresh.jsonl,
written apart from it; letters_heldout.jsonl, long formal letters written apart by bench/letters_heldout.py).

    .venv/bin/python bench/routing.py [--algorithm logreg|svm_calibrated|svm_softmax|sgd|all]
                                      [--train PATH [PATH ...]] [--heldout PATH [PATH ...]] [--mistakes N]

Prints, for each held-out set, accuracy, top-3 accuracy, macro-F1, expected calibration error (ECE, 10 bins),
per-unit precision/recall and the confusion pairs (true → predicted); latency: p50/p95 of one text at a time (the
dispatcher's page) over all sets and over the letters alone, and batch throughput (`linli route`); training time.
Goals (issues 6, 21): top-1 >= 92%, top-3 >= 98%, <= 5 ms per text. No database needed.
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
DEFAULT_TRAIN = [m.TRAIN_FILE, m.LETTERS_TRAIN_FILE]
DEFAULT_HELDOUT = [m.HELDOUT_FILE, FRESH_FILE, m.LETTERS_HELDOUT_FILE]


def latency(router: m.Router, texts: list[str]) -> dict:
    router.predict(texts[:5])  # warm up
    singles, cpu = [], []
    for t in texts:
        start, start_cpu = time.perf_counter(), time.process_time()
        router.predict([t])
        singles.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    singles.sort()
    cpu.sort()
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
        # CPU time of this process: what the text costs, not what the other jobs on a shared machine cost
        "cpu_p50_ms": statistics.median(cpu),
        "cpu_p95_ms": cpu[int(0.95 * (len(cpu) - 1))],
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
    cpu_p95 = lat["cpu_p95_ms"]
    print(f"latency single CPU p50 {lat['cpu_p50_ms']:.2f} ms, p95 {cpu_p95:.2f} ms  {ok(cpu_p95 <= 5)} goal 5 ms")
    print(f"latency batch      {lat['batch_ms_per_text']:.3f} ms/text ({lat['batch_per_second']:.0f} texts/s)")
    print(f"10,000-char text   {lat['long_text_ms']:.2f} ms")
    rows = []
    for name, heldout in heldouts.items():
        r = evaluate(router, name, heldout, mistakes)
        own = latency(router, [e.text for e in heldout])  # per set: letters are longer than chat messages
        rows.append({"algorithm": algorithm, "set": name, **{k: r[k] for k in ("accuracy", "top3", "macro_f1", "ece")}})
        rows[-1].update(lat, fit_s=fit_s, set_p95_ms=own["p95_ms"], set_cpu_p95_ms=own["cpu_p95_ms"])
    return rows


def evaluate(router: m.Router, name: str, heldout: list[m.Example], mistakes: int) -> dict:
    r = m.evaluate(router, heldout)
    print(f"\n-- {name}: {r['n']} held-out texts")
    print(f"accuracy (top-1)   {r['accuracy']:.1%}  {ok(r['accuracy'] >= 0.92)} goal 92%")
    print(f"top-3 accuracy     {r['top3']:.1%}  {ok(r['top3'] >= 0.98)} goal 98%")
    print(f"macro-F1           {r['macro_f1']:.3f}")
    print(f"ECE (10 bins)      {r['ece']:.3f}  (0 = the confidence is the accuracy)")
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
    parser.add_argument("--train", type=Path, nargs="+", default=DEFAULT_TRAIN, help="one or more JSON-lines files")
    parser.add_argument("--heldout", type=Path, nargs="+", default=DEFAULT_HELDOUT, help="one or more JSON-lines files")
    parser.add_argument("--mistakes", type=int, default=20, help="print the first N misrouted held-out texts")
    args = parser.parse_args()
    if args.train == DEFAULT_TRAIN:
        train = m.load_training()  # as the app trains: the letters weighted m.LETTER_WEIGHT
    else:
        train = [e for path in args.train for e in m.load_examples(path)]
    print(f"train {', '.join(p.name for p in args.train)}: {len(train)} texts, {len({e.unit for e in train})} units")
    heldouts = {}
    for path in args.heldout:
        heldouts[path.name] = examples = m.load_examples(path)
        print(f"held-out {path}: {len(examples)} texts, {len({e.unit for e in examples})} units")
    algorithms = m.ALGORITHMS if args.algorithm == "all" else (args.algorithm,)
    rows = [row for a in algorithms for row in report(a, train, heldouts, args.mistakes)]
    print("\n== summary")
    print("algorithm       held-out set           top-1   top-3  macro-F1   ECE  p95 ms wall / CPU  fit s")
    for x in rows:
        print(
            f"{x['algorithm']:<15} {x['set']:<21} {x['accuracy']:>6.1%} {x['top3']:>6.1%}  {x['macro_f1']:.3f}"
            f"  {x['ece']:.3f}  {x['set_p95_ms']:>7.2f} / {x['set_cpu_p95_ms']:>5.2f}  {x['fit_s']:>5.1f}"
        )


if __name__ == "__main__":
    main()
