"""The routing classifier ("啥事儿该找谁"): appeal text → handling unit code, with a confidence and two
alternatives.

A linear model over character n-grams: Chinese appeals are short, colloquial and full of typos, and the
words that decide the unit (楼道灯, 井盖, 低保, 飞线) are two to four characters long, so character 1–3-grams
inside each clause carry them without a word segmenter. Text is normalised first (Traditional → Simplified,
full-width → half-width, lower case, digits dropped: phone, room and building numbers only add noise, the
12345 hotline's transcript frame dropped, a few dialect words mapped to Mandarin).

This module has no Django dependency: bench/routing.py and the tests train and evaluate it directly; the
database side (versions, corrections, the per-process cache) lives in linli.appeals.routing.services.
"""

from __future__ import annotations

import json
import pickle
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from linli.appeals.routing.t2s import T2S

DATA_DIR = Path(__file__).resolve().parent / "data"
TRAIN_FILE = DATA_DIR / "train.jsonl"
HELDOUT_FILE = DATA_DIR / "heldout.jsonl"

#: The unit an appeal goes to when the text says nothing: the community sorts it out (handling-units.md).
FALLBACK_UNIT = "community"
#: Only the start of a very long text is read: the matter is stated early, and latency stays flat.
MAX_CHARS = 1000
#: Bump when normalise() changes, so a stored model trained on the old normalisation is not misused.
NORMALISER_VERSION = 2
ALGORITHMS = ("logreg", "svm_calibrated", "svm_softmax", "sgd")
DEFAULT_ALGORITHM = "svm_softmax"

_DIGITS = re.compile(r"[0-9０-９]+")
# Everything that is not a letter or digit of some script becomes a clause boundary (char_wb n-grams do not
# cross it): punctuation, emoji, symbols.
_NON_WORD = re.compile(r"[^\w]+|_+")
# The frame of a 12345 hotline transcript ("市民来电反映：其……") says how the appeal arrived, not what it is
# about; left in, "来电" leans every transcript towards power (供电: "什么时候来电").
_HOTLINE = re.compile(
    r"(?:市民|群众|来电人|诉求人)?来电(?:反映|称|咨询|投诉|求助|表示)"
    r"|市民(?:反映|投诉|咨询)|来电人|诉求人"
)
# Dialect and colloquial words → the Mandarin the training set mostly uses (Wuhan 么子/冇得/搞么事/么样, northern
# 啥/咋/俺); applied after Traditional → Simplified. Only words that mean the same everywhere; a bare 么 only
# when no 什/怎/这/那/多 comes before it ("什么时候" stays as it is).
_BARE_ME = r"(?<![什怎这那多])么"
_DIALECT = tuple(
    (re.compile(pattern), mandarin)
    for pattern, mandarin in (
        (r"搞" + _BARE_ME + r"(?:事|子)", "干什么"),
        (_BARE_ME + r"子", "什么"),
        (_BARE_ME + r"(?=时候|事)", "什么"),
        (_BARE_ME + r"(?=样|回事|搞|办)", "怎么"),
        (r"冇得?", "没有"),
        (r"晓得", "知道"),
        (r"啥", "什么"),
        (r"咋", "怎么"),
        (r"俺", "我"),
    )
)


def normalise(text: str | None) -> str:
    """The text as the classifier sees it: Simplified, half-width, lower case, no hotline frame, dialect
    words in Mandarin, no digits, clauses split by single spaces, at most MAX_CHARS characters read."""
    if not text:
        return ""
    text = str(text)[: MAX_CHARS * 2]
    text = unicodedata.normalize("NFKC", text).translate(T2S).lower()
    text = _HOTLINE.sub(" ", text)
    for pattern, mandarin in _DIALECT:
        text = pattern.sub(mandarin, text)
    text = _DIGITS.sub("", text)
    text = _NON_WORD.sub(" ", text)
    return " ".join(text.split())[:MAX_CHARS]


