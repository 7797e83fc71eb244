"""Service procedures per channel and topic, and where channels disagree on them.

For one topic (say, returns) every channel's sentences are read for the parts of a procedure: its steps
(as concepts such as "return label" or "bring it to a store", in the order they are told), what the customer
must bring or provide (receipt, order number, ID), where it can be done (online, in store, by post, by phone,
in the app), time limits, fees and who pays for return shipping. The parts are compared across channels and
each difference becomes one finding that quotes every side.

Matching is by multilingual patterns (en, fr, pl, ar) on a folded copy of the text (Arabic hamza and digit
variants unified), so "sans ticket de caisse" and "no receipt needed" read the same. Comparisons group
channels by what they say, one finding per difference, never one per channel pair.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..extract.numbers import fold
from ..models import CUSTOMER_SCOPES, Difference, Evidence, Finding, Segment, Stated, Value

_HEADING_SCOPES = frozenset({"heading", "title", "meta", "header", "footer"})


def _compile(*patterns: str) -> re.Pattern[str]:
    # Patterns are folded like the text they run on (Arabic أ/إ/آ -> ا, ى -> ي), so write them naturally.
    return re.compile("|".join(f"(?:{fold(p)})" for p in patterns), re.IGNORECASE)


@dataclass(frozen=True)
class Lexeme:
    """One thing a procedure can contain: its id, a readable name and the pattern that finds it."""

    id: str
    name: str
    pattern: re.Pattern[str]
    place: str = ""  # for steps: the place the step implies (a place difference already explains it)
    action: bool = True  # for steps: something the customer does (outcomes like "refund" are never "missing")


# --- What the customer must bring or provide. "hard" ones are things a customer has to have with them, so a
# channel that leaves them out misleads; conditions (tags, packaging) are only reported when contradicted.
REQUIREMENTS: tuple[Lexeme, ...] = (
    Lexeme(
        "receipt",
        "a receipt",
        _compile(
            r"\breceipts?\b",
            r"proof of purchase",
            r"ticket de caisse",
            r"preuve d'achat",
            r"\bfacture\b",
            r"\bparagon\w*",
            r"dow[oó]d\w* zakupu",
            r"ايصال",
            r"الايصال",
            r"فاتورة",
            r"الفاتورة",
        ),
    ),
    Lexeme(
        "order_number",
        "the order number",
        _compile(
            r"order (?:number|no\.?|id|reference|confirmation)",
            r"num[ée]ro de commande",
            r"confirmation de commande",
            r"numer\w* zam[oó]wieni\w*",
            r"potwierdzeni\w* zam[oó]wieni\w*",
            r"رقم الطلب",
            r"تاكيد الطلب",
        ),
    ),
    Lexeme(
        "id",
        "an ID document",
        _compile(
            r"\b(?:photo |valid |government[- ]issued )?id\b(?! number)",
            r"identity (?:card|document)",
            r"\bpassport\b",
            r"driving licen[cs]e",
            r"pi[eè]ce d'identit[ée]",
            r"carte d'identit[ée]",
            r"dow[oó]d\w* osobist\w*",
            r"dokument\w* to[zż]samo[sś]ci",
            r"الهوية",
            r"هوية",
            r"جواز السفر",
        ),
    ),
    Lexeme(
        "payment_card",
        "the payment card",
        _compile(
            r"(?:same|the) (?:bank |credit |debit )?card (?:you )?(?:used|paid)",
            r"carte (?:bancaire )?utilis[ée]e",
            r"kart\w* u[zż]yt\w*",
            r"البطاقة المستخدمة",
        ),
    ),
)
HARD_REQUIREMENTS = frozenset({"receipt", "order_number", "id", "payment_card"})
CONDITIONS: tuple[Lexeme, ...] = (
    Lexeme(
        "original_packaging",
        "the original packaging",
        _compile(
            r"original (?:packaging|box|packing)",
            r"emballage d'origine",
            r"oryginaln\w* opakowani\w*",
            r"العبوة الاصلية",
            r"التغليف الاصلي",
        ),
    ),
    Lexeme(
        "tags",
        "tags attached",
        _compile(r"\btags?\b", r"[ée]tiquettes? (?:attach|d'origine)", r"\bmetk\w*", r"البطاقات"),
    ),
    Lexeme(
        "unused",
        "unused condition",
        _compile(
            r"\bun(?:worn|used|washed|opened)\b",
            r"non (?:port|utilis|lav)[ée]",
            r"nienoszon\w*",
            r"nieu[zż]ywan\w*",
            r"غير مستعمل",
            r"غير مستخدم",
        ),
    ),
)

# --- Where it can be done.
PLACES: tuple[Lexeme, ...] = (
    Lexeme(
        "store",
        "in store",
        _compile(
            r"\bin[- ]store\b",
            r"\b(?:in|to|at|visit)\s+(?:any|a|one of our|our|the|your nearest|your local)"
            r"(?:\s+\w+)?\s+(?:stores?|shops?|branch(?:es)?|boutiques?)\b",
            r"\bour (?:stores|shops)\b",
            r"en (?:magasin|boutique)",
            r"dans (?:nos|l'un de nos|un de nos|votre) magasins?",
            r"w (?:naszym |dowolnym |ka[zż]dym )?(?:sklepie|salonie)",
            r"do (?:naszego |dowolnego |ka[zż]dego )?sklepu",
            r"stacjonarn\w*",
            r"(?:في|الى) (?:اي |احد )?(?:فرع|متجر|المتجر|الفرع|فروعنا|متاجرنا|معرض)",
        ),
    ),
    Lexeme(
        "post",
        "by post",
        _compile(
            r"\bby (?:post|mail|courier)\b",
            r"post office",
            r"\bpost(?:ing)? (?:it|the parcel|the item)\b",
            r"(?:send|ship|mail) (?:it|them|the \w+|your \w+) back",
            r"\bcourier\b",
            r"\bcarrier\b",
            r"parcel (?:locker|shop)",
            r"drop[- ]?off point",
            r"pick[- ]?up point",
            r"par (?:la )?poste",
            r"bureau de poste",
            r"point relais",
            r"\brenvoy\w*",
            r"\bexp[ée]di\w*",
            r"\bpoczt\w*",
            r"\bkurier\w*",
            r"paczkomat\w*",
            r"ode[sś]lij",
            r"\bnadaj\w*",
            r"بالبريد",
            r"مكتب البريد",
            r"شركة الشحن",
            r"المندوب",
            r"عبر البريد(?! الالكتروني)",
        ),
    ),
    Lexeme(
        "online",
        "online",
        _compile(
            r"\bonline\b",
            r"on (?:our|the) (?:website|site)",
            r"\byour account\b",
            r"\ben ligne\b",
            r"sur (?:notre|le) site",
            r"espace client",
            r"przez internet",
            r"na (?:naszej )?stronie",
            r"na (?:swoim|twoim) koncie",
            r"عبر الانترنت",
            r"على الموقع",
            r"اونلاين",
            r"حسابك",
            r"\b(?:at|on|via) (?:https?://)?[\w-]+\.(?:example|com|fr|pl|sa|ae|co\.uk|shop)/\w+",
        ),
    ),
    Lexeme(
        "phone",
        "by phone",
        _compile(
            r"by (?:tele)?phone",
            r"over the phone",
            r"on the phone",
            r"\bcall us\b",
            r"par t[ée]l[ée]phone",
            r"telefoniczn\w*",
            r"zadzwo[nń]\w*",
            r"عبر الهاتف",
            r"اتصل بنا",
        ),
    ),
    Lexeme(
        "app",
        "in the app",
        _compile(
            r"\b(?:in|via|through|with) (?:our|the)(?: \w+)? app\b",
            r"mobile app",
            r"l'application",
            r"w aplikacji",
            r"aplikacj\w+ mobiln\w*",
            r"(?:في|عبر) التطبيق",
        ),
    ),
    Lexeme(
        "chat",
        "in the chat",
        _compile(
            r"live chat",
            r"\bin the chat\b",
            r"\bchat with us\b",
            r"par chat",
            r"na czacie",
            r"الدردشة",
            r"المحادثة",
        ),
    ),
)
# "Returns are in-store only", "uniquement en magasin", "tylko w sklepie", "فقط في الفرع".
_ONLY = _compile(r"\bonly\b", r"uniquement", r"seulement", r"\btylko\b", r"wy[lł][aą]cznie", r"فقط")

# --- Steps, as concepts: naming the thing keeps "print the prepaid label" and "we emailed you a prepaid
# label" the same step, and works across languages.
STEPS: tuple[Lexeme, ...] = (
    Lexeme(
        "start_request",
        "start a return request",
        _compile(
            r"(?:start|request|open|book|begin|initiate)\w* (?:a |your |the )?return",
            r"return (?:request|form|portal)",
            r"(?:go to|open) (?:your|my) orders",
            r"reason for (?:the|your) return",
            r"tell us why",
            r"demande de retour",
            r"formulaire de retour",
            r"mes commandes",
            r"zg[lł]o[sś]\w* zwrot",
            r"formularz\w* zwrot\w*",
            r"طلب (?:ال)?ارجاع",
            r"اطلب (?:ال)?ارجاع",
        ),
        place="online",
    ),
    Lexeme(
        "label",
        "the return label",
        _compile(
            r"\blabel\b",
            r"[ée]tiquette (?:de retour|pr[ée]pay[ée]e|d'envoi)",
            r"etykiet\w*",
            r"ملصق",
            r"بوليصة",
        ),
        place="post",
    ),
    Lexeme(
        "pack",
        "pack the item",
        _compile(
            r"\b(?:re)?pack (?:it|them|the|your)\b",
            r"\bbox (?:it|them) up\b",
            r"\b(?:r?e)?mball?ez\b",
            r"\b[sz]?pakuj\w*",
            r"غلف",
            r"قم بتغليف",
        ),
    ),
    Lexeme(
        "ship_back",
        "send it back by post",
        _compile(
            r"(?:send|ship|mail|post) (?:it|them|the \w+|your \w+) back",
            r"drop (?:it|the parcel|the package|them)"
            r"(?: off)? at",
            r"post office",
            r"courier will collect",
            r"collect (?:it|the \w+) from your",
            r"\brenvoy\w*",
            r"d[ée]posez le colis",
            r"ode[sś]lij",
            r"\bnadaj\w*",
            r"kurier odbierze",
            r"ارسل (?:المنتج|الطرد)",
            r"سلم الطرد",
        ),
        place="post",
    ),
    Lexeme(
        "bring_store",
        "bring it to a store",
        _compile(
            r"(?:bring|take|return|show)\w*(?: \w+){0,6} (?:to|at|in) "
            r"(?:any|a|one of our|our|the|your nearest)"
            r"(?: \w+)? (?:store|shop|branch)",
            r"\bin[- ]store\b",
            r"(?:rapportez|apportez|pr[ée]sentez)\w*",
            r"przynie[sś]\w*",
            r"(?:احضر|توجه)\w* (?:الى|الي)",
        ),
        place="store",
    ),
    Lexeme(
        "inspect",
        "the item is checked",
        _compile(
            r"(?:has been|is|once|after) (?:been )?(?:checked|inspected|scanned)",
            r"(?:we )?inspect\w*",
            r"v[ée]rifi[ée]",
            r"sprawdz\w*",
            r"فحص",
        ),
        action=False,
    ),
    Lexeme(
        "refund",
        "the refund is issued",
        _compile(
            r"\brefund\w*",
            r"\brembours\w*",
            r"zwrot\w* (?:pieni[eę]dzy|[sś]rodk[oó]w|p[lł]atno[sś]ci)",
            r"استرداد",
            r"رد المبلغ",
        ),
        action=False,
    ),
    Lexeme(
        "exchange",
        "an exchange",
        _compile(r"\bexchang\w*", r"\bswap\b", r"[ée]chang\w*", r"wymian\w*", r"wymie[nń]\w*", r"استبدال"),
        action=False,
    ),
)

# --- Fees. Positive = the customer pays; negative = explicitly free.
FEES: tuple[Lexeme, ...] = (
    Lexeme(
        "restocking_fee",
        "a restocking fee",
        _compile(
            r"restocking (?:fee|charge)",
            r"(?:handling|processing|admin(?:istration)?) (?:fee|charge)",
            r"frais de (?:remise en stock|traitement|gestion)",
            r"op[lł]at\w* (?:manipulacyjn|administracyjn)\w*",
            r"رسوم (?:اعادة التخزين|المعالجة|ادارية)",
        ),
    ),
    Lexeme(
        "return_shipping",
        "return shipping paid by the customer",
        _compile(
            r"return (?:shipping|postage|delivery)",
            r"(?:prepaid|free|paid) (?:return )?label",
            r"free returns?",
            r"returns? (?:is|are) free",
            r"frais de (?:retour|port retour)",
            r"retours? gratuits?",
            r"[ée]tiquette pr[ée]pay[ée]e",
            r"koszt\w* (?:odes[lł]ania|zwrotu|przesy[lł]ki zwrotnej)",
            r"(?:darmow|bezp[lł]atn)\w* zwrot\w*",
            r"(?:الارجاع|الاسترجاع) مجاني",
            r"شحن (?:الارجاع|الاسترجاع)",
        ),
    ),
)
# Free / covered by the brand: read in the fee's own clause.
_FREE = _compile(
    r"\bfree\b",
    r"\bno (?:\w+ )?(?:fee|charge|cost)s?\b",
    r"at no (?:extra )?cost",
    r"\bprepaid\b",
    r"we (?:cover|pay)",
    r"\bgratuit\w*",
    r"sans frais",
    r"pr[ée]pay[ée]",
    r"darmow\w*",
    r"bezp[lł]atn\w*",
    r"za darmo",
    r"مجان\w*",
    r"بدون رسوم",
    r"على حسابنا",
)
_CUSTOMER_PAYS = _compile(
    r"at your (?:own )?(?:cost|expense)",
    r"you pay",
    r"customer pays",
    r"is deducted",
    r"will be deducted",
    r"[àa] vos frais",
    r"[àa] la charge du client",
    r"na (?:w[lł]asny|tw[oó]j|koszt klienta) koszt",
    r"على نفقتك",
    r"على حساب العميل",
    r"يتحمل العميل",
)

# Negation read in the few words before a requirement ("no receipt", "without your receipt", "pas besoin de
# ticket", "bez paragonu", "بدون إيصال") or right after it ("receipt is not required", "nie jest wymagany").
_NEG_BEFORE = _compile(
    r"\b(?:no|without|never|don'?t|do not|doesn'?t|does not|won'?t|will not|not)\b[^.;:!?]{0,25}$",
    r"\b(?:sans|pas|aucun\w*|plus besoin)\b[^.;:!?]{0,25}$",
    r"\b(?:bez|nie)\b[^.;:!?]{0,25}$",
    r"(?:بدون|دون|لا|ليس|غير)\s[^.;:!?]{0,25}$",
)
_NEG_AFTER = _compile(
    r"^[^.;:!?]{0,20}\b(?:not|isn'?t|aren'?t)\b (?:needed|required|necessary|mandatory)",
    r"^[^.;:!?]{0,20}\boptional\b",
    r"^[^.;:!?]{0,20}n'est pas (?:n[ée]cessaire|obligatoire|requis)",
    r"^[^.;:!?]{0,20}\bfacultati\w*",
    r"^[^.;:!?]{0,20}nie (?:jest )?(?:potrzebn|wymagan|konieczn)\w*",
    r"^[^.;:!?]{0,20}(?:غير مطلوب|غير ضروري|ليس ضروري)",
)

_PROCESSING = _compile(
    r"refund",
    r"rembours",
    r"zwrot\w* (?:pieni|[sś]rodk)",
    r"استرداد",
    r"\btakes?\b",
    r"business day",
    r"working day",
    r"ouvr[ée]s",
    r"roboczych",
    r"ايام عمل",
)
# A sentence that tells someone what to do: a numbered or bulleted item, a sequence word, an imperative verb
# opening the sentence, "you can/need to/must", or "to return an item, ...".
_PROCEDURAL = _compile(
    r"^\s*(?:\d+[.)]|step \d+|[-*•])\s",
    r"\b(?:first|then|next|after that|finally|once)\b",
    r"\byou(?:'ll| will)? (?:can|need to|must|have to|should|may)\b",
    r"^(?:to|in order to) \w+",
    r"\b(?:is|are|can be|must be|will be) (?:only )?"
    r"(?:accepted|possible|processed|handled|done|made|returned)\b",
    r"\b(?:accept|take) (?:returns|exchanges)\b",
    r"\bse (?:font|fait|effectuen?t)\b",
    r"\b(?:sont|est) (?:accept[ée]e?s?|possibles?)\b",
    r"\b(?:s[aą]|jest) (?:przyjmowan|mo[zż]liw)\w*",
    r"\bprzyjmujemy\b",
    r"يتم (?:ال)?(?:ارجاع|قبول|استبدال)",
    r"\b(?:i|we)(?:'ve| have|'ll| will| can)? (?:booked|arranged|started|sent|emailed|book|arrange|start)\b",
    r"^(?:please |simply |just )?(?:sign|log|open|choose|select|print|pack|send|bring|take|drop|show|start|"
    r"enter|fill|attach|include|book|call|visit|go|click|tap|return|keep|wait|contact|email|follow)\b",
    r"\b(?:ensuite|puis|enfin|d'abord)\b",
    r"\bvous (?:pouvez|devez)\b",
    r"^pour \w+",
    r"^(?:connectez|choisissez|s[ée]lectionnez|imprimez|emballez|envoyez|renvoyez|rapportez|apportez|d[ée]posez|"
    r"remplissez|cliquez|appelez|contactez|indiquez|pr[ée]sentez)",
    r"\b(?:najpierw|nast[eę]pnie|potem|na koniec)\b",
    r"\b(?:mo[zż]esz|musisz|nale[zż]y)\b",
    r"^aby \w+",
    r"^(?:zaloguj|wybierz|wydrukuj|zapakuj|wy[sś]lij|"
    r"ode[sś]lij|przynie[sś]|nadaj|wype[lł]nij|kliknij|zadzwo[nń]|podaj|oka[zż])",
    r"\b(?:ثم|بعد ذلك|اولا|اخيرا)\b",
    r"يمكنك",
    r"يجب",
    r"^ل\w+",
    r"^(?:اطبع|ارسل|احضر|اتصل|اختر|املا|سجل|توجه|قم)",
)


@dataclass(frozen=True)
class Mention:
    """A part of a procedure as one sentence states it."""

    part: str  # requirement | condition | place | step | limit | fee
    value: str  # the lexeme id ("receipt", "store", "label") or, for limits, "window" / "processing"
    positive: bool  # False: explicitly not ("no receipt needed", "free", "not by post")
    segment: int  # index into the segments given to read_procedures
    detail: str = ""  # limits: "30 day"; fees: "$5"; places: "only" when exclusive


@dataclass(frozen=True)
class Procedure:
    """What one channel says about one topic's procedure."""

    channel_id: str
    topic: str
    segments: tuple[int, ...]
    mentions: tuple[Mention, ...]
    procedural: int  # how many of its sentences tell the customer what to do

    def of(self, part: str) -> list[Mention]:
        return [m for m in self.mentions if m.part == part]

    @property
    def steps(self) -> tuple[str, ...]:
        """Step concepts in the order the channel first tells them."""
        seen: dict[str, None] = {}
        for mention in self.mentions:
            if mention.part == "step":
                seen.setdefault(mention.value, None)
        return tuple(seen)

    @property
    def is_procedure(self) -> bool:
        """Enough to compare steps: at least two step concepts, told as something to do."""
        return self.procedural > 0 and len(self.steps) >= 2

    def to_dict(self, segments: Sequence[Segment]) -> dict[str, object]:
        def values(part: str) -> list[str]:
            return sorted(
                {
                    (m.value if m.positive else f"not {m.value}") + (f" {m.detail}" if m.detail else "")
                    for m in self.of(part)
                }
            )

        return {
            "channel": self.channel_id,
            "topic": self.topic,
            "steps": list(self.steps),
            "requirements": values("requirement"),
            "conditions": values("condition"),
            "places": values("place"),
            "limits": values("limit"),
            "fees": values("fee"),
            "sentences": [segments[i].text for i in self.segments],
        }


