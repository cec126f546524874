"""English as the target: the indefinite article a restored target takes (lang/en.py)."""

from __future__ import annotations

import pytest

from kp_translate import lang

EN = lang.get("en")


@pytest.mark.parametrize(
    ("target", "article"),
    [
        ("arrest warrant", "an"),
        ("International Criminal Court", "an"),
        ("intercontinental ballistic missile", "an"),
        ("ICC", "an"),  # read letter by letter: "eye"
        ("IAEA", "an"),
        ("MP", "an"),  # "em"
        ("SVR", "an"),
        ("UN Security Council", "a"),  # "you"
        ("KCNA", "a"),
        ("NATO", "a"),  # read as a word
        ("OPEC", "an"),
        ("Hwasong-18", "a"),
        ("European Union", "a"),  # "you"
        ("Ukrainian", "a"),
        ("unprecedented", "an"),
        ("hour", "an"),
        ("Yuri Ushakov", "a"),
    ],
)
def test_indefinite_article_follows_the_sound(target: str, article: str) -> None:
    assert EN.indefinite_article(target) == article
