"""The gettext plural rules a PO header gives (lang.plurals), checked against the gettext manual's
forms for a few counts."""

from __future__ import annotations

import gettext
import re

import pytest

from kp_translate.lang.plurals import RULES, plural_forms


def _evaluate(rule: str, n: int) -> int:
    """The form index gettext picks for *n* under *rule* (the standard library's reading of it)."""
    expression = re.search(r"plural=(.*);", rule)
    assert expression is not None
    return int(gettext.c2py(expression.group(1))(n))


@pytest.mark.parametrize(
    ("code", "forms"),
    [
        # the form gettext picks for 0, 1, 2, 5, 11, 21, 22, 25
        ("en", [1, 0, 1, 1, 1, 1, 1, 1]),
        ("fr", [0, 0, 1, 1, 1, 1, 1, 1]),  # French: 0 and 1 are singular
        ("ru", [2, 0, 1, 2, 2, 0, 1, 2]),  # 21 singular, 22 the few form, 11 and 25 many
        ("pl", [2, 0, 1, 2, 2, 2, 1, 2]),  # 21 is many in Polish, unlike Russian
        ("ko", [0, 0, 0, 0, 0, 0, 0, 0]),
    ],
)
def test_rules_pick_the_manuals_forms(code: str, forms: list[int]) -> None:
    rule = plural_forms(code)
    assert [_evaluate(rule, n) for n in (0, 1, 2, 5, 11, 21, 22, 25)] == forms
    assert rule.startswith(f"nplurals={max(forms) + 1};")


def test_any_tag_of_a_language_finds_its_rule() -> None:
    assert plural_forms("fra") == plural_forms("fre") == plural_forms("FR") == "nplurals=2; plural=(n > 1);"
    assert plural_forms("pt_BR") == plural_forms("pt") == RULES["pt"]


def test_an_unknown_language_or_no_tag_gets_the_english_rule() -> None:
    assert plural_forms("sw") == plural_forms("") == plural_forms("spa-eng_US") == "nplurals=2; plural=(n != 1);"
