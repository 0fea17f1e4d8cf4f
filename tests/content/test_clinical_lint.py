"""Clinical content lint (issue 19): rules every reply a person reads must keep.

Over the curated answers (data/content/, web and SMS) and every response in
domain.yml. The urgent replies and the check-in come in five languages: English
(en), Spanish (es), Brazilian Portuguese (pt), Haitian Creole (ht) and
Vietnamese (vi). Every rule that reads words has a pattern for each of them,
written from the translated texts; a reply in a language a rule has no pattern
for fails (KeyError) rather than passing unread. These are rules, not word counts:

- a reply that mentions an overdose names 911 and naloxone;
- an overdose reply says what keeps a person alive, and the about-to-use reply
  what keeps a person who uses anyway safer;
- a suicide reply names 988, carries a line of hope, a step away from the means
  and no method detail, and one not in English says how to reach 988 in its
  language;
- urgent replies put the emergency line first (911; 988 for suicide and about
  to use), then the helpline, and fit a few text messages;
- the check-in, in every language, names 911 and 988 and asks whether the
  person is safe;
- answers about detox, withdrawal or relapse carry the tolerance warning;
- no stigmatizing terms (NIDA, "Words Matter");
- no dose amounts;
- sources named, review dates under a year old, sign-off recorded as a state;
- nothing claims a clinical review that has not happened;
- reading level, web and SMS. Where textstat has a measure for the language the
  reply must read at grade 8 at most: Flesch-Kincaid for English, Crawford for
  Spanish. textstat has none for Portuguese (its set_lang("pt") only switches the
  syllable dictionary; its formulas keep the English constants and grades),
  Haitian Creole or Vietnamese (set_lang("ht") and ("vi") find no dictionary at
  all). Replies in those languages keep a plain-language rule instead, which can
  fail: at most 20 words a sentence on average, and no sentence over 30 words.
  Vietnamese writes every syllable apart, so what spaces separate there are
  syllables, not words; its words are mostly one or two syllables, and its
  limits are counted in syllables at one and a half per word: 30 on average, 45
  at most.
"""

import re
from datetime import date, timedelta

import pytest
import textstat

from center.sources import SOURCES
from safety.categories import CATEGORIES
from safety.categories import LANGUAGES as CATEGORY_LANGUAGES
from tests.content.replies import (
    Reply,
    all_replies,
    as_read,
    content_replies,
    domain_responses,
    replies_of,
)
from tools.content import PENDING, SIGNED, fill, load_topics

TODAY = date.today()
REPLIES = all_replies()
TOPICS = load_topics()
# Every language a reply is written in. Each language-keyed table below has a
# pattern for each (test_every_rule_reads_every_language).
LANGUAGES = {"en", "es", "pt", "ht", "vi"}


def ids(replies: list[Reply]) -> list[str]:
    return [r.id for r in replies]


def has(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE) is not None


def test_the_replies_are_in_the_five_languages_and_no_other():
    assert set(CATEGORY_LANGUAGES) == LANGUAGES
    others = {r.id for r in REPLIES if r.language not in LANGUAGES}
    assert not others, f"replies in a language the lint cannot read: {sorted(others)}"


# --- Overdose: 911 and naloxone -------------------------------------------------

# en/pt "overdose", es "sobredosis", ht "surdoz", vi "quá liều".
OVERDOSE = r"overdos|sobredosis|surdoz|quá liều"
# en/vi "naloxone", es/pt "naloxona", ht "naloksòn"; and the brand, Narcan.
NALOXONE = r"naloxon|naloks|narcan"
# Replies that name an overdose without anyone at risk of one: the grief reply
# (someone lost a person to an overdose) must not answer with first aid.
OVERDOSE_EXEMPT = {"utter_share_loss"}

# Replies about an overdose, whatever words they use.
ABOUT_OVERDOSE = {"utter_faq/overdose_signs_and_naloxone"}