def _negated(text: str, start: int, end: int) -> bool:
    return bool(
        _NEG_BEFORE.search(text[max(0, start - 40) : start]) or _NEG_AFTER.search(text[end : end + 40])
    )


def _clause(text: str, start: int, end: int) -> str:
    """The clause around a match: fee wording ("free", "at your cost") belongs to its own clause only."""
    left = max(text.rfind(c, 0, start) for c in ",;:.!?()")
    rights = [i for i in (text.find(c, end) for c in ",;:.!?()") if i != -1]
    return text[left + 1 : min(rights) if rights else len(text)]


# Days per unit of a claim's duration; hours and minutes are no procedure's time limit.
_DAYS_PER_UNIT = {"day": 1, "business_day": 1, "week": 7, "month": 30, "year": 365}


def _days(value: Value) -> str | None:
    """A duration read by the extract stage ("3-5" weeks) as this module's limit value ("21-35 day")."""
    factor = _DAYS_PER_UNIT.get(value.unit)
    if factor is None:
        return None
    try:
        numbers = [int(float(part)) * factor for part in value.value.split("-")]
    except ValueError:
        return None
    kind = "business day" if value.unit == "business_day" else "day"
    return f"{'-'.join(dict.fromkeys(str(n) for n in numbers))} {kind}"


