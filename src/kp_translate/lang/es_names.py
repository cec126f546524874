"""Spanish press spelling of Russian names → English press spelling (data for :mod:`.names`), and the
Spanish context words that say which Korea a Korean name belongs to."""

from __future__ import annotations

from .names import Rule, RuleSet

RUSSIAN = RuleSet(
    code="es",
    vowels="aeiouyáéíóúü",
    fold="áéíóúü",  # stress marks (Serguéi, Shoigú, Medvédev)
    rules=(
        Rule("j", "kh", "_", "Jabárovsk", "Khabarovsk"),  # Mijaíl, Zajárova, Jodorkovski
        Rule("gue", "ge", "_", "Serguéi", "Sergei"),
        Rule("gui", "gi", "_", "Duguin", "Dugin"),
        Rule("iu", "yu", "[ltdnszrv]_", "Tiumén", "Tyumen"),  # not Nabiúllina
        Rule("ia", "ya", "C_.", "Cheliábinsk", "Chelyabinsk"),
        Rule("io", "yo", "C_", "Fiódor", "Fyodor"),
        Rule("ienko", "iyenko", "_$", "Matvienko", "Matviyenko"),
        Rule("chov", "chev", "_$", "Gorbachov", "Gorbachev"),  # -чёв: the English press writes -chev
        Rule("grado", "grad", "_$", "Kaliningrado", "Kaliningrad"),
        Rule("mburgo", "nburg", "_$", "Ekaterimburgo", "Yekaterinburg"),  # also Oremburgo
        Rule("e", "ye", "^_[vgkf]", "Ekaterimburgo", "Yekaterinburg"),
        Rule("chi", "chi", "_$", "Sochi", "Sochi"),  # -chi keeps its i (Сочи), unlike -i → -y below
        Rule("ski", "sky", "_$", "Jodorkovski", "Khodorkovsky"),
        Rule("i", "y", "C_$", "Navalni", "Navalny"),
        Rule("alexandr", "alexander", "^_$", "Alexandr", "Alexander"),
        Rule("yuri", "yuri", "^_$", "Yuri", "Yuri"),
        Rule("ilia", "ilya", "^_$", "Ilia", "Ilya"),
    ),
)

KOREAN_NORTH = frozenset(
    ("norcorean*", "Pyongyang", "Pionyang", "KCNA", "RPDC", "Corea del Norte", "Partido de los Trabajadores")
)
KOREAN_SOUTH = frozenset(("surcorean*", "Seúl", "Seul", "Yonhap", "Corea del Sur"))
