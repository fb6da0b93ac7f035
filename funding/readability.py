"""A reading-age hint for plain-language summaries: a simple heuristic (average sentence length
and the share of long words), shown on the form as a hint, never as a rule."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

LONG_WORD = 9  # letters
EASY_SENTENCE = 15  # words on average
HARD_SENTENCE = 25
EASY_LONG_WORDS = 0.10  # share of words
HARD_LONG_WORDS = 0.20

_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class ReadingHint:
    words: int
    average_sentence_length: float
    long_word_share: float
    level: str  # "easy", "medium" or "hard"
    message: str


def reading_hint(text: str) -> ReadingHint | None:
    """The hint for `text`, or None when there are no words to judge."""
    words = _WORD.findall(text)
    if not words:
        return None
    sentences = max(1, len([s for s in _SENTENCE_END.split(text) if _WORD.search(s)]))
    average = len(words) / sentences
    share = sum(1 for word in words if len(word) >= LONG_WORD) / len(words)
    if average > HARD_SENTENCE or share > HARD_LONG_WORDS:
        level = "hard"
        message = _("This may be hard for many readers: try shorter sentences and everyday words.")
    elif average > EASY_SENTENCE or share > EASY_LONG_WORDS:
        level = "medium"
        message = _("Most readers can follow this. Shorter sentences could make it easier.")
    else:
        level = "easy"
        message = _("This looks easy to read.")
    return ReadingHint(len(words), round(average, 1), round(share, 2), level, message)