@functools.lru_cache(maxsize=8192)
def is_procedural(text: str) -> bool:
    """Whether a sentence tells the customer what to do (or where and how it can be done)."""
    return bool(_PROCEDURAL.search(fold(text).lower().strip()))


@functools.lru_cache(maxsize=65536)
def _read_text(text: str, values: tuple[Value, ...] = ()) -> tuple[tuple[str, str, bool, str], ...]:
    """The procedure parts one sentence states, as (part, value, positive, detail); cached by text because
    footers, disclaimers and bot greetings repeat on every page and in every flow. `values` are the
    sentence's values as the extract stage read them (amounts and durations are never read again here)."""
    folded = fold(text).lower()
    procedural = bool(_PROCEDURAL.search(folded.strip()))
    found: list[tuple[str, str, bool, str]] = []
    for part, lexemes in (("requirement", REQUIREMENTS), ("condition", CONDITIONS)):
        for lexeme in lexemes:
            match = lexeme.pattern.search(folded)
            if match:
                positive = not _negated(folded, match.start(), match.end())
                found.append((part, lexeme.id, positive, ""))
    # Where something can be done is only read from sentences that tell the customer what to do: "the parcel
    # is with the courier" is news, not a place to return things.
    for lexeme in PLACES if procedural else ():
        match = lexeme.pattern.search(folded)
        if match:
            positive = not _negated(folded, match.start(), match.end())
            exclusive = bool(_ONLY.search(folded[max(0, match.start() - 15) : match.end() + 12]))
            found.append(("place", lexeme.id, positive, "only" if exclusive and positive else ""))
    steps = []
    for lexeme in STEPS:
        match = lexeme.pattern.search(folded)
        if match and not _negated(folded, match.start(), match.end()):
            steps.append((match.start(), lexeme.id))
    found.extend(("step", step, True, "") for _, step in sorted(steps))
    for lexeme in FEES:
        match = lexeme.pattern.search(folded)
        if not match:
            continue
        clause = _clause(folded, match.start(), match.end())
        free = bool(_FREE.search(clause) or _FREE.search(match.group(0))) and not _CUSTOMER_PAYS.search(
            clause
        )
        if lexeme.id == "restocking_fee" and _negated(folded, match.start(), match.end()):
            free = True
        amounts = (v.text for v in values if v.kind in ("money", "percentage"))
        amount = next((text for text in amounts if fold(text).lower() in clause), "")
        found.append(("fee", lexeme.id, not free, amount if not free else ""))
    role = "processing" if _PROCESSING.search(folded) else "window"
    for value in values:
        days = _days(value) if value.kind == "duration" else None
        if days:
            found.append(("limit", role, True, days))
    return tuple(found)


