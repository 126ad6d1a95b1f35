"""Deterministic, explainable text analysis for plans: tokens, TF-IDF, similarity, shared terms.

No model is downloaded: words are lower-cased, stop words dropped and a light suffix-stripping
stemmer groups "exclusions"/"excluded"/"exclusion". Every score can be explained by the terms behind it.
"""

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import cached_property, lru_cache

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
still yet already due near around
""".split()
)
WORD = re.compile(r"[a-z][a-z0-9'’-]+")
SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ies", "ied", "ers", "er", "ed", "es", "s", "ly")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.endswith("ud") and len(word) >= 6:  # "excluded" -> "exclud" groups with "exclusion" -> "exclus"
        word = word[:-2] + "us"
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


def contains_run(sequence: list[str], run: list[str]) -> bool:
    """True when ``run`` occurs in ``sequence`` as consecutive items."""
    n = len(run)
    return n > 0 and any(sequence[i : i + n] == run for i in range(len(sequence) - n + 1))


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
        self.sequences = {key: tokens(text) for key, text in documents.items()}
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

    def search_ranked(self, query: str) -> dict[int, tuple[int, float]]:
        """Each matching document's (tier, score): tier 0 holds the query's words as a whole phrase, in order
        ("knife arches"), tier 1 all of its words apart, tier 2 only some. A lower tier always ranks first; the
        TF-IDF score orders documents within a tier."""
        wanted = tokens(query)
        words = set(wanted)
        scores = self.search(query)
        ranked = {}
        for key, score in scores.items():
            sequence = self.sequences.get(key, [])
            if not words <= set(sequence):
                tier = 2  # (a whole phrase holds every word: only then is it looked for)
            elif len(wanted) > 1 and contains_run(sequence, wanted):
                tier = 0
            else:
                tier = 0 if len(wanted) == 1 else 1
            ranked[key] = (tier, score)
        return ranked

    @cached_property
    def postings(self) -> dict[str, list[int]]:
        """For each term, the documents that hold it (made on the first search)."""
        found: dict[str, list[int]] = defaultdict(list)
        for key, counter in self.counts.items():
            for t in counter:
                found[t].append(key)
        return dict(found)

    def search(self, query: str) -> dict[int, float]:
        wanted = set(terms(query))
        if not wanted:
            return {}
        # Only a document holding a query term scores above 0: the others are not scored.
        holding = set().union(*(self.postings.get(t, ()) for t in wanted))
        scores = {}
        for key, vec in self.vectors.items():
            if key not in holding:
                continue
            score = sum(vec.get(t, 0.0) for t in wanted)
            if score > 0:
                scores[key] = score
        return scores


# --- Local content: what a borough wrote itself, minus template text and boilerplate ---------------------------

# Words that say how a piece of work is going rather than what it is about: status labels, reporting and
# plan-keeping vocabulary. A phrase made only of these and stop words ("rated green", "delivery outcomes",
# "data still") is never a theme, however often it is written.
GENERIC_WORDS = set(
    """
red amber green rag rated rating status complete completed not started undertaken track schedule on-track
deliver delivered delivering delivery outcome outcomes output outputs progress progressing update updates
updated data figures figure provisional still being checked milestone milestones target targets
meeting meetings meet met board group agreed agree approach lead leads agency agencies stage next last
first second third fourth further fuller timescale timescales revised plan planned planning report reported
reporting review reviewed place line expected measure measures moving performance evaluation activity
activities service services work delivery-plan implementation mobilising timeline number numbers
""".split()
)
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
CLAUSE_BREAK = re.compile(r"[,()\[\]–—]|\s-\s")
MAX_STOP_GAP = 2  # "cost of living", "ban on the sale": at most two stop words inside a phrase


def sentences(text: str) -> list[str]:
    """The sentences of a text, trimmed; empty pieces dropped."""
    return [s.strip() for s in SENTENCE_END.split(text or "") if s and s.strip()]


def normalise_sentence(sentence: str) -> str:
    """A sentence reduced to its lower-cased words, so copies match whatever their punctuation or spacing."""
    return " ".join(WORD.findall((sentence or "").lower()))


def _kept(word: str) -> bool:
    return len(word) > 2 and word not in STOP_WORDS and not word.isdigit()


def phrases(text: str, *, max_n: int = 3) -> dict[str, str]:
    """Stemmed n-grams (1 to max_n kept words) of a text with the words as written ("cost of living" is the
    phrase "cost liv"), never across a sentence or clause break. Maps each key to its surface form."""
    found: dict[str, str] = {}
    for sentence in sentences(text):
        for clause in CLAUSE_BREAK.split(sentence.lower()):
            words = [(m.group(0).strip("'’-"), m.start(), m.end()) for m in WORD.finditer(clause)]
            kept = [(i, w, s, e) for i, (w, s, e) in enumerate(words) if _kept(w)]
            for a in range(len(kept)):
                for n in range(1, max_n + 1):
                    run = kept[a : a + n]
                    if len(run) < n:
                        break
                    if any(run[k + 1][0] - run[k][0] - 1 > MAX_STOP_GAP for k in range(n - 1)):
                        break
                    key = " ".join(stem(w) for _i, w, _s, _e in run)
                    found.setdefault(key, " ".join(clause[run[0][2] : run[-1][3]].split()))
    return found


GENERIC_STEMS = {stem(w) for w in GENERIC_WORDS} | GENERIC_WORDS


def is_generic(key: str) -> bool:
    """True when every word of a phrase is status or plan-keeping vocabulary."""
    return all(word in GENERIC_STEMS for word in key.split())


@lru_cache(maxsize=8)
def _template_sets(texts: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The normalised sentences and the phrases of a template's texts (kept while the texts are the same)."""
    found_sentences: set[str] = set()
    found_phrases: set[str] = set()
    for text in texts:
        found_sentences.update(normalise_sentence(s) for s in sentences(text))
        found_phrases.update(phrases(text))
    return frozenset(found_sentences), frozenset(found_phrases)


class Boilerplate:
    """Text that is not a borough's own: the template's wording, and sentences many boroughs write the same way.

    ``template_texts`` are split into sentences and phrases; ``texts_by_area`` (area -> texts) finds sentences
    that at least ``minimum`` areas (and ``share`` of them) wrote word for word: two boroughs may share an idea,
    but a whole sentence written identically in three or more was copied from somewhere."""

    def __init__(
        self,
        *,
        template_texts: Iterable[str],
        texts_by_area: Mapping[int, list[str]],
        share: float = 0.0,
        minimum: int = 3,
    ):
        self.template_sentences, self.template_phrases = _template_sets(tuple(template_texts))
        users: dict[str, set] = defaultdict(set)
        for area, texts in texts_by_area.items():
            for text in texts:
                for s in sentences(text):
                    users[normalise_sentence(s)].add(area)
        threshold = max(minimum, math.ceil(share * len(texts_by_area)))
        self.shared_sentences = {s for s, areas in users.items() if len(areas) >= threshold}

    def is_boilerplate_sentence(self, sentence: str) -> bool:
        norm = normalise_sentence(sentence)
        return not norm or norm in self.shared_sentences or norm in self.template_sentences

    def local_sentences(self, text: str) -> list[str]:
        """The sentences of a text that are the borough's own."""
        return [s for s in sentences(text) if not self.is_boilerplate_sentence(s)]

    def local_text(self, text: str) -> str:
        return " ".join(self.local_sentences(text))

    def is_template_phrase(self, key: str) -> bool:
        return key in self.template_phrases
