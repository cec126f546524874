"""French press spelling of Russian names → English press spelling (data for :mod:`.names`), and the
French context words that say which Korea a Korean name belongs to."""

from __future__ import annotations

from .names import Rule, RuleSet

#: ordered; at each position the longest matching pattern wins (docs/languages.md, "Names by rule")
RUSSIAN = RuleSet(
    code="fr",
    vowels="aeiouyéèêëàâäîïôöûüù",
    fold="éèêëàâäîôöûüù",  # accents the English form drops (ï is a letter of its own: Choïgou, Krasnoïarsk)
    english=r"sh|zh|y[aeou]|w",  # French transliteration never writes these: an English-spelled word
    rules=(
        # consonants
        Rule("chtch", "shch", "_", "Khrouchtchev", "Khrushchev"),
        Rule("tch", "ch", "_", "Gorbatchev", "Gorbachev"),
        Rule("tchi", "chi", "_$", "Sotchi", "Sochi"),  # -chi keeps its i (Сочи), unlike -i → -y below
        Rule("ch", "sh", "_", "Michoustine", "Mishustin"),
        Rule("kh", "kh", "_", "Khabarovsk", "Khabarovsk"),  # stays (never k + h → ...)
        Rule("dj", "dzh", "_", "Djokhar", "Dzhokhar"),
        Rule("j", "zh", "_", "Prigojine", "Prigozhin"),
        Rule("gue", "ge", "_", "Sergueï", "Sergei"),
        Rule("gui", "gi", "_", "Douguina", "Dugina"),
        Rule("gh", "g", "_", "Daghestan", "Dagestan"),
        Rule("ss", "s", "V_V", "Belooussov", "Belousov"),  # French doubles s between vowels to keep [s]
        # vowels
        Rule("ou", "u", "_", "Koursk", "Kursk"),
        Rule("iou", "yu", "^_", "Ioujno-Sakhalinsk", "Yuzhno-Sakhalinsk"),
        Rule("iou", "yu", "[ltdnszrv]_", "Tioumen", "Tyumen"),  # not after b, m, k: Nabioullina → Nabiullina
        Rule("iou", "iu", "_", "Nabioullina", "Nabiullina"),
        Rule("ia", "ya", "^_", "Iakoutsk", "Yakutsk"),
        Rule("ia", "ya", "C_.", "Tcheliabinsk", "Chelyabinsk"),  # not final: Maria, Anastasia
        Rule("ie", "ye", "^_", "Iekaterinbourg", "Yekaterinburg"),
        Rule("ie", "ia", "C_$", "Iakoutie", "Yakutia"),  # -ия: Sibérie, Bouriatie, Mordovie
        Rule("ienko", "iyenko", "_$", "Matvienko", "Matviyenko"),
        Rule("io", "yo", "^_", "Iochkar-Ola", "Yoshkar-Ola"),
        Rule("io", "yo", "C_", "Fiodor", "Fyodor"),
        Rule("ï", "i", "_", "Choïgou", "Shoigu"),
        Rule("ïa", "ya", "_", "Krasnoïarsk", "Krasnoyarsk"),
        Rule("ïe", "ye", "_", "Dostoïevski", "Dostoyevsky"),
        Rule("iï", "iy", "_", "Khanty-Mansiïsk", "Khanty-Mansiysk"),
        Rule("oï", "oy", "_$", "Tolstoï", "Tolstoy"),
        Rule("e", "ye", "^_[vgkf]", "Evgueni", "Yevgeny"),
        Rule("el", "yel", "^_[te]", "Eltsine", "Yeltsin"),  # not Elvira, Ella, Elista
        # endings
        Rule("ine", "in", "_$", "Poutine", "Putin"),
        Rule("guine", "gin", "_$", "Douguine", "Dugin"),
        Rule("yne", "yn", "_$", "Soljenitsyne", "Solzhenitsyn"),
        Rule("ski", "sky", "_$", "Jirinovski", "Zhirinovsky"),
        Rule("i", "y", "C_$", "Dmitri", "Dmitry"),  # -ий: Valeri, Guennadi, Nijni
        # given names whose English press form no general rule spells
        Rule("iouri", "yuri", "^_$", "Iouri", "Yuri"),
        Rule("alexandre", "alexander", "^_$", "Alexandre", "Alexander"),
        Rule("maxime", "maxim", "^_$", "Maxime", "Maxim"),
        Rule("ilia", "ilya", "^_$", "Ilia", "Ilya"),
    ),
)

#: context words (case-insensitive; ``*`` = any ending) of a North / South Korean name
KOREAN_NORTH = frozenset(
    (
        "nord-coréen*",
        "nordcoréen*",
        "Pyongyang",
        "KCNA",
        "RPDC",
        "Corée du Nord",
        "Parti des travailleurs",
        "Rodong Sinmun",
        "juche",
    )
)
KOREAN_SOUTH = frozenset(("sud-coréen*", "sudcoréen*", "Séoul", "Seoul", "Yonhap", "Corée du Sud", "Gyeonggi"))