def _read(text: str, index: int, values: tuple[Value, ...]) -> list[Mention]:
    return [Mention(part, value, yes, index, detail) for part, value, yes, detail in _read_text(text, values)]


def read_procedures(
    segments: Sequence[Segment],
    topic_of: Sequence[str],
    *,
    topics: Sequence[str] | None = None,
    values: Sequence[tuple[Value, ...]] | None = None,
) -> list[Procedure]:
    """One Procedure per (channel, topic) that has any part; `topic_of[i]` is segment i's topic id ("" none).
    Only topics in `topics` (default: all but "") are read; customers' turns are skipped. `values[i]` are
    segment i's values from its Claim (time limits and fee amounts come from there)."""
    wanted = set(topics) if topics is not None else None
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (segment, topic) in enumerate(zip(segments, topic_of, strict=True)):
        if not topic or segment.scope in CUSTOMER_SCOPES or (wanted is not None and topic not in wanted):
            continue
        by_key[(segment.channel_id, topic)].append(i)
    procedures = []
    for (channel_id, topic), indexes in by_key.items():
        mentions: list[Mention] = []
        procedural = 0
        for i in indexes:
            text = segments[i].text
            mentions.extend(_read(text, i, values[i] if values is not None else ()))
            procedural += is_procedural(text)
        if mentions:
            procedures.append(Procedure(channel_id, topic, tuple(indexes), tuple(mentions), procedural))
    return procedures


