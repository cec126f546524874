"""Italian press spelling of Russian names → English press spelling (data for :mod:`.names`), and the
Italian context words that say which Korea a Korean name belongs to."""

from __future__ import annotations

from .names import Rule, RuleSet

RUSSIAN = RuleSet(
    code="it",
    vowels="aeiouyàèéìòù",
    fold="àèéìòù",
    english=r"y[aeou]|w",
    rules=(
        Rule("gh", "g", "_", "Serghei", "Sergei"),
        Rule("ce", "che", "_", "Viaceslav", "Vyacheslav"),
        Rule("ci", "ch", "_V", "Ciukotka", "Chukotka"),  # ci + vowel: the i only softens the c
        Rule("ci", "chi", "_$", "Soci", "Sochi"),
        Rule("ciov", "chev", "_$", "Gorbaciov", "Gorbachev"),
        Rule("ch", "kh", "_[aou]", "Michail", "Mikhail"),  # Italian ch is [k]: Cechov, Chodorkovskij
        Rule("j", "y", "_", "Jaroslavl", "Yaroslavl"),  # й/я: Krasnojarsk, Politkovskaja
        Rule("skij", "sky", "_$", "Dostoevskij", "Dostoevsky"),
        # the scholarly spelling some Italian papers use: -ий, -ей, -ай written -ij, -ej, -aj
        Rule("ij", "y", "C_$", "Dmitrij", "Dmitry"),  # Valerij, Gennadij, Arkadij
        Rule("ej", "ei", "_$", "Andrej", "Andrei"),  # Sergej, Aleksej, Matvej
        Rule("aj", "ai", "_$", "Nikolaj", "Nikolai"),
        Rule("yj", "y", "_$", "Navalnyj", "Navalny"),  # -ый
        Rule("iu", "yu", "^_", "Iulia", "Yulia"),
        Rule("ia", "ya", "C_.", "Celiabinsk", "Chelyabinsk"),
        Rule("io", "yo", "C_", "Fiodor", "Fyodor"),
        Rule("ienko", "iyenko", "_$", "Matvienko", "Matviyenko"),
        Rule("e", "ye", "^_[vgkf]", "Evgheni", "Yevgeny"),
        Rule("el", "yel", "^_[te]", "Eltsin", "Yeltsin"),
        Rule("aleks", "alex", "^_", "Aleksei", "Alexei"),
        Rule("ski", "sky", "_$", "Khodorkovski", "Khodorkovsky"),
        Rule("i", "y", "C_$", "Dmitri", "Dmitry"),
        Rule("iuri", "yuri", "^_$", "Iuri", "Yuri"),
        Rule("jurij", "yuri", "^_$", "Jurij", "Yuri"),
        Rule("aleksandr", "alexander", "^_$", "Aleksandr", "Alexander"),
    ),
)

KOREAN_NORTH = frozenset(("nordcorean*", "nord-corean*", "Pyongyang", "KCNA", "RPDC", "Corea del Nord"))
KOREAN_SOUTH = frozenset(("sudcorean*", "sud-corean*", "Seul", "Yonhap", "Corea del Sud"))
