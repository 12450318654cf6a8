"""The built-in finders, one per kind of finding, in the order they run.

To add a kind of finding, write a class with a ``name`` and a
``find(view, earlier) -> Iterable[Finding]`` method (:class:`veil.audit.view.Finder`) in a
module here and add it to :data:`DEFAULT_FINDERS`; ``docs/audit.md`` explains the contract.
"""

from __future__ import annotations

from ..view import Finder
from .detector import DetectorResidualFinder
from .partial import PartialMaskFinder
from .people import LinkedLeakFinder, PersonNameFinder
from .quasi import QuasiIdentifierFinder

#: Order matters: the person finders decide leak or name before the quasi-identifiers,
#: and the detector residuals run last so that they skip what is already reported.
DEFAULT_FINDERS: tuple[Finder, ...] = (
    PartialMaskFinder(),
    LinkedLeakFinder(),
    PersonNameFinder(),
    QuasiIdentifierFinder(),
    DetectorResidualFinder(),
)

__all__ = [
    "DEFAULT_FINDERS",
    "DetectorResidualFinder",
    "LinkedLeakFinder",
    "PartialMaskFinder",
    "PersonNameFinder",
    "QuasiIdentifierFinder",
]
