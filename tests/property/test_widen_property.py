"""``resolve._names.widen`` (bisection over the text's word runs) equals stepping one
character at a time, the definition it replaced (which was quadratic inside huge words)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from veil.resolve._names import is_word_char, widen


def _stepwise(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start]):
        start -= 1
    while end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end]):
        end += 1
    return start, end


@given(st.text(alphabet="ab c_é1.-\n", min_size=1, max_size=40), st.data())
def test_widen_equals_stepping_one_character_at_a_time(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assert widen(text, start, end) == _stepwise(text, start, end)
