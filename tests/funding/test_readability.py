"""The reading-age hint: a heuristic from sentence length and long words."""

from funding.readability import reading_hint


def test_short_sentences_and_everyday_words_read_easily():
    hint = reading_hint("We will ask people what helps. We will pay them. It takes a year.")

    assert hint.level == "easy"
    assert hint.words == 14
    assert hint.average_sentence_length == 4.7


def test_long_sentences_read_hard():
    sentence = " ".join(["word"] * 30) + "."

    assert reading_hint(sentence).level == "hard"


def test_many_long_words_read_hard():
    text = "Interdisciplinary methodological considerations necessitate triangulation. We go."

    hint = reading_hint(text)

    assert hint.long_word_share > 0.2
    assert hint.level == "hard"


def test_medium_between_the_two():
    text = " ".join(["the cat sat on the mat"] * 3) + "."

    assert reading_hint(text).level == "medium"


def test_no_words_gives_no_hint():
    assert reading_hint("  123 ... ") is None