@dataclass
class _Stance:
    """Per channel, the mentions that say yes, and those that say no, about one value."""

    yes: dict[str, list[Mention]] = field(default_factory=lambda: defaultdict(list))
    no: dict[str, list[Mention]] = field(default_factory=lambda: defaultdict(list))


def _evidence(mentions: Sequence[Mention], segments: Sequence[Segment], limit: int = 2) -> list[Evidence]:
    out: list[Evidence] = []
    seen: set[int] = set()

    # Body sentences quote better than a page title or meta description saying the same.
    def rank(mention: Mention) -> tuple[bool, bool]:
        segment = segments[mention.segment]
        return (segment.scope in _HEADING_SCOPES, not is_procedural(segment.text))

    for mention in sorted(mentions, key=rank):
        if mention.segment in seen:
            continue
        seen.add(mention.segment)
        segment = segments[mention.segment]
        out.append(Evidence(segment.channel_id, segment.text, segment.location))
        if len(out) == limit:
            break
    return out


def _procedure_quote(procedure: Procedure, segments: Sequence[Segment]) -> Evidence:
    """What a channel that is silent on a part does say instead: the sentence that tells most of its own
    procedure (most step concepts; procedural sentences before others; headings and titles last)."""
    steps: dict[int, int] = defaultdict(int)
    for mention in procedure.mentions:
        if mention.part in ("step", "place", "requirement"):
            steps[mention.segment] += 1

    def rank(item: tuple[int, int]) -> tuple[int, int, int, int]:
        position, i = item
        heading = segments[i].scope in _HEADING_SCOPES
        return (heading, -steps.get(i, 0), not is_procedural(segments[i].text), position)

    _, i = min(enumerate(procedure.segments), key=rank)
    return Evidence(segments[i].channel_id, segments[i].text, segments[i].location)