MENTIONS_OVERDOSE = [
    r
    for r in REPLIES
    if (has(OVERDOSE, r.text) or r.name in ABOUT_OVERDOSE or r.reason == "overdose")
    and r.name not in OVERDOSE_EXEMPT
]


@pytest.mark.parametrize("reply", MENTIONS_OVERDOSE, ids=ids(MENTIONS_OVERDOSE))
def test_a_reply_that_mentions_overdose_names_911_and_naloxone(reply: Reply):
    assert "911" in reply.text, reply.text
    assert has(NALOXONE, reply.text), reply.text


def test_the_overdose_rule_sees_the_overdose_replies():
    names = {r.name for r in MENTIONS_OVERDOSE}
    assert {"utter_faq/overdose_signs_and_naloxone", "utter_faq/relapse"} <= names
    assert any(r.reason == "overdose" for r in MENTIONS_OVERDOSE)


# --- Urgent replies: the emergency line first, then the helpline ------------------

URGENT = [r for r in REPLIES if r.reason]
# The line an urgent reply names first, by its reason.
FIRST_LINE = {
    "overdose": "911",
    "medical": "911",
    "suicide": "988",
    "danger": "911",
    # About to use: 988 first (call or text), and 911 further on, for an overdose.
    "about_to_use": "988",
    # "I need a person now": 911 in case it is an emergency, then 988, then the helpline.
    "person_now": "911",
    # The menu's "Talk to a person" (utter_request_human).
    "human": "911",
}
# The urgent categories (safety/categories.py), whose replies come in every language.
URGENT_REASONS = ("overdose", "medical", "suicide", "danger", "about_to_use", "person_now")


def position(text: str, needle: str) -> int:
    return text.index(needle) if needle in text else len(text) + 1


def test_the_first_lines_are_the_categories_emergency_lines():
    assert set(URGENT_REASONS) == {c.reason for c in CATEGORIES}
    for category in CATEGORIES:
        assert FIRST_LINE[category.reason] == category.emergency_line, category


@pytest.mark.parametrize("reply", URGENT, ids=ids(URGENT))
def test_urgent_replies_put_the_emergency_line_first_then_the_helpline(reply: Reply):
    text = reply.text
    assert "{helpline}" in text, "every urgent reply gives the helpline as {helpline}"
    assert reply.reason in FIRST_LINE, f"no first line known for reason {reply.reason!r}"
    numbers = [n for n in ("911", "988", "{helpline}") if n in text]
    first = min(numbers, key=lambda n: position(text, n))
    assert first == FIRST_LINE[reply.reason], text
    if about_to_use(reply):  # and 911, in case of an overdose
        assert "911" in text, text


@pytest.mark.parametrize("reason", URGENT_REASONS)
def test_every_urgent_reply_comes_in_all_five_languages(reason: str):
    assert {r.language for r in URGENT if r.reason == reason} == LANGUAGES


# An urgent reply fits a few text messages: 480 characters, three 160-character
# texts, in English. A translation carries the same facts, and the same facts
# take more letters in Spanish, Portuguese, Haitian Creole and Vietnamese than in
# English (longer words, articles and particles, and a clause on how to reach
# 988 in the language). So a translation may be up to 20% longer than the
# English limit, 576 characters, and no more: past that it is saying more than
# the English reply, or saying it at greater length, and should be cut.
MAX_URGENT_CHARS = 480
MAX_URGENT_CHARS_TRANSLATED = MAX_URGENT_CHARS * 6 // 5  # 576


@pytest.mark.parametrize("reply", URGENT, ids=ids(URGENT))
def test_urgent_replies_fit_a_few_text_messages(reply: Reply):
    limit = MAX_URGENT_CHARS if reply.language == "en" else MAX_URGENT_CHARS_TRANSLATED
    length = len(fill(reply.text))
    assert length <= limit, f"{length} characters, over {limit}: {reply.text}"


def about_to_use(reply: Reply) -> bool:
    return reply.reason == "about_to_use" or "about_to_use" in reply.name


