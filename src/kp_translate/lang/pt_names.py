"""Portuguese press spelling of Russian names → English press spelling (data for :mod:`.names`), and
the Portuguese context words that say which Korea a Korean name belongs to."""

from __future__ import annotations

from .names import Rule, RuleSet

RUSSIAN = RuleSet(
    code="pt",
    vowels="aeiouyáâãéêíóôõú",
    fold="áâãéêíóôõú",
    english=r"zh|y[aeou]|w",
    rules=(
        Rule("tch", "ch", "_", "Tcheliabinsk", "Chelyabinsk"),
        Rule("ch", "sh", "_", "Choigu", "Shoigu"),  # sh is kept as written (Mishustin)
        Rule("j", "zh", "_", "Prigojin", "Prigozhin"),
        Rule("gue", "ge", "_", "Serguei", "Sergei"),
        Rule("gui", "gi", "_", "Duguin", "Dugin"),
        Rule("ss", "s", "V_V", "Vassili", "Vasily"),
        Rule("ie", "ye", "^_", "Ieltsin", "Yeltsin"),
        Rule("iu", "yu", "^_", "Iulia", "Yulia"),
        Rule("ia", "ya", "C_.", "Tcheliabinsk", "Chelyabinsk"),
        Rule("tchov", "chev", "_$", "Gorbatchov", "Gorbachev"),
        Rule("grado", "grad", "_$", "Kaliningrado", "Kaliningrad"),
        Rule("ich", "ich", "_$", "Abramovich", "Abramovich"),  # -vich as the English press writes it
        Rule("chi", "chi", "_$", "Sochi", "Sochi"),
        Rule("mburgo", "nburg", "_$", "Ecaterimburgo", "Yekaterinburg"),
        Rule("eca", "yeka", "^_", "Ecaterimburgo", "Yekaterinburg"),
        Rule("ski", "sky", "_$", "Jirinovski", "Zhirinovsky"),
        Rule("i", "y", "C_$", "Dmitri", "Dmitry"),
        Rule("iuri", "yuri", "^_$", "Iuri", "Yuri"),
        Rule("alexandre", "alexander", "^_$", "Alexandre", "Alexander"),
    ),
)

KOREAN_NORTH = frozenset(
    ("norte-corean*", "norte-coreia", "Pyongyang", "Pionguiangue", "KCNA", "RPDC", "Coreia do Norte")
)
KOREAN_SOUTH = frozenset(("sul-corean*", "Seul", "Yonhap", "Coreia do Sul"))