def _names(channels: Sequence[str]) -> str:
    return ", ".join(channels)


def _finding(
    rule: str,
    severity: str,
    message: str,
    evidence: Sequence[Evidence],
    channels: Sequence[str],
    key: str,
    difference: Difference | None = None,
) -> Finding:
    # The subject is the topic ("returns"): the key says which part of its procedure differs.
    return Finding(
        rule_id=rule,
        dimension="experience",
        severity=severity,
        message=message,
        evidence=tuple(evidence),
        channels=tuple(sorted(set(channels))),
        key=key,
        subject=key.split(":", 1)[0],
        difference=difference,
    )


def _odd_side(what: str, first: Stated, second: Stated) -> Difference:
    """The side fewer channels take is the odd one out (the first on a tie); the other is expected."""
    if len(second.channels) < len(first.channels):
        first, second = second, first
    return Difference(what, first, second)


def _side(value: str, channels: Sequence[str], evidence: Sequence[Evidence]) -> Stated:
    channels = tuple(channels)
    return Stated(value, channels, tuple(e for e in evidence if e.channel_id in channels))


def compare_procedures(
    procedures: Sequence[Procedure], segments: Sequence[Segment], *, labels: Mapping[str, str] | None = None
) -> list[Finding]:
    """Findings for one or more topics' procedures: contradicting or missing requirements, places that do not
    overlap or that one channel rules out, limits and fees that differ, and steps one channel leaves out."""
    labels = labels or {}
    by_topic: dict[str, list[Procedure]] = defaultdict(list)
    for procedure in procedures:
        by_topic[procedure.topic].append(procedure)
    findings: list[Finding] = []
    for topic, group in sorted(by_topic.items()):
        if len({p.channel_id for p in group}) < 2:
            continue
        group = sorted(group, key=lambda p: p.channel_id)
        label = labels.get(topic, topic).lower()
        place_findings = _compare_places(topic, label, group, segments)
        findings.extend(_compare_requirements(topic, label, group, segments))
        findings.extend(place_findings)
        findings.extend(_compare_limits(topic, label, group, segments))
        findings.extend(_compare_fees(topic, label, group, segments))
        # Places named in a place finding: a step that exists only because of that place is not repeated.
        explained = {place for f in place_findings for place in re.split(r"[,|:]", f.key)}
        findings.extend(_compare_steps(topic, label, group, segments, explained))
    return findings


def _stances(group: Sequence[Procedure], part: str) -> dict[str, _Stance]:
    """Per value, which channels say yes and which say no. An explicit "no" outweighs a channel's own plain
    mentions ("Lost your receipt?" next to "You do not need a receipt")."""
    stances: dict[str, _Stance] = defaultdict(_Stance)
    for procedure in group:
        for mention in procedure.of(part):
            side = stances[mention.value].yes if mention.positive else stances[mention.value].no
            side[procedure.channel_id].append(mention)
    for stance in stances.values():
        for channel in list(stance.yes):
            if channel in stance.no and part != "fee":
                del stance.yes[channel]
    return stances


def _lexeme_name(lexemes: Sequence[Lexeme], value: str) -> str:
    return next((lexeme.name for lexeme in lexemes if lexeme.id == value), value.replace("_", " "))