OVERDOSE_REPLIES = [r for r in URGENT if r.reason == "overdose"]
# What an overdose reply must say, by language: issue 19's list.
OVERDOSE_MUST = {
    "breathing support (rescue breaths or CPR, as 911 coaches)": {
        "en": r"rescue breath|CPR",
        "es": r"RCP|respiraci(o|ó)n",
        "pt": r"RCP|respiração boca a boca",
        "ht": r"CPR|respirasyon bouch",
        "vi": r"thổi ngạt|hồi sức tim phổi|CPR",
    },
    "a repeat dose of naloxone": {
        "en": r"another dose",
        "es": r"otra dosis",
        "pt": r"outra dose",
        "ht": r"yon lòt dòz",
        "vi": r"thêm (một )?liều|liều nữa",
    },
    "the recovery position, only for someone breathing": {
        "en": r"breath\w*,? but[^.!]*\bside\b",
        "es": r"respira,? pero[^.!]*\blado\b",
        "pt": r"respira\w*,? mas[^.!]*\bde lado\b",
        "ht": r"respire,? men[^.!]*\bsou kote\b",
        "vi": r"thở,? nhưng[^.!]*nằm nghiêng",
    },
    "the Massachusetts Good Samaritan law": {
        "en": r"\blaw\b",
        "es": r"\bley\b",
        "pt": r"\blei\b",
        "ht": r"\blwa\b",
        "vi": r"\bluật\b",
    },
    "naloxone even when xylazine may be present": {
        "en": r"xylazine",
        "es": r"xilacina",
        "pt": r"xilazina",
        "ht": r"ksilazin|xylazine",
        "vi": r"xylazine",
    },
}


@pytest.mark.parametrize("reply", OVERDOSE_REPLIES, ids=ids(OVERDOSE_REPLIES))
@pytest.mark.parametrize("what", sorted(OVERDOSE_MUST))
def test_overdose_replies_say_what_keeps_a_person_alive(reply: Reply, what: str):
    assert has(OVERDOSE_MUST[what][reply.language], reply.text), f"missing {what}: {reply.text}"


ABOUT_TO_USE = [r for r in URGENT if about_to_use(r)]
ABOUT_TO_USE_MUST = {
    "don't use alone": {
        "en": r"(don't|do not|never) use alone",
        "es": r"no lo haga sol|no consuma sol",
        "pt": r"não use sozinh",
        "ht": r"\bpa pran\b[^.!?]{0,12}\bpou kont ou",
        "vi": r"đừng dùng một mình",
    },
    "naloxone nearby": {
        "en": rf"({NALOXONE})[^.!?]{{0,20}}\b(close|near|nearby|on hand|with you)\b",
        "es": rf"({NALOXONE})[^.!?]{{0,20}}\b(cerca|a mano)\b",
        "pt": rf"({NALOXONE})[^.!?]{{0,20}}\b(por perto|perto|à mão)",
        "ht": rf"({NALOXONE})[^.!?]{{0,20}}\b(toupre|pre|sou ou)\b",
        "vi": rf"({NALOXONE})[^.!?]{{0,20}}(ở gần|bên cạnh|bên mình)",
    },
    "fentanyl test strips": {
        "en": r"fentanyl[^.!?]*test strip|test strip[^.!?]*fentanyl",
        "es": r"fentanilo[^.!?]*tiras|tiras de prueba[^.!?]*fentanilo",
        "pt": r"fentanil[^.!?]*tiras de teste|tiras de teste[^.!?]*fentanil",
        "ht": r"fentanil[^.!?]*bann tès|bann tès[^.!?]*fentanil",
        "vi": r"fentanyl[^.!?]*que thử|que thử[^.!?]*fentanyl",
    },
}


