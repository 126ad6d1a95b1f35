"""Deterministic, explainable text analysis for plans: tokens, TF-IDF, similarity, shared terms.

No model is downloaded: words are lower-cased, stop words dropped and a light suffix-stripping
stemmer groups "exclusions"/"excluded"/"exclusion". Every score can be explained by the terms behind it.
"""

import math
import re
from collections import Counter
from collections.abc import Iterable

STOP_WORDS = set(
    """
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours ourselves out over own same she should so some such than
that the their theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours yourself yourselves
per via within across including include includes ensure ensuring use using used work working works
borough boroughs council partners partner partnership action actions plan plans new year years month
months quarter quarters q1 q2 q3 q4 local london team teams well will also ongoing continue continued
""".split()
)
WORD = re.compile(r"[a-z][a-z0-9'’-]+")
SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ies", "ied", "ers", "er", "ed", "es", "s", "ly")


def stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word


def tokens(text: str) -> list[str]:
    words = [w.strip("'’-") for w in WORD.findall((text or "").lower())]
    return [stem(w) for w in words if len(w) > 2 and w not in STOP_WORDS and not w.isdigit()]


def terms(text: str, *, bigrams: bool = True) -> list[str]:
    """Stemmed words and adjacent pairs of them ("knife crime", "youth worker")."""
    toks = tokens(text)
    result = list(toks)
    if bigrams:
        result += [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]
    return result


def display_forms(texts: Iterable[str]) -> dict[str, str]:
    """For each stemmed term, the most common surface form, so explanations read naturally."""
    forms: dict[str, Counter] = {}
    for text in texts:
        words = [w.strip("'’-") for w in WORD.findall((text or "").lower())]
        kept = [w for w in words if len(w) > 2 and w not in STOP_WORDS and not w.isdigit()]
        for w in kept:
            forms.setdefault(stem(w), Counter())[w] += 1
        for a, b in zip(kept, kept[1:], strict=False):
            forms.setdefault(f"{stem(a)} {stem(b)}", Counter())[f"{a} {b}"] += 1
    return {k: c.most_common(1)[0][0] for k, c in forms.items()}


class Index:
    """TF-IDF vectors for a collection of documents keyed by id."""

    def __init__(self, documents: dict[int, str]):
        self.counts = {key: Counter(terms(text)) for key, text in documents.items()}
        df: Counter = Counter()
        for counter in self.counts.values():
            df.update(counter.keys())
        n = max(len(self.counts), 1)
        self.idf = {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}
        self.vectors = {key: self._vector(c) for key, c in self.counts.items()}

    def _vector(self, counter: Counter) -> dict[str, float]:
        vec = {t: (1 + math.log(c)) * self.idf.get(t, 1.0) for t, c in counter.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    def similar(self, key: int, candidates: Iterable[int], limit: int) -> list[tuple[int, float, list[str]]]:
        """The most similar candidates: (key, cosine score, shared terms by weight)."""
        source = self.vectors.get(key, {})
        scored = []
        for other in candidates:
            if other == key:
                continue
            vec = self.vectors.get(other, {})
            shared = set(source) & set(vec)
            if not shared:
                continue
            contributions = {t: source[t] * vec[t] for t in shared}
            score = sum(contributions.values())
            top = sorted(contributions, key=lambda t: (-contributions[t], t))[:6]
            scored.append((other, score, top))
        scored.sort(key=lambda x: (-x[1], x[0]))
        return scored[:limit]

    def search(self, query: str) -> dict[int, float]:
        wanted = set(terms(query))
        if not wanted:
            return {}
        scores = {}
        for key, vec in self.vectors.items():
            score = sum(vec.get(t, 0.0) for t in wanted)
            if score > 0:
                scores[key] = score
        return scores