def _compare_requirements(
    topic: str, label: str, group: Sequence[Procedure], segments: Sequence[Segment]
) -> list[Finding]:
    findings = []
    for part, lexemes in (("requirement", REQUIREMENTS), ("condition", CONDITIONS)):
        for value, stance in sorted(_stances(group, part).items()):
            name = _lexeme_name(lexemes, value)
            yes = sorted(c for c in stance.yes if c not in stance.no)
            no = sorted(c for c in stance.no if c not in stance.yes)
            if yes and no:
                evidence = [e for c in yes for e in _evidence(stance.yes[c], segments, 1)]
                evidence += [e for c in no for e in _evidence(stance.no[c], segments, 1)]
                findings.append(
                    _finding(
                        "experience.requirement",
                        "error",
                        f"{label}: {_names(yes)} require{'s' if len(yes) == 1 else ''} {name}, "
                        f"but {_names(no)} say{'s' if len(no) == 1 else ''} it is not needed",
                        evidence,
                        yes + no,
                        f"{topic}:{value}",
                        _odd_side(
                            f"{label.capitalize()}: what is required",
                            _side(f"{name} required", yes, evidence),
                            _side(f"{name} not needed", no, evidence),
                        ),
                    )
                )
            elif yes and value in HARD_REQUIREMENTS:
                # Only a channel that does list what to bring, but lists something else, is compared: one that
                # names no requirement at all leaves the question open rather than answering it differently.
                silent = [
                    p
                    for p in group
                    if p.channel_id not in stance.yes
                    and p.channel_id not in stance.no
                    and p.is_procedure
                    and any(m.value in HARD_REQUIREMENTS and m.positive for m in p.of("requirement"))
                ]
                if not silent:
                    continue
                evidence = [e for c in yes for e in _evidence(stance.yes[c], segments, 1)]
                evidence += [_procedure_quote(p, segments) for p in silent]
                missing = [p.channel_id for p in silent]
                findings.append(
                    _finding(
                        "experience.requirement",
                        "warning",
                        f"{label}: {_names(yes)} ask{'s' if len(yes) == 1 else ''} for {name}; "
                        f"{_names(missing)} {'does' if len(missing) == 1 else 'do'} not mention it",
                        evidence,
                        yes + missing,
                        f"{topic}:{value}",
                    )
                )
    return findings


def _compare_places(
    topic: str, label: str, group: Sequence[Procedure], segments: Sequence[Segment]
) -> list[Finding]:
    """A channel that rules places out ("in store only", "not by post") against the channels that offer them;
    then channels whose places share nothing at all (one says in store, the other by post)."""
    offered: dict[str, set[str]] = {}
    excluded: dict[str, set[str]] = {}
    quotes: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for procedure in group:
        mentions = procedure.of("place")
        offered[procedure.channel_id] = {m.value for m in mentions if m.positive}
        excluded[procedure.channel_id] = {m.value for m in mentions if not m.positive}
        exclusive = {m.value for m in mentions if m.detail == "only"}
        if exclusive and offered[procedure.channel_id] <= exclusive:
            # "Returns are accepted in store only": every other place is ruled out.
            excluded[procedure.channel_id] |= {lexeme.id for lexeme in PLACES} - exclusive
        for mention in mentions:
            quotes[(procedure.channel_id, mention.value)].append(mention)
    channels = [p.channel_id for p in group]

    def quote(channel: str, places: set[str]) -> list[Evidence]:
        mentions = [m for place in sorted(places) for m in quotes[(channel, place)]]
        return _evidence(mentions, segments, 1)

    def named(places: set[str]) -> str:
        return " or ".join(_lexeme_name(PLACES, p) for p in sorted(places))

    findings = []
    ruling = [c for c in channels if excluded[c]]
    for channel in ruling:
        conflicting = {c: offered[c] & excluded[channel] for c in channels if c != channel}
        conflicting = {c: places for c, places in conflicting.items() if places}
        if not conflicting:
            continue
        evidence = quote(channel, offered[channel] | excluded[channel])
        for other, places in sorted(conflicting.items()):
            evidence.extend(quote(other, places))
        allowed = f"only {named(offered[channel])}" if offered[channel] else f"not {named(excluded[channel])}"
        others = "; ".join(f"{c}: {named(places)}" for c, places in sorted(conflicting.items()))
        findings.append(
            _finding(
                "experience.place",
                "error",
                f"{label}: {channel} says it can be done {allowed}, but other channels "
                f"offer it elsewhere ({others})",
                evidence,
                [channel, *conflicting],
                f"{topic}:{channel}:{','.join(sorted(set().union(*conflicting.values())))}",
                Difference(
                    f"Where {label} can be done",
                    _side(allowed, [channel], evidence),
                    Stated(named(set().union(*conflicting.values())), tuple(sorted(conflicting))),
                ),
            )
        )
    # Places that merely differ are no contradiction (one post says "in the app", a page says "online"):
    # only two full procedures whose places share nothing are reported.
    told = {p.channel_id for p in group if p.is_procedure}
    rest = [c for c in channels if c not in ruling and offered[c] and c in told]
    reported: set[tuple[frozenset[str], frozenset[str]]] = set()
    for i, a in enumerate(rest):
        for b in rest[i + 1 :]:
            if offered[a] & offered[b]:
                continue
            pair = tuple(sorted((frozenset(offered[a]), frozenset(offered[b])), key=sorted))
            if pair in reported:
                continue
            reported.add((pair[0], pair[1]))
            side_a = [c for c in rest if frozenset(offered[c]) == pair[0]]
            side_b = [c for c in rest if frozenset(offered[c]) == pair[1]]
            evidence = [e for c in side_a + side_b for e in quote(c, offered[c])]
            findings.append(
                _finding(
                    "experience.place",
                    "warning",
                    f"{label}: {_names(side_a)} say{'s' if len(side_a) == 1 else ''} "
                    f"it can be done {named(set(pair[0]))}; "
                    f"{_names(side_b)} say{'s' if len(side_b) == 1 else ''} "
                    f"{named(set(pair[1]))}",
                    evidence,
                    side_a + side_b,
                    f"{topic}:{','.join(sorted(pair[0]))}|{','.join(sorted(pair[1]))}",
                )
            )
    return findings