@pytest.mark.parametrize("reply", ABOUT_TO_USE, ids=ids(ABOUT_TO_USE))
@pytest.mark.parametrize("what", sorted(ABOUT_TO_USE_MUST))
def test_the_about_to_use_reply_keeps_a_person_who_uses_anyway_safer(reply: Reply, what: str):
    assert has(ABOUT_TO_USE_MUST[what][reply.language], reply.text), f"missing {what}"


def test_there_are_overdose_and_about_to_use_replies_in_all_five_languages():
    assert {r.language for r in OVERDOSE_REPLIES} == LANGUAGES
    assert {r.language for r in ABOUT_TO_USE} == LANGUAGES


def test_the_dose_decline_warns_about_mixing():
    declines = [r for r in REPLIES if r.name == "utter_decline_dose_or_drugs"]
    assert declines
    for reply in declines:
        assert has(r"alcohol", reply.text) and has(r"benzodia(z|c)ep", reply.text), reply.text
        assert "911" in reply.text


# --- Suicide: 988, hope, no method detail ---------------------------------------

SUICIDE = [r for r in REPLIES if r.reason == "suicide" or "suicide" in r.name]
# A line of hope: you are not alone, this can pass, help is there.
HOPE = {
    "en": r"not alone|can pass|can get better|help is (there|available)|there is hope",
    "es": r"no (está|esta) sol[oa]|no tiene que pasar por esto sol[oa]|puede (pasar|mejorar)"
    r"|hay ayuda|esperanza",
    "pt": r"não (está|esta) sozinh|não precisa enfrentar isso sozinh|pode (passar|melhorar)"
    r"|a ajuda existe|(tem|há) ajuda|esperança",
    "ht": r"pa oblije fè fas ak sa pou kont ou|ou pa pou kont ou|ka pase|ka vin pi byen"
    r"|gen èd|espwa",
    "vi": r"không (phải|cô đơn)[^.!?]*một mình|có thể qua đi|sẽ qua|có thể (tốt|khá) hơn"
    r"|có người giúp|hy vọng",
}
# Method detail: how, with what or how much, in each language. Moving away from
# pills is the step away from the means and stays allowed.
METHOD = (
    # en
    r"lethal|how (many|much)|\bhang|\brope|noose|\bguns?\b|firearm|bridge|\bjump|wrist|"
    r"\bbleed|\bcut\b|suffocat|"
    # es
    r"letal|cu(á|a)ntas|ahorc|cuerda|pistola|\barma\b|puente|saltar|muñeca|cortar|"
    # pt
    r"quant[oa]s comprimidos|enforc|\bcorda\b|\barmas? de fogo|\brev(ó|o)lver|\bponte\b|"
    r"\bpular\b|\bpulsos?\b|\bcortar\b|\bsangr|sufoc|"
    # ht
    r"konbyen grenn|pann tèt|\bkòd\b|\bzam\b|\bpon\b|\bsote\b|ponyèt|\bkoupe\b|senyen|toufe|"
    # vi
    r"bao nhiêu viên|treo cổ|dây thừng|\bsúng\b|cây cầu|nhảy (cầu|lầu|xuống)|cổ tay|\bcắt\b|"
    r"chảy máu|làm ngạt|gây chết|liều chết"
)
# A step away from the means: move away from what could hurt you.
STEP_AWAY = {
    "en": r"move away|away from",
    "es": r"al(e|é)jese",
    "pt": r"afaste-se|fique longe|longe d",
    "ht": r"ale lwen|rete lwen",
    "vi": r"tránh xa|rời xa",
}
# How to reach 988 in the reply's language: Spanish has its own line (press 2,
# or text AYUDA); in other languages 988 calls in an interpreter.
REACH_988_IN_LANGUAGE = {
    "es": r"marque 2|(?-i:\bAYUDA\b)",
    "pt": r"intérprete de português|em português",
    "ht": r"entèprèt kreyòl|an kreyòl",
    "vi": r"thông dịch viên tiếng Việt|bằng tiếng Việt",
}


