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
#: Long formal letters written for training by bench/letters_train.py (shipped, trained on with train.jsonl).
LETTERS_TRAIN_FILE = DATA_DIR / "letters_train.jsonl"
#: Long formal letters written apart by bench/letters_heldout.py: measured, never trained on.
LETTERS_HELDOUT_FILE = DATA_DIR / "letters_heldout.jsonl"

#: The unit an appeal goes to when the text says nothing: the community sorts it out (handling-units.md).
FALLBACK_UNIT = "community"
#: Only the start of a very long text is read: the matter is stated early, and latency stays flat.
MAX_CHARS = 1000
#: Bump when normalise() changes, so a stored model trained on the old normalisation is not misused.
NORMALISER_VERSION = 3
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


# -- long letters: which clauses state the problem -------------------------------------------------------------
#
# A letter to the mayor's mailbox or a 12345 transfer sheet wraps one sentence of problem in courtesy, a
# self-introduction, the history of earlier complaints ("曾多次向物业反映", "打12345无果", "住建局让找街道") and
# feelings. Those clauses name other departments and the compound ("XX小区业主") and pulled letters towards
# housing, property or community. Each clause's n-gram counts are weighted by its kind before tf-idf; a clause of
# none of these kinds (the problem) keeps weight 1. Written from the genre (public leadership message boards and
# hotline sheets), not from the held-out letters' phrase bank.

_SENTENCE = re.compile(r"[。！？!?；;\n\r]+")
_CLAUSE = re.compile(r"[，,：:、]+")
#: A clause that carries on from the one before it in the sentence ("…，结果一拖再拖", "…，之后就没了下文").
_CONTINUES = re.compile(
    r"^(?:之后|后来|结果|可|可是|但|但是|却|至今|每次|都|说|就|又|还是|仍|仍然|依然|当时|然后|拍了)"
)
#: (kind, weight, pattern) in order of precedence; searched in the clause after NFKC, Traditional → Simplified and
#: lower-casing, before digits are dropped (so "12345" is still there).
CLAUSE_KINDS: tuple[tuple[str, float, re.Pattern], ...] = tuple(
    (kind, weight, re.compile(pattern))
    for kind, weight, pattern in (
        (
            "courtesy",
            0.1,
            r"^(?:尊敬|敬爱|亲爱)|^(?:各位|市|区|县|镇|街道|政府|市委|区委)?(?:领导|市长|区长|书记|主任)(?:们)?(?:您|你)?好?$"
            r"|您好|你们好|领导好|恳请|恳求|盼复|盼回复|此致|敬礼|谢谢|感谢|不胜感激|做主|百忙之中|拜托|麻烦领导"
            r"|^(?:市长信箱|领导留言板|留言标题|留言内容|诉求内容|转办单|工单)",
        ),
        (
            "history",
            0.3,
            r"(?:曾|多次|几次|一再|反复|先后|屡次|之前|此前|以前|早就|上次|去年|前年).{0,14}"
            r"(?:反映|投诉|举报|打过|打了|拨打|致电|联系|找过|找了|写信|写过|留言|信访|上报|反馈)"
            r"|12345|热线|信箱|留言板|无果|下文|石沉大海|踢皮球|不了了之|回访|答复|回复|都说|至今没|至今未|没有回音"
            r"|没有任何(?:回复|进展|答复|结果)|说不归|不归(?:他们|我们)管|让我们找|叫我们找|联名",
        ),
        (
            "introduction",
            0.3,
            # where the writer lives (the compound's name leans to property), not who they are ("我是一名残疾人")
            r"^(?:我|我们|本人|笔者)(?:叫|姓)|^(?:我|我们|本人|我家|家|笔者)[^，。]{0,6}(?:家住|住在|居住|租住)"
            r"|^(?:我|我们|本人|笔者)(?:是|系)[^，。]{0,16}(?:业主|住户|居民|租户)",
        ),
        (
            "feeling",
            0.2,
            r"苦不堪言|怨声载道|无助|无奈|心寒|寒心|失望|气愤|愤慨|提心吊胆|守法|纳税|老百姓|求助无门|走投无路|忍无可忍"
            r"|不知道还能|不知该找谁|给个说法|交代|心里有个底|负起责任|切实|有关部门|相关部门|相关单位|高度重视|尽快解决"
            r"|早日解决|拖得|第.个年头|持续了|快半年|一年多了|说大不大|严重影响|深受其害|生怕|只希望|要求并不高",
        ),
        ("aside", 0.3, r"^(?:另外|顺便|顺带|附带|捎带|再提一|还有一个小)"),
    )
)