def _compare_limits(
    topic: str, label: str, group: Sequence[Procedure], segments: Sequence[Segment]
) -> list[Finding]:
    findings = []
    for role in ("window", "processing"):
        values: dict[str, dict[str, list[Mention]]] = defaultdict(lambda: defaultdict(list))
        for procedure in group:
            for mention in procedure.of("limit"):
                if mention.value == role:
                    values[procedure.channel_id][mention.detail].append(mention)
        if len(values) < 2:
            continue
        # Channels disagree when they share no value: a channel that also states a second limit is not wrong.
        signatures = {c: frozenset(v) for c, v in values.items()}
        groups: dict[frozenset[str], list[str]] = defaultdict(list)
        for channel, signature in signatures.items():
            groups[signature].append(channel)
        clash = [(a, b) for a in groups for b in groups if sorted(a) < sorted(b) and not a & b]
        if not clash:
            continue
        involved: dict[str, None] = {}
        for a, b in clash:
            for signature in (a, b):
                for channel in groups[signature]:
                    involved.setdefault(channel, None)
        described = "; ".join(
            f"{_names(sorted(groups[s]))}: {', '.join(sorted(s))}"
            for s in sorted({s for pair in clash for s in pair}, key=sorted)
        )
        evidence = [
            e
            for c in sorted(involved)
            for d in sorted(values[c])
            for e in _evidence(values[c][d], segments, 1)
        ]
        what = "time limits" if role == "window" else "lead times"
        findings.append(
            _finding(
                "experience.limit",
                "error",
                f"{label}: channels give different {what} ({described})",
                evidence,
                list(involved),
                f"{topic}:{role}",
            )
        )
    return findings


def _compare_fees(
    topic: str, label: str, group: Sequence[Procedure], segments: Sequence[Segment]
) -> list[Finding]:
    findings = []
    for value, stance in sorted(_stances(group, "fee").items()):
        name = _lexeme_name(FEES, value)
        charging = sorted(c for c in stance.yes if c not in stance.no)
        free = sorted(c for c in stance.no if c not in stance.yes)
        amounts = {c: {m.detail for m in stance.yes[c] if m.detail} for c in charging}
        distinct = {a for values in amounts.values() for a in values}
        if charging and free:
            evidence = [
                e for c in charging + free for e in _evidence((stance.yes | stance.no)[c], segments, 1)
            ]
            findings.append(
                _finding(
                    "experience.fee",
                    "error",
                    f"{label}: {_names(charging)} {'mentions' if len(charging) == 1 else 'mention'} {name}, "
                    f"but {_names(free)} {'says' if len(free) == 1 else 'say'} it is free",
                    evidence,
                    charging + free,
                    f"{topic}:{value}",
                    _odd_side(
                        f"{label.capitalize()}: {name}",
                        _side("charged", charging, evidence),
                        _side("free", free, evidence),
                    ),
                )
            )
        elif len(distinct) > 1:
            evidence = [e for c in charging for e in _evidence(stance.yes[c], segments, 1)]
            findings.append(
                _finding(
                    "experience.fee",
                    "error",
                    f"{label}: channels state different amounts for {name}: "
                    + "; ".join(f"{c}: {', '.join(sorted(amounts[c]))}" for c in charging if amounts[c]),
                    evidence,
                    charging,
                    f"{topic}:{value}",
                )
            )
        elif charging:
            silent = [
                p
                for p in group
                if p.channel_id not in stance.yes and p.channel_id not in stance.no and p.is_procedure
            ]
            if not silent:
                continue
            evidence = [e for c in charging for e in _evidence(stance.yes[c], segments, 1)]
            evidence += [_procedure_quote(p, segments) for p in silent]
            missing = [p.channel_id for p in silent]
            findings.append(
                _finding(
                    "experience.fee",
                    "warning",
                    f"{label}: {_names(charging)} {'mentions' if len(charging) == 1 else 'mention'} {name}; "
                    f"{_names(missing)} {'does' if len(missing) == 1 else 'do'} not",
                    evidence,
                    charging + missing,
                    f"{topic}:{value}",
                )
            )
    return findings


def _compare_steps(
    topic: str, label: str, group: Sequence[Procedure], segments: Sequence[Segment], explained: set[str]
) -> list[Finding]:
    """A step some channels' procedures include and another channel's procedure leaves out. Only channels that
    tell a procedure (two or more steps) take part, and a step whose place difference is already reported is
    not reported again."""
    told = [p for p in group if p.is_procedure]
    if len(told) < 2:
        return []
    findings = []
    for lexeme in STEPS:
        if not lexeme.action or (lexeme.place and lexeme.place in explained):
            continue
        having = [p for p in told if lexeme.id in p.steps]
        # A channel that mentions the step anywhere in the topic (even not as a step) is not missing it.
        missing = [p for p in told if p not in having]
        if not having or not missing or len(having) < len(missing):
            # A step only a minority tells is detail, not a missing step; the majority decides.
            continue
        evidence = [
            e
            for p in having
            for e in _evidence([m for m in p.of("step") if m.value == lexeme.id], segments, 1)
        ]
        evidence += [_procedure_quote(p, segments) for p in missing]
        channels = [p.channel_id for p in having + missing]
        findings.append(
            _finding(
                "experience.procedure_step",
                "warning",
                f'{label}: the step "{lexeme.name}" is in the procedure of '
                f"{_names([p.channel_id for p in having])} "
                f"but missing from {_names([p.channel_id for p in missing])}",
                evidence,
                channels,
                f"{topic}:{lexeme.id}",
            )
        )
    return findings