@pytest.mark.parametrize("reply", SUICIDE, ids=ids(SUICIDE))
def test_suicide_replies_name_988_offer_hope_and_no_method(reply: Reply):
    assert "988" in reply.text
    assert has(HOPE[reply.language], reply.text), f"no line of hope: {reply.text}"
    assert not has(METHOD, reply.text), re.search(METHOD, reply.text, re.IGNORECASE).group(0)


@pytest.mark.parametrize("reply", SUICIDE, ids=ids(SUICIDE))
def test_suicide_replies_offer_a_step_away_from_the_means_and_911(reply: Reply):
    assert has(STEP_AWAY[reply.language], reply.text), reply.text
    assert "911" in reply.text


def test_there_are_suicide_replies_in_all_five_languages():
    assert {r.language for r in SUICIDE} == LANGUAGES


NOT_ENGLISH_SUICIDE = [r for r in SUICIDE if r.language != "en"]


@pytest.mark.parametrize("reply", NOT_ENGLISH_SUICIDE, ids=ids(NOT_ENGLISH_SUICIDE))
def test_suicide_replies_say_how_to_reach_988_in_their_language(reply: Reply):
    assert has(REACH_988_IN_LANGUAGE[reply.language], reply.text), reply.text


# The check-in's question: are you safe (right now)?
SAFE_QUESTION = {
    "en": r"\bare you safe\b",
    "es": r"\best(á|a) a salvo\b",
    "pt": r"\best(á|a) em seguran(ç|c)a\b",
    "ht": r"\bou an sekirite\b",
    "vi": r"\bcó an toàn không\b",
}
CHECK_IN = replies_of("utter_check_in", domain_responses().get("utter_check_in") or [])
CHECK_IN_SAFE = replies_of(
    "utter_check_in_safe", domain_responses().get("utter_check_in_safe") or []
)


def test_the_check_in_and_its_answer_come_in_all_five_languages():
    assert CHECK_IN, "utter_check_in: the short safety check of issue 19"
    assert {r.language for r in CHECK_IN} == LANGUAGES
    assert {r.language for r in CHECK_IN_SAFE} == LANGUAGES


@pytest.mark.parametrize("reply", CHECK_IN, ids=ids(CHECK_IN))
def test_the_check_in_names_988_and_911_and_asks_if_the_person_is_safe(reply: Reply):
    assert "988" in reply.text and "911" in reply.text, reply.text
    questions = re.findall(r"[^.?!]*\?", reply.text)
    assert any(has(SAFE_QUESTION[reply.language], q) for q in questions), reply.text


@pytest.mark.parametrize("reply", CHECK_IN_SAFE, ids=ids(CHECK_IN_SAFE))
def test_the_answer_to_i_am_safe_gives_the_helpline(reply: Reply):
    assert "{helpline}" in reply.text, reply.text


def test_every_rule_reads_every_language():
    tables = {
        **{f"OVERDOSE_MUST[{what}]": t for what, t in OVERDOSE_MUST.items()},
        **{f"ABOUT_TO_USE_MUST[{what}]": t for what, t in ABOUT_TO_USE_MUST.items()},
        "HOPE": HOPE,
        "STEP_AWAY": STEP_AWAY,
        "SAFE_QUESTION": SAFE_QUESTION,
    }
    for name, table in tables.items():
        assert set(table) == LANGUAGES, name
    assert set(REACH_988_IN_LANGUAGE) == LANGUAGES - {"en"}
    assert set(READING_RULE) == LANGUAGES


# --- Tolerance: detox, withdrawal, relapse --------------------------------------

# Answers about detox, withdrawal, relapse or stopping a blocker, after which
# tolerance is lower and the old amount can kill.
TOLERANCE_TOPICS = {
    "detox_what_is",
    "detox_at_home",
    "after_detox",
    "withdrawal_symptoms",
    "withdrawal_timeline",
    "withdrawal_comfort_care",
    "relapse",
    "mat_naltrexone",
}
# "Tolerance" and "overdose" within a sentence or two of each other.
TOLERANCE_WARNING = r"toleran\w+[^?!]{0,90}?(overdose|sobredosis)"