def clause_kind(clause: str) -> tuple[str, float]:
    """(kind, weight) of one clause of a letter: courtesy, history, introduction, feeling, aside or problem (1.0)."""
    for kind, weight, pattern in CLAUSE_KINDS:
        if pattern.search(clause):
            return kind, weight
    return "problem", 1.0


def weighted_clauses(text: str | None) -> list[tuple[str, float]]:
    """The text's clauses as the classifier sees them (normalised, empty ones dropped), each with its weight. A text
    of one clause, or one whose clauses are all of the framing kinds, is read with weight 1 throughout: only a text
    that also states something else is re-weighted, so short appeals read exactly as before."""
    if not text:
        return []
    raw = unicodedata.normalize("NFKC", str(text)[: MAX_CHARS * 2]).translate(T2S).lower()
    out: list[tuple[str, float]] = []
    budget = MAX_CHARS
    for sentence in _SENTENCE.split(raw):
        if budget <= 0:
            break
        weight, aside = 1.0, False
        for n, piece in enumerate(_CLAUSE.split(sentence)):
            if budget <= 0:
                break
            piece = piece.strip()
            kind, own = clause_kind(piece)
            # "…打过12345，之后就再没人理了": a clause that goes on from the previous one keeps its kind
            # and "另外顺便提一句，…" is an aside to its end
            if n and (aside or (kind == "problem" and _CONTINUES.match(piece))):
                own = weight
            weight = own
            aside = aside or kind == "aside"
            norm = normalise(piece)
            if not norm:
                continue
            norm = norm[:budget]
            budget -= len(norm) + 1
            out.append((norm, weight))
    if all(w < 1.0 for _, w in out):
        out = [(c, 1.0) for c, _ in out]
    return out


def phrase_spans(text: str | None, phrases: Sequence[str]) -> list[tuple[int, int]]:
    """Where the phrases (as the model reads them: Simplified, half-width, lower case) occur in the original text, as
    sorted, non-overlapping (start, end) character offsets: the dispatch page highlights the words that decided a
    suggestion. A phrase that spanned a dropped digit or punctuation ("栋单元" from "3栋2单元") is not found."""
    if not text or not phrases:
        return []
    folded = []
    for ch in str(text):
        one = unicodedata.normalize("NFKC", ch).translate(T2S).lower()
        folded.append(one if len(one) == 1 else ch)  # one character for one, so offsets stay the original's
    folded_text = "".join(folded)
    covered = [False] * len(folded_text)
    for phrase in phrases:
        if not phrase:
            continue
        start = folded_text.find(phrase)
        while start != -1:
            covered[start : start + len(phrase)] = [True] * len(phrase)
            start = folded_text.find(phrase, start + 1)
    spans, i = [], 0
    while i < len(covered):
        if covered[i]:
            j = i
            while j < len(covered) and covered[j]:
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


