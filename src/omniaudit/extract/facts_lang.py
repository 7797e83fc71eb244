"""Per-language vocabulary for fact extraction: units, currencies, weekdays, time markers and subject cues.

Every pattern here is a regular-expression fragment matched case-insensitively against *folded* text (see
`numbers.fold_text`): ASCII digits, "-" for every dash, bare alef for أ/إ/آ and ي for ى, no Arabic
diacritics. Arabic fragments are written naturally and folded when compiled, so "أيام" here matches "ايام",
"أيام" and "أيّام" in a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NEVER = r"(?!)"


@dataclass(frozen=True)
class LanguageRules:
    code: str
    # (pattern, normalized unit) for duration units; singular and plural and case forms in one pattern.
    units: tuple[tuple[str, str], ...]
    business_before: str = NEVER  # "business" in "3 business days"
    business_after: str = NEVER  # "ouvrés" in "3 jours ouvrés"
    range_words: str = r"to"  # between two numbers, besides "-"
    range_open: str = NEVER  # before the first number of a range: "between", "de", "od", "من"
    # Unit forms that carry their own number (Arabic dual "يومين" = two days): (pattern, n, unit, business)
    counted_units: tuple[tuple[str, int, str, bool], ...] = ()
    # (pattern, ISO code): currency words, signs and codes written next to an amount.
    currencies: tuple[tuple[str, str], ...] = ()
    percent_words: str = NEVER
    # (pattern, day key) with key in mon..sun
    days: tuple[tuple[str, str], ...] = ()
    # (pattern, normalized day span) for "weekdays", "daily", ...
    day_groups: tuple[tuple[str, str], ...] = ()
    day_range_words: str = r"to"
    day_range_open: str = NEVER
    am: str = r"a\.?\s?m\.?"
    pm: str = r"p\.?\s?m\.?"
    hour_mark: str = NEVER  # "h" in "9h30" / "18h"
    time_range_words: str = r"to"
    time_range_open: str = NEVER
    noon: str = NEVER
    midnight: str = NEVER
    # words allowed between a day span and a time span of one opening-hours statement
    hours_glue: str = NEVER
    round_the_clock: str = r"24\s?/\s?7"
    phone_cues: str = NEVER
    promo_cues: str = NEVER
    # subject -> cue pattern (matched anywhere in the sentence, the nearest wins)
    cues: dict[str, str] = field(default_factory=dict)
    # clause boundaries used to keep a cue with its own fact ("30-day returns and 3-day delivery")
    clause_breaks: str = r"[;:]|,\s|\s(?:and|but|while|whereas|plus)\s"
    # patterns for "one <unit>" written without a number ("within a week" is not taken: "twice a week")
    singular_one: str = NEVER
    # words that make the cue after them a reference point ("30 days *of* delivery")
    anchor_words: str = NEVER


_SHARED_CURRENCIES: tuple[tuple[str, str], ...] = (
    (r"US\s?\$", "USD"),
    (r"\$", "USD"),
    (r"€", "EUR"),
    (r"£", "GBP"),
    (r"(?<![A-Za-z])USD(?![A-Za-z])", "USD"),
    (r"(?<![A-Za-z])EUR(?![A-Za-z])", "EUR"),
    (r"(?<![A-Za-z])GBP(?![A-Za-z])", "GBP"),
    (r"(?<![A-Za-z])PLN(?![A-Za-z])", "PLN"),
    (r"(?<![A-Za-z])SAR(?![A-Za-z])", "SAR"),
    (r"(?<![A-Za-z])AED(?![A-Za-z])", "AED"),
    (r"(?<![A-Za-z])zł(?![a-ząćęłńóśźż])", "PLN"),
    (r"ر\.\s?س\.?", "SAR"),
    (r"د\.\s?إ\.?", "AED"),
)

_EN_CUES = {
    "returns": r"\b(?:returns?|returned|returning|refunds?|refunded|exchanges?|money[- ]back|"
    r"send (?:it|them) back)\b",
    "delivery": r"\b(?:deliver(?:y|ies|ed|s)?|ship(?:s|ping|ped|ment|ments)?|dispatch(?:ed|es)?|arrives?|"
    r"arriving|courier|postage|in transit)\b",
    "warranty": r"\b(?:warrant(?:y|ies|ied)|guarantee[ds]?)\b",
    "response_time": r"\b(?:respond|responds|reply|replies|response|answer|get back to you)\b",
    "support": r"\b(?:support|customer (?:service|care)|help ?desk|helpline|hotline|call us|"
    r"contact us|reach us|open|available|chat|agents?|team|lines are|store hours|opening hours|hours)\b",
    "promo": r"\b(?:codes?|promo|discount|off|save|coupon|voucher|sale)\b",
}

_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

EN = LanguageRules(
    code="en",
    units=(
        (r"days?", "day"),
        (r"weeks?", "week"),
        (r"months?", "month"),
        (r"years?|yrs?", "year"),
        (r"hours?|hrs?|h(?![\w/:])", "hour"),
    ),
    business_before=r"business|working|work",
    range_words=r"to|and|or",
    range_open=r"between|from",
    currencies=(
        *_SHARED_CURRENCIES,
        (r"dollars?", "USD"),
        (r"euros?", "EUR"),
        (r"zlotys?|złoty", "PLN"),
        (r"riyals?", "SAR"),
        (r"dirhams?", "AED"),
    ),
    percent_words=r"per\s?cent|pct",
    days=(
        (r"mondays?|mon\.?", "mon"),
        (r"tuesdays?|tues?\.?", "tue"),
        (r"wednesdays?|wed\.?", "wed"),
        (r"thursdays?|thu(?:rs?)?\.?", "thu"),
        (r"fridays?|fri\.?", "fri"),
        (r"saturdays?|sat\.?", "sat"),
        (r"sundays?|sun\.?", "sun"),
    ),
    day_groups=(
        (r"weekdays|(?:on |during )?the week|business days", "mon-fri"),
        (r"weekends?", "sat-sun"),
        (r"daily|every day|7 days a week|seven days a week", "mon-sun"),
    ),
    day_range_words=r"to|through|thru|until|till",
    day_range_open=r"from",
    time_range_words=r"to|until|till",
    time_range_open=r"from|between",
    noon=r"noon|midday",
    midnight=r"midnight",
    hours_glue=r"from|between|on|at|and|is|are|open|\(|\)",
    round_the_clock=r"24\s?/\s?7|24 hours a day,?\s*7 days a week|(?:a)?round the clock",
    phone_cues=r"\b(?:call|phone|tel|telephone|ring|dial|hotline|helpline|toll[- ]free|whatsapp|text)\b",
    promo_cues=r"(?:promo(?:tional)?\s+code|discount\s+code|coupon(?:\s+code)?|voucher(?:\s+code)?|code)",
    cues=_EN_CUES,
    anchor_words=r"(?:of|from|after|since|following|upon|on)(?:\s+(?:the|your|its|their))?",
    # "within a month", "you have one week": a limit of one unit ("24 hours a day" is no limit: no cue).
    singular_one=r"(?:within|have|up to|for)\s+(?:an?|one)\s+(?P<unit>day|week|month|year)(?!\w)",
)

FR = LanguageRules(
    code="fr",
    units=(
        (r"jours?|j(?=\s|$|[.,;])", "day"),
        (r"semaines?", "week"),
        (r"mois", "month"),
        (r"ans?|années?", "year"),
        (r"heures?|h(?![\w/:])", "hour"),
    ),
    business_after=r"ouvrés|ouvré|ouvrables?|ouvrées?",
    range_words=r"à|a|et|ou",
    range_open=r"entre|de",
    currencies=(
        *_SHARED_CURRENCIES,
        (r"euros?", "EUR"),
        (r"dollars?", "USD"),
        (r"zlotys?|złotys?", "PLN"),
        (r"riyals?|rials?", "SAR"),
        (r"dirhams?", "AED"),
        (r"livres? sterling", "GBP"),
    ),
    percent_words=r"pour\s?cent|pourcents?",
    days=(
        (r"lundis?|lun\.?", "mon"),
        (r"mardis?|mar\.?", "tue"),
        (r"mercredis?|mer\.?", "wed"),
        (r"jeudis?|jeu\.?", "thu"),
        (r"vendredis?|ven\.?", "fri"),
        (r"samedis?|sam\.?", "sat"),
        (r"dimanches?|dim\.?", "sun"),
    ),
    day_groups=(
        (r"en semaine|jours ouvrés|jours ouvrables", "mon-fri"),
        (r"le week-end|les week-ends|week-ends?", "sat-sun"),
        (r"tous les jours|7 jours sur 7|7j/7|7 j/7", "mon-sun"),
    ),
    day_range_words=r"au|à|a",
    day_range_open=r"du|de",
    am=r"(?<![a-z])a\.?m\.?",
    pm=r"(?<![a-z])p\.?m\.?",
    hour_mark=r"h",
    time_range_words=r"à|a|jusqu'à|jusqu'a",
    time_range_open=r"de|entre",
    noon=r"midi",
    midnight=r"minuit",
    hours_glue=r"de|du|le|les|et|à|a|ouvert|sommes|est|joignables?|disponibles?|\(|\)",
    round_the_clock=r"24\s?/\s?7|24\s?h\s?/\s?24(?:,?\s*(?:et\s+)?7\s?j?\s?/\s?7)?|7\s?j\s?/\s?7,?\s*24\s?h\s?/\s?24",
    phone_cues=r"\b(?:appelez|appeler|appel|téléphone|tél\.?|tel\.?|numéro|joindre|whatsapp)\b",
    promo_cues=r"(?:code\s+promo(?:tionnel)?|code\s+de\s+réduction|code\s+réduction|bon\s+de\s+réduction|"
    r"coupon|code)",
    cues={
        "returns": r"\b(?:retours?|retourner|retournez|renvo\w*|rembours\w*|échanges?|échanger|"
        r"rétractation)\b",
        "delivery": r"\b(?:livr\w*|expédi\w*|envoi\w*|colis|transporteur|acheminement)\b",
        "warranty": r"\b(?:garanti\w*)\b",
        "response_time": r"\b(?:répond\w*|réponse|réponses)\b",
        "support": r"\b(?:service client(?:èle)?|assistance|support|joignables?|ouverts?|ouvertes?|"
        r"disponibles?|conseillers?|conseillères?|appelez|contactez|horaires?)\b",
        "promo": r"\b(?:codes?|promo\w*|réductions?|remises?|soldes?|économis\w*|rabais)\b",
    },
    clause_breaks=r"[;:]|,\s|\s(?:et|mais|tandis que|alors que)\s",
    anchor_words=r"(?:de|dès|après|à compter de|à partir de|suivant)(?:\s+(?:la|sa|votre|leur))?|du|des|l'",
    singular_one=r"(?:sous|dans|pendant|d')\s*une?\s+(?P<unit>jour|semaine|mois|an|année)(?!\w)",
)

PL = LanguageRules(
    code="pl",
    units=(
        (r"dni|dzień|dnia|dniach|dniowy|dniowa|dniowe|dniowego|dniowej|dniowym", "day"),
        (r"tygodni(?:e|a|u|ach)?|tydzień|tygodniowy|tygodniowa|tygodniowe", "week"),
        (r"miesiąc(?:e|a|u|ach)?|miesięcy|miesięczny|miesięczna|miesięczne", "month"),
        (r"lat(?:a)?|rok(?:u)?|letni(?:a|e)?|roczny|roczna|roczne", "year"),
        (r"godzin(?:a|y|ie|ach)?|godz\.?|h(?![\w:])", "hour"),
    ),
    business_after=r"roboczych|robocze|roboczy|roboczego|roboczym|robocza",
    range_words=r"do|lub|i|albo",
    range_open=r"od|między|pomiędzy",
    currencies=(
        *_SHARED_CURRENCIES,
        (r"złotych|złote|złoty|złotówek|zlotych|zl(?![a-z])", "PLN"),
        (r"euro", "EUR"),
        (r"dolar(?:ów|y|a)?", "USD"),
        (r"funt(?:ów|y)?", "GBP"),
        (r"riali?", "SAR"),
        (r"dirham(?:ów|y)?", "AED"),
    ),
    percent_words=r"procent(?:y|ów|owy|owa|owe|owego|owej)?|proc\.",
    days=(
        (r"poniedziałek|poniedziałku|poniedziałki|pon\.?|pn\.?", "mon"),
        (r"wtorek|wtorku|wtorki|wt\.?", "tue"),
        (r"środa|środy|środę|środzie|śr\.?", "wed"),
        (r"czwartek|czwartku|czwartki|czw\.?", "thu"),
        (r"piątek|piątku|piątki|pt\.?|pią\.?", "fri"),
        (r"sobota|soboty|sobotę|sobotach|soboty|sob\.?", "sat"),
        (r"niedziela|niedzieli|niedzielę|niedziele|ndz\.?|nd\.?", "sun"),
    ),
    day_groups=(
        (r"w dni robocze|w dni powszednie|dni robocze|w tygodniu", "mon-fri"),
        (r"w weekendy?|weekendy?", "sat-sun"),
        (r"codziennie|7 dni w tygodniu|przez cały tydzień", "mon-sun"),
    ),
    day_range_words=r"do",
    day_range_open=r"od|w|we|z",
    hour_mark=NEVER,
    time_range_words=r"do",
    time_range_open=r"od|w godz\.?|w godzinach|godz\.?|godzinach|w\s+godz\.",
    noon=r"południa|południe",
    midnight=r"północy|północ",
    hours_glue=r"w|we|od|godz\.?|godzinach|są|jest|czynn\w*|dostępn\w*|otwart\w*|\(|\)",
    round_the_clock=r"24\s?/\s?7|całodobowo|całą dobę|24 godziny na dobę(?:,?\s*7 dni w tygodniu)?|"
    r"24h\s?/\s?7",
    phone_cues=r"\b(?:zadzwoń|zadzwon|dzwoń|telefon\w*|tel\.?|infolini\w*|numer\w*|whatsapp)\b",
    promo_cues=r"(?:kod(?:em|u)?\s+rabatow\w*|kod(?:em|u)?\s+promocyjn\w*|kod(?:em|u)?\s+zniżkow\w*|kupon\w*|"
    r"kod(?:em|u)?)",
    cues={
        "returns": r"\b(?:zwrot\w*|zwróc\w*|zwraca\w*|odstąpi\w*|wymian\w*|oddać)\b",
        "delivery": r"\b(?:dostaw\w*|dotrz\w*|docier\w*|paczk\w*|dostarcz\w*|wysył\w*|wysyłk\w*|przesył\w*|"
        r"kurier\w*|doręcz\w*|"
        r"nadan\w*)\b",
        "warranty": r"\b(?:gwaranc\w*|rękojm\w*|reklamac\w*)\b",
        "response_time": r"\b(?:odpowi\w*|odpisuj\w*)\b",
        "support": r"\b(?:obsług\w*|infolini\w*|konsultan\w*|czynn\w*|dostępn\w*|kontakt\w*|zadzwo\w*|"
        r"biur\w*|otwart\w*|pracuj\w*|godziny otwarcia)\b",
        "promo": r"\b(?:kod\w*|promoc\w*|rabat\w*|zniżk\w*|taniej|wyprzedaż\w*|kupon\w*|oszczędź\w*)\b",
    },
    clause_breaks=r"[;:]|,\s|\s(?:oraz|ale|lecz|a|i)\s",
    anchor_words=r"(?:od|po|od dnia|od daty|od momentu)",
    singular_one=(
        r"(?:w ciągu|przez)\s+(?:jednego|jeden|jednej)\s+(?P<unit>dnia|tygodnia|miesiąca|roku)(?!\w)"
    ),
)

# Arabic: counted nouns follow the number ("٣٠ يومًا", "٣ أيام"); the dual carries its own number ("يومين").
AR = LanguageRules(
    code="ar",
    units=(
        (r"يوم(?:ا|اً)?|أيام|ايام", "day"),
        (r"أسبوع(?:ا)?|أسابيع", "week"),
        (r"شهر(?:ا)?|أشهر|شهور", "month"),
        (r"سنة|سنه|سنوات|عام(?:ا)?|أعوام", "year"),
        (r"ساعة|ساعه|ساعات", "hour"),
    ),
    business_after=r"عمل|العمل",
    range_words=r"إلى|الى|حتى|او|أو|و",
    range_open=r"من|بين",
    counted_units=(
        (r"يومي عمل", 2, "day", True),
        (r"يومين|يومان", 2, "day", False),
        (r"أسبوعين|أسبوعان", 2, "week", False),
        (r"شهرين|شهران", 2, "month", False),
        (r"سنتين|سنتان|عامين|عامان", 2, "year", False),
        (r"ساعتين|ساعتان", 2, "hour", False),
    ),
    currencies=(
        *_SHARED_CURRENCIES,
        (r"ريال(?:ا|اً|ات)?(?:\s+سعودي)?", "SAR"),
        (r"(?<![A-Za-z])SR(?![A-Za-z])", "SAR"),
        (r"درهم(?:ا|اً)?(?:\s+إماراتي)?|دراهم", "AED"),
        (r"(?<![A-Za-z])Dhs?(?![A-Za-z])", "AED"),
        (r"دولار(?:ا|اً|ات)?(?:\s+أمريكي)?", "USD"),
        (r"يورو", "EUR"),
        (r"زلوتي", "PLN"),
        (r"جنيه(?:ا|اً)?\s+إسترليني", "GBP"),
    ),
    percent_words=r"بالمئة|بالمائة|في المئة|في المائة",
    days=(
        (r"(?:يوم\s+)?(?:ال)?اثنين|(?:يوم\s+)?الإثنين", "mon"),
        (r"(?:يوم\s+)?الثلاثاء", "tue"),
        (r"(?:يوم\s+)?الأربعاء", "wed"),
        (r"(?:يوم\s+)?الخميس", "thu"),
        (r"(?:يوم\s+)?الجمعة|(?:يوم\s+)?الجمعه", "fri"),
        (r"(?:يوم\s+)?السبت", "sat"),
        (r"(?:يوم\s+)?الأحد", "sun"),
    ),
    day_groups=((r"طوال أيام الأسبوع|يوميا|يومياً|كل يوم|7 أيام في الأسبوع", "mon-sun"),),
    day_range_words=r"إلى|الى|حتى|-",
    day_range_open=r"من",
    am=r"صباحا|صباحاً|صباح|ص(?!\w)|a\.?\s?m\.?",
    pm=r"مساءً|مساء|مساءا|ظهرا|ظهراً|م(?!\w)|p\.?\s?m\.?",
    time_range_words=r"إلى|الى|حتى|لغاية|لـ",
    time_range_open=r"من|بين",
    noon=r"الظهر|ظهرا",
    midnight=r"منتصف الليل",
    hours_glue=r"من|في|و|الساعة|الساعه|\(|\)",
    round_the_clock=r"24\s?/\s?7|على مدار الساعة(?:\s+طوال أيام الأسبوع)?"
    r"|24 ساعة (?:في اليوم|يوميا|طوال أيام الأسبوع)(?:،?\s*(?:و\s?)?7 أيام(?: في الأسبوع)?)?",
    phone_cues=r"(?:اتصل|اتصلوا|هاتف|الهاتف|رقم|جوال|الجوال|واتساب|تلفون)",
    promo_cues=r"(?:كود الخصم|رمز الخصم|كوبون الخصم|قسيمة الخصم|الكود|كود|الرمز|رمز|كوبون|قسيمة|"
    r"(?<![A-Za-z])code)",
    cues={
        "returns": r"(?:إرجاع|ارجاع|استرجاع|استرداد|الاسترداد|ترجيع|إعادة|استبدال|الارجاع)",
        "delivery": r"(?:توصيل|التوصيل|شحن|الشحن|تسليم|التسليم|يصل|تصل|وصول|يتم الشحن)",
        "warranty": r"(?:ضمان|الضمان|كفالة|الكفالة)",
        "response_time": r"(?:نرد|الرد|الردود|نجيب)",
        "support": r"(?:خدمة العملاء|الدعم|دعم|متاح|متاحون|متوفر|اتصل|تواصل|مفتوح|ساعات العمل|أوقات العمل|"
        r"فريق)",
        "promo": r"(?:خصم|الخصم|كود|رمز|كوبون|تخفيض|تخفيضات|عرض|قسيمة|وفر)",
    },
    clause_breaks=r"[;:]|,\s|\s(?:لكن|بينما)\s|\sو(?=ال)",
    anchor_words=r"(?:من|بعد|منذ)(?:\s+(?:تاريخ|يوم))?|(?:من|بعد)\s+تاريخ",
    singular_one=r"(?:خلال|لمدة|مدة|مدته|مدتها|ضمان)\s+(?P<unit>يوم|أسبوع|شهر|سنة|سنه|عام|ساعة|ساعه)(?!\w)",
)

RULES: dict[str, LanguageRules] = {"en": EN, "fr": FR, "pl": PL, "ar": AR}
WEEKDAYS = _WEEK
