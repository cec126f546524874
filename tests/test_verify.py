"""The one verifier: translate-time verification and score-time term success agree."""

from __future__ import annotations

from pathlib import Path

from kp_translate.enforce import Enforcer
from kp_translate.glossary import load
from kp_translate.metrics import Analyser, Segment, TermSuccess

KIM = """\
[kim-jong-un]
type: person
target: Kim Jong Un
source: Kim Jong-un

[kim]
type: person
target: Kim
source: Kim
"""

SOURCE = "Kim Jong-un a rencontré Poutine. Kim a parlé."
HYPOTHESIS = "Kim Jong Un met Putin. He spoke."


def test_kim_inside_kim_jong_un_is_not_a_second_kim(tmp_path: Path) -> None:
    path = tmp_path / "kim.kpg"
    path.write_text(KIM, encoding="utf-8")
    glossary = load(path)
    enforcer = Enforcer(glossary)
    verdict = enforcer.verify(enforcer.matches(SOURCE), HYPOTHESIS)
    assert (verdict.expected, verdict.enforced) == (2, 1)
    assert [(f.entry.id, f.reason) for f in verdict.failures] == [("kim", "target missing")]

    analyses = Analyser(glossary).analyse_all([Segment("a.txt", 0, HYPOTHESIS, SOURCE)])
    result = TermSuccess(glossary).compute(analyses)
    assert (result.overall.hits, result.overall.total) == (1, 2)
    # both say the same when the second Kim is there
    fixed = "Kim Jong Un met Putin. Kim spoke."
    verdict = enforcer.verify(enforcer.matches(SOURCE), fixed)
    assert (verdict.expected, verdict.enforced) == (2, 2)
    analyses = Analyser(glossary).analyse_all([Segment("a.txt", 0, fixed, SOURCE)])
    assert TermSuccess(glossary).compute(analyses).overall.hits == 2
