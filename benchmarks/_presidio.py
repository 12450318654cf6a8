"""The peer's NLP engine configuration, shared by every benchmark that runs Presidio.

Presidio's default spaCy configuration, with ORGANIZATION no longer ignored (so PERSON,
LOCATION and ORGANIZATION can all be asked for) and the model named by the caller, so both
systems run on the same spaCy model. PERSON is mapped exactly as in the default.
"""

from __future__ import annotations

from typing import Any


def nlp_config(model: str, extra_mapping: dict[str, str] | None = None) -> dict[str, Any]:
    mapping = {
        "PER": "PERSON",
        "PERSON": "PERSON",
        "NORP": "NRP",
        "FAC": "LOCATION",
        "LOC": "LOCATION",
        "GPE": "LOCATION",
        "ORG": "ORGANIZATION",
        **(extra_mapping or {}),
    }
    return {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": model}],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": mapping,
            "low_confidence_score_multiplier": 0.4,
            "low_score_entity_names": [],
            # Presidio's default config ignores ORGANIZATION; we ask for it explicitly.
            "labels_to_ignore": ["CARDINAL", "EVENT", "LANGUAGE", "LAW", "MONEY", "ORDINAL", "PERCENT"],
        },
    }