@pytest.mark.parametrize("topic_id", sorted(TOLERANCE_TOPICS))
def test_detox_withdrawal_and_relapse_answers_carry_the_tolerance_warning(topic_id: str):
    for variant in TOPICS[topic_id].variants:
        assert has(TOLERANCE_WARNING, variant["text"]), variant["text"]


def test_tolerance_topics_exist():
    assert set(TOPICS) >= TOLERANCE_TOPICS


# --- Words, doses, claims ---------------------------------------------------------

# NIDA, "Words Matter: Preferred Language for Talking About Addiction": the
# terms to avoid, and their Spanish, Portuguese, Haitian Creole and Vietnamese
# counterparts (addict, junkie, clean, dirty).
STIGMA = re.compile(
    r"\b(addicts?|junkies?|abusers?|alcoholics?|drunks?|crackheads?|druggies?|dope ?fiends?|"
    r"users?|clean|dirty|(drug|substance|opioid|heroin) (abuse|habit)|habit|"
    r"(opioid )?(replacement|substitution) (therapy|treatment)|"
    r"adict[oa]s?|drogadict[oa]s?|limpi[oa]s?|suci[oa]s?|viciosos?|"
    r"viciad[oa]s?|drogad[oa]s?|n(ó|o)ias?|limp[oa]s?|suj[oa]s?|"
    r"dwoge|dwòge|adik|"
    r"con nghiện|dân nghiện|thằng nghiện|nghiện ngập|xì ke)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("reply", REPLIES, ids=ids(REPLIES))
def test_no_stigmatizing_terms(reply: Reply):
    for text in (reply.text, *reply.buttons):
        assert not STIGMA.search(text), STIGMA.search(text).group(0)


DOSE = re.compile(
    r"\b\d+(\.\d+)?\s*(mg|mcg|µg|ug|ml|cc|milligrams?|micrograms?|grams?|units?|"
    r"miligramos?|microgramos?|gramos?|pills?|tablets?|pastillas?|tabletas?|"
    r"miligramas?|microgramas?|gramas?|comprimidos?|pílulas?|"
    r"miligram|mikwogram|gram|grenn|konprime|dòz|"
    r"viên|liều|miligam|gam)\b"
    r"|\b(take|takes|taking|use|tome|tomar|pran|uống|dùng)\s+\d+\b"
    r"|\bdoses? of \d|\bdosis de \d|\bdoses? de \d|\bdòz \d|\bliều \d",
    re.IGNORECASE,
)


@pytest.mark.parametrize("reply", REPLIES, ids=ids(REPLIES))
def test_no_dose_amounts(reply: Reply):
    assert not DOSE.search(reply.text), DOSE.search(reply.text).group(0)


CLAIMS_REVIEW = (
    r"reviewed (information|answers|content)|(clinically|medically) (reviewed|approved)|"
    r"(reviewed|approved|checked|signed off) by (a |our )?(clinician|doctor|nurse|team)|"
    r"informaci(ó|o)n revisada|revisad[oa]s? por|aprobad[oa]s? por|"
    r"informaç(ã|a)o revisada|aprovad[oa]s? por|"
    r"revize pa|apwouve pa|verifye pa|"
    r"được (bác sĩ|chuyên gia|nhân viên y tế)[^.!?]*(duyệt|kiểm tra)|đã được (kiểm )?duyệt"
)


@pytest.mark.parametrize("reply", REPLIES, ids=ids(REPLIES))
def test_no_reply_claims_a_clinical_review(reply: Reply):
    # Nobody has signed the answers off yet; see test_signoff_is_a_recorded_state.
    assert not has(CLAIMS_REVIEW, reply.text), reply.text


SPANISH_TU = r"\b(tú|tienes|puedes|estás|llámanos|escríbenos|quieres)\b"


SPANISH = [r for r in REPLIES if r.language == "es"]


@pytest.mark.parametrize("reply", SPANISH, ids=ids(SPANISH))
def test_spanish_replies_say_usted(reply: Reply):
    assert not has(SPANISH_TU, reply.text), reply.text


# --- Sources, review dates, sign-off ------------------------------------------------


@pytest.mark.parametrize("topic_id", list(TOPICS))
def test_sources_are_named_and_reviewed_within_a_year(topic_id: str):
    for variant in TOPICS[topic_id].variants:
        metadata = variant["metadata"]
        assert metadata["sources"], "an answer must name its sources"
        assert set(metadata["sources"]) <= set(SOURCES), set(metadata["sources"]) - set(SOURCES)
        reviewed = date.fromisoformat(metadata["last_reviewed"])
        assert TODAY - timedelta(days=365) < reviewed <= TODAY


@pytest.mark.parametrize("topic_id", list(TOPICS))
def test_signoff_is_a_recorded_state(topic_id: str):
    topic = TOPICS[topic_id]
    states = [v["metadata"].get("signoff") for v in topic.variants]
    assert all(states) and all(s == states[0] for s in states), "web and SMS record one state"
    signoff = states[0]
    assert signoff["status"] in {PENDING, SIGNED}
    if signoff["status"] == SIGNED:
        assert str(signoff.get("by", "")).strip(), "a sign-off names who signed"
        signed_on = date.fromisoformat(str(signoff["date"]))
        # Changing an answer after it was signed makes it pending again.
        assert topic.last_reviewed <= signed_on <= TODAY
    else:
        assert set(signoff) == {"status"}


# --- Reading level ----------------------------------------------------------------

MAX_GRADE = 8


def grade(reply: Reply) -> float:
    text = as_read(reply.text)
    if reply.language == "es":
        textstat.set_lang("es")
        try:
            return textstat.crawford(text)
        finally:
            textstat.set_lang("en_US")
    assert reply.language == "en", f"textstat grades no {reply.language!r}"
    return textstat.flesch_kincaid_grade(text)


# How each language's replies are held to plain language: "grade", a textstat
# grade of 8 at most; or (average, longest), the most words a sentence may have
# on average and at most, where textstat has no measure for the language (see
# the module docstring). Vietnamese counts syllables, one and a half a word.
READING_RULE: dict[str, str | tuple[int, int]] = {
    "en": "grade",
    "es": "grade",
    "pt": (20, 30),
    "ht": (20, 30),
    "vi": (30, 45),
}
READABLE = [r for r in REPLIES if r.text.strip()]
GRADED = [r for r in READABLE if READING_RULE[r.language] == "grade"]
PLAIN = [r for r in READABLE if READING_RULE[r.language] != "grade"]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def words(sentence: str) -> list[str]:
    return [w for w in sentence.split() if re.search(r"\w", w)]


@pytest.mark.parametrize("reply", GRADED, ids=ids(GRADED))
def test_reading_grade_is_8_at_most(reply: Reply):
    assert grade(reply) <= MAX_GRADE, reply.text


@pytest.mark.parametrize("reply", PLAIN, ids=ids(PLAIN))
def test_replies_without_a_reading_grade_keep_sentences_short(reply: Reply):
    average, longest = READING_RULE[reply.language]
    counts = [(len(words(s)), s) for s in sentences(fill(reply.text))]
    assert sum(n for n, _ in counts) / len(counts) <= average, counts
    long = [(n, s) for n, s in counts if n > longest]
    assert not long, f"sentences over {longest} words: {long}"


def test_every_language_has_a_reading_rule_and_its_replies_are_read():
    assert {r.language for r in GRADED} == {"en", "es"}
    assert {r.language for r in PLAIN} == {"pt", "ht", "vi"}


def test_every_curated_answer_is_graded_on_web_and_sms():
    graded = {(r.name, r.channel) for r in content_replies()}
    assert len(graded) == 2 * len(TOPICS)