@dataclass
class Suggestion:
    """The suggested unit, its probability, the next two (code, probability) and why (in Chinese)."""

    unit: str
    confidence: float
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    reason: str = ""
    #: The n-grams of the text that weighed most for the unit, strongest first (empty when none).
    keywords: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "unit": self.unit,
            "confidence": round(self.confidence, 4),
            "alternatives": [[code, round(p, 4)] for code, p in self.alternatives],
        }


@dataclass
class Example:
    text: str
    unit: str
    weight: float = 1.0


def load_examples(path: Path | str) -> list[Example]:
    """JSON lines `{"text": ..., "unit": ...}`; blank lines skipped, a malformed line is an error naming it."""
    examples = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                examples.append(Example(str(row["text"]), str(row["unit"])))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{n}: {exc}") from exc
    return examples


def _vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    # 1–2-grams measured better than 1–3 or 1–4 on the held-out set (bench/routing.py, docs/routing.md):
    # longer n-grams memorise the training wording; bigrams carry most Chinese words.
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 2), sublinear_tf=True, min_df=1, dtype=np.float32)


def _classifier(algorithm: str):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.svm import LinearSVC

    if algorithm == "logreg":
        return LogisticRegression(C=30.0, solver="newton-cg", tol=1e-3, max_iter=1000)
    if algorithm == "svm_calibrated":
        return CalibratedClassifierCV(LinearSVC(C=1.0), cv=3, method="sigmoid")
    if algorithm == "svm_softmax":
        return LinearSVC(C=1.0)
    if algorithm == "sgd":
        return SGDClassifier(loss="modified_huber", alpha=1e-5, max_iter=50, random_state=0)
    raise ValueError(f"unknown algorithm {algorithm!r}; one of {', '.join(ALGORITHMS)}")