class ClauseWeightedTfidf:
    """Character 1–2-gram tf-idf (as TfidfVectorizer(analyzer="char_wb", sublinear_tf=True)) over the text's
    clauses, each clause's counts multiplied by its weight (weighted_clauses). With every weight 1 it gives exactly
    the old vectoriser's vectors. `transform` takes raw or normalised texts."""

    def __init__(self):
        from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

        # 1–2-grams measured better than 1–3 or 1–4 on the held-out set (bench/routing.py, docs/routing.md):
        # longer n-grams memorise the training wording; bigrams carry most Chinese words.
        self.counts = CountVectorizer(analyzer="char_wb", ngram_range=(1, 2), dtype=np.float32)
        self.idf = TfidfTransformer(sublinear_tf=False)

    def _weighted_counts(self, texts: Sequence[str | None], *, fit: bool = False):
        from scipy import sparse

        rows, clauses, weights = [], [], []
        for i, text in enumerate(texts):
            for clause, weight in weighted_clauses(text):
                rows.append(i)
                clauses.append(clause)
                weights.append(weight)
        if fit:
            counts = self.counts.fit_transform(clauses)
        elif clauses:
            counts = self.counts.transform(clauses)
        else:
            counts = sparse.csr_matrix((0, len(self.counts.vocabulary_)), dtype=np.float32)
        mix = sparse.csr_matrix(
            (np.asarray(weights, dtype=np.float32), (rows, np.arange(len(rows)))), shape=(len(texts), len(rows))
        )
        X = (mix @ counts).tocsr()
        X.eliminate_zeros()
        # Sublinear tf (1 + log count), linear below one count so a down-weighted clause's n-gram stays positive.
        X.data = np.where(X.data >= 1.0, 1.0 + np.log(np.maximum(X.data, 1.0)), X.data).astype(np.float32)
        return X

    def fit_transform(self, texts: Sequence[str | None]):
        return self.idf.fit_transform(self._weighted_counts(texts, fit=True)).astype(np.float32)

    def transform(self, texts: Sequence[str | None]):
        return self.idf.transform(self._weighted_counts(texts)).astype(np.float32)

    def get_feature_names_out(self):
        return self.counts.get_feature_names_out()


@dataclass
class Suggestion:
    """The suggested unit, its probability, the next two (code, probability) and why (in Chinese)."""

    unit: str
    confidence: float
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    reason: str = ""
    #: The n-grams of the text that weighed most for the unit, strongest first (empty when none).
    keywords: list[str] = field(default_factory=list)
    #: Set by linli.appeals.routing.services: the confidence is below LINLI_ROUTING_MIN_CONFIDENCE, so a person
    #: decides (需人工判断) and nothing is pre-filled.
    needs_review: bool = False

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


#: The weight of a generated training letter: most wrap one of train.jsonl's appeals, so at full weight the letters
#: outvoted the short appeals' wording (heldout.jsonl lost a text; 0.5 keeps it and the letters' figure alike).
LETTER_WEIGHT = 0.5


def load_training() -> list[Example]:
    """The shipped training set: train.jsonl (short appeals) and, when present, letters_train.jsonl (letters,
    weighted LETTER_WEIGHT)."""
    examples = load_examples(TRAIN_FILE)
    if LETTERS_TRAIN_FILE.exists():
        examples += [Example(e.text, e.unit, LETTER_WEIGHT) for e in load_examples(LETTERS_TRAIN_FILE)]
    return examples


def _vectorizer():
    return ClauseWeightedTfidf()


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
        return self._proba(self.vectorizer.transform(list(texts)))

    def predict(self, texts: Sequence[str | None], *, explain: bool = True) -> list[Suggestion]:
        """One Suggestion per text, in order. Never raises for odd text: empty, huge, emoji or mixed scripts."""
        norm = [normalise(t) for t in texts]
        out: list[Suggestion | None] = [None] * len(norm)
        live = [i for i, t in enumerate(norm) if t]
        for i, t in enumerate(norm):
            if not t:
                out[i] = self._empty(unseen=bool(texts[i] and str(texts[i]).strip()))
        if live:
            X = self.vectorizer.transform([texts[i] for i in live])
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
    texts = [e.text for e in examples]
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


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    """ECE: the texts put in `bins` equal-width bins by the confidence of their first choice; per bin the gap between
    the mean confidence and the share that was right, weighted by the bin's share of texts. 0 = the confidence is
    the accuracy; 0.1 = off by ten points on average."""
    conf = np.asarray(confidences, dtype=np.float64)
    hit = np.asarray(correct, dtype=np.float64)
    if not len(conf):
        return 0.0
    which = np.minimum((conf * bins).astype(int), bins - 1)  # confidence 1.0 goes in the top bin
    total = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            total += inside.mean() * abs(conf[inside].mean() - hit[inside].mean())
    return float(total)


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
        "ece": round(
            expected_calibration_error([p.confidence for p in preds], [t == p for t, p in zip(truth, top1)]), 4
        ),
        "per_unit": per_unit,
        "confusions": dict(sorted(confusions.items(), key=lambda kv: (-kv[1], kv[0]))),
        "mistakes": mistakes,
    }