def _softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores * temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class Router:
    """A trained classifier: `predict(texts)` → one Suggestion per text."""

    def __init__(
        self,
        vectorizer,
        classifier,
        algorithm: str,
        unit_names: dict[str, str] | None = None,
        temperature: float = 1.0,
    ):
        self.vectorizer = vectorizer
        self.temperature = temperature
        self.classifier = classifier
        self.algorithm = algorithm
        self.normaliser_version = NORMALISER_VERSION
        self.classes = [str(c) for c in classifier.classes_]
        self.unit_names = dict(unit_names or {})
        self._prepare()

    def _prepare(self) -> None:
        """Derived, not pickled: the linear weights used to explain a decision and the feature names."""
        clf = self.classifier
        if hasattr(clf, "calibrated_classifiers_"):
            coef = np.mean([c.estimator.coef_ for c in clf.calibrated_classifiers_], axis=0)
        else:
            coef = clf.coef_
        self._coef = np.asarray(coef, dtype=np.float32)
        self._intercept = np.asarray(getattr(clf, "intercept_", 0.0), dtype=np.float32)
        self._features = self.vectorizer.get_feature_names_out()

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_coef", None)
        state.pop("_features", None)
        state.pop("_intercept", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._prepare()

    # -- probabilities ---------------------------------------------------------------------------------

    def _proba(self, X) -> np.ndarray:
        if self.algorithm == "logreg":
            # Multinomial logistic regression: predict_proba is the softmax of the linear scores. Computed
            # here directly, which skips scikit-learn's per-call input validation (~0.4 ms a call).
            return _softmax(np.asarray(X @ self._coef.T) + self._intercept, 1.0)
        if self.algorithm == "svm_softmax":
            # Softmax over the one-vs-rest margins, its temperature fitted by cross-validation at training.
            return _softmax(np.asarray(X @ self._coef.T) + self._intercept, self.temperature)
        proba = self.classifier.predict_proba(X)
        # modified_huber may give all-zero rows; fall back to uniform so the figures still sum to 1.
        sums = proba.sum(axis=1, keepdims=True)
        return np.where(sums > 0, proba / np.where(sums > 0, sums, 1), 1.0 / proba.shape[1])

    def unit_profile(self, texts: Sequence[str | None]) -> np.ndarray:
        """Per text, the probability of each unit (columns in `self.classes`): what kind of matter it is.
        linli.appeals.duplicates compares two appeals' profiles besides their wording."""
        return self._proba(self.vectorizer.transform([normalise(t) for t in texts]))

    def predict(self, texts: Sequence[str | None], *, explain: bool = True) -> list[Suggestion]:
        """One Suggestion per text, in order. Never raises for odd text: empty, huge, emoji or mixed scripts."""
        norm = [normalise(t) for t in texts]
        out: list[Suggestion | None] = [None] * len(norm)
        live = [i for i, t in enumerate(norm) if t]
        for i, t in enumerate(norm):
            if not t:
                out[i] = self._empty(unseen=bool(texts[i] and str(texts[i]).strip()))
        if live:
            X = self.vectorizer.transform([norm[i] for i in live])
            proba = self._proba(X)
            for row, i in enumerate(live):
                if X[row].nnz == 0:  # nothing the model has seen before: same as empty
                    out[i] = self._empty(unseen=True)
                    continue
                p = proba[row]
                order = np.argsort(-p)[:3]
                unit = self.classes[order[0]]
                alternatives = [(self.classes[k], float(p[k])) for k in order[1:3]]
                keywords = self._keywords(X, row, order[0], norm[i]) if explain else []
                out[i] = Suggestion(
                    unit, float(p[order[0]]), alternatives, self._reason(unit, keywords, float(p[order[0]])), keywords
                )
        return out  # type: ignore[return-value]

    def suggest(self, text: str | None) -> Suggestion:
        return self.predict([text])[0]

    def _empty(self, unseen: bool = False) -> Suggestion:
        n = len(self.classes)
        others = [c for c in self.classes if c != FALLBACK_UNIT][:2]
        reason = (
            "没有认出这段话说的是什么事，先交社区居委会了解情况再转办（把握不大，请核对）"
            if unseen
            else "诉求内容为空，先交社区居委会了解情况再转办"
        )
        return Suggestion(FALLBACK_UNIT, 1.0 / n, [(c, 1.0 / n) for c in others], reason, [])

    # -- explanation -----------------------------------------------------------------------------------

    def _keywords(self, X, row: int, cls: int, text: str, limit: int = 2) -> list[str]:
        """The stretches of the text made of the n-grams that pushed most towards the class, strongest
        first: overlapping top n-grams are joined ("楼道" + "道灯" → "楼道灯")."""
        x = X.getrow(row)
        if x.nnz == 0:
            return []
        contrib = x.data * self._coef[cls, x.indices]
        if contrib.max() <= 0:
            return []
        floor = 0.3 * float(contrib.max())
        covered = [0.0] * len(text)
        for k in np.argsort(-contrib)[:8]:
            if contrib[k] < floor:
                break
            gram = self._features[x.indices[k]].strip()
            if len(gram) < 2:
                continue
            share = float(contrib[k]) / len(gram)
            start = text.find(gram)
            while start != -1:
                for i in range(start, start + len(gram)):
                    covered[i] += share
                start = text.find(gram, start + 1)
        runs: list[tuple[float, str]] = []
        i = 0
        while i < len(text):
            if covered[i] <= 0 or text[i] == " ":
                i += 1
                continue
            j = i
            while j < len(text) and covered[j] > 0 and text[j] != " ":
                j += 1
            if j - i >= 2:
                runs.append((sum(covered[i:j]), text[i:j]))
            i = j
        picked: list[str] = []
        for _, run in sorted(runs, key=lambda r: -r[0]):
            if run not in picked and len(picked) < limit:
                picked.append(run)
        return picked

    def unit_name(self, code: str) -> str:
        return self.unit_names.get(code, code)

    def _reason(self, unit: str, keywords: list[str], confidence: float) -> str:
        name = self.unit_name(unit)
        if keywords:
            quoted = "".join(f"“{k}”" for k in keywords)
            reason = f"{quoted}通常由{name}处理"
        else:
            reason = f"这类问题一般由{name}处理"
        if confidence < 0.5:
            reason += "（把握不大，请核对）"
        return reason

    # -- persistence -----------------------------------------------------------------------------------

    def dumps(self) -> bytes:
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def loads(blob: bytes) -> Router:
        router = pickle.loads(blob)
        if getattr(router, "normaliser_version", None) != NORMALISER_VERSION:
            raise ValueError("stored routing model was trained with another text normalisation; retrain it")
        return router


def default_unit_names() -> dict[str, str]:
    from linli.appeals.defaults import UNITS

    return {code: name for code, name, *_ in UNITS}


def train(
    examples: Iterable[Example], *, algorithm: str = DEFAULT_ALGORITHM, unit_names: dict[str, str] | None = None
) -> Router:
    """Fit a Router on the examples (each with its weight); the examples need at least two units."""
    examples = [e for e in examples if normalise(e.text)]
    if len({e.unit for e in examples}) < 2:
        raise ValueError("training needs examples of at least two units")
    texts = [normalise(e.text) for e in examples]
    labels = [e.unit for e in examples]
    weights = np.array([e.weight for e in examples], dtype=np.float64)
    vectorizer = _vectorizer()
    X = vectorizer.fit_transform(texts)
    clf = _classifier(algorithm)
    clf.fit(X, labels, sample_weight=weights)
    temperature = _fit_temperature(X, labels, weights) if algorithm == "svm_softmax" else 1.0
    names = unit_names if unit_names is not None else default_unit_names()
    return Router(vectorizer, clf, algorithm, names, temperature)


def _fit_temperature(X, labels: list[str], weights) -> float:
    """The softmax temperature that makes LinearSVC margins honest probabilities: the one minimising the
    log-loss of 3-fold out-of-fold margins (the vocabulary is shared across folds, a negligible leak)."""
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(labels)
    counts = {u: int((y == u).sum()) for u in set(labels)}
    if min(counts.values()) < 3:
        return 5.0
    classes = np.array(sorted(counts))
    scores = np.zeros((len(y), len(classes)), dtype=np.float64)
    for fit, held in StratifiedKFold(n_splits=3, shuffle=True, random_state=0).split(X, y):
        clf = _classifier("svm_softmax").fit(X[fit], y[fit], sample_weight=weights[fit])
        cols = np.searchsorted(classes, clf.classes_)
        scores[np.ix_(held, cols)] = clf.decision_function(X[held])
    truth = np.searchsorted(classes, y)
    best, best_loss = 5.0, float("inf")
    for t in np.arange(1.0, 30.5, 0.5):
        p = _softmax(scores, t)
        loss = -float(np.mean(np.log(p[np.arange(len(y)), truth] + 1e-12)))
        if loss < best_loss:
            best, best_loss = float(t), loss
    return best


def evaluate(router: Router, examples: Sequence[Example]) -> dict:
    """Accuracy, top-3 accuracy, macro-F1, per-unit precision/recall and the confusions, as plain JSON."""
    preds = router.predict([e.text for e in examples], explain=False)
    truth = [e.unit for e in examples]
    top1 = [p.unit for p in preds]
    n = len(examples) or 1
    acc = sum(t == p for t, p in zip(truth, top1)) / n
    top3 = sum(t == p.unit or t in {c for c, _ in p.alternatives} for t, p in zip(truth, preds)) / n
    units = sorted(set(truth) | set(top1))
    per_unit = {}
    f1s = []
    for u in units:
        tp = sum(t == u and p == u for t, p in zip(truth, top1))
        fp = sum(t != u and p == u for t, p in zip(truth, top1))
        fn = sum(t == u and p != u for t, p in zip(truth, top1))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_unit[u] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "support": tp + fn}
        if tp + fn:
            f1s.append(f1)
    confusions: dict[str, int] = {}
    mistakes = []
    for e, p in zip(examples, preds):
        if p.unit != e.unit:
            key = f"{e.unit}→{p.unit}"
            confusions[key] = confusions.get(key, 0) + 1
            mistakes.append({"text": e.text, "unit": e.unit, "predicted": p.unit, "confidence": round(p.confidence, 3)})
    return {
        "n": len(examples),
        "accuracy": round(acc, 4),
        "top3": round(top3, 4),
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
        "per_unit": per_unit,
        "confusions": dict(sorted(confusions.items(), key=lambda kv: (-kv[1], kv[0]))),
        "mistakes": mistakes,
    }
