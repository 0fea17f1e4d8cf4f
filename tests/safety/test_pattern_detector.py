"""The crisis patterns' detector on its own: the cases the safety issue names."""

import pytest

from safety.pattern_detector import shared_detector


def category(text: str) -> str | None:
    detection = shared_detector().detect(text)
    return detection.category if detection else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my friend is not breathing", "overdose"),
        ("my son took too many pills", "overdose"),
        ("hes od'ing", "overdose"),
        ("HELP hes not breating", "overdose"),
        ("my bf is nodding out and wont wake up", "overdose"),
        ("her lips are blue", "overdose"),
        ("I'm not suicidal but I took 6 pills", "overdose"),
        ("stop, he's not breathing", "overdose"),
        ("kms", "suicide"),
        ("i want to unalive myself", "suicide"),
        ("I want to end it", "suicide"),
        ("he is having a seizure", "medical"),
        ("chest pain and i cant keep water down", "medical"),
        ("im pregnant and bleeding while detoxing", "medical"),
        ("my husband is hitting me", "danger"),
        ("he has a gun", "danger"),
        ("im about to use", "about_to_use"),
        ("my dealer is on his way", "about_to_use"),
        ("mi hijo no respira", "overdose"),
        ("me quiero matar", "suicide"),
        ("help", "person_now"),
        ("HELP!!", "person_now"),
        ("help me", "person_now"),
    ],
)
def test_urgent_messages_are_caught_in_the_right_category(text: str, expected: str):
    detection = shared_detector().detect(text)
    assert detection is not None and not detection.weak
    assert detection.category == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("que es una sobredosis exactamente", "overdose"),
        ("a veces quiero morir de la risa con mi hijo", "suicide"),
        ("llamamos a la ambulancia la semana pasada", "medical"),
        ("we were thinking about suicide prevention week", "suicide"),
        ("please call nine-one-one", "medical"),
    ],
)
def test_words_also_used_calmly_are_weak_matches(text: str, expected: str):
    detection = shared_detector().detect(text)
    assert detection is not None and detection.weak
    assert detection.category == expected


def test_a_strong_match_outranks_a_weak_one():
    detection = shared_detector().detect("he has a gun and says he is suicidal")
    assert detection is not None and not detection.weak
    assert detection.category == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "I'm dying to know how CBT works",
        "this program is killer",
        "what kills cravings",
        "my friend died of an overdose last year",
        "what are the signs of an overdose",
        "how does narcan work",
        "can you overdose on suboxone",
        "what do you do if someone isnt breathing",
        "I'm not suicidal, just asking about therapy",
        "i'm confused about methadone",
        "i'm going to use my insurance",
        "how do i stop using",
        "STOP",
        "i took my pills today",
        # "call-back" once met "call" + the "-" of "nine-one-one" (a slot is one token).
        "can i get a call-back tomorrow",
        "call one of them back",
    ],
)
def test_idioms_negations_past_events_and_questions_are_not_urgent(text: str):
    assert category(text) is None


def test_detection_records_the_pattern_and_every_category_that_matched():
    detection = shared_detector().detect("i want to die, i took all my pills")
    assert detection is not None
    assert detection.category == "overdose"  # 911 before 988
    assert set(detection.matched_categories) == {"overdose", "suicide"}
    assert detection.pattern.startswith("overdose: ")


def test_invalid_text_is_still_checked():
    # A lone surrogate arrives intact through JSON and once crashed the check.
    assert category("i want to kill myself \ud800") == "suicide"
    assert category("\ud800\udfff") is None


@pytest.mark.parametrize("text", ["sobredosis", "he overdosed", "quiero morir", "emergencia"])
def test_a_weak_word_alone_counts_in_full(text: str):
    detection = shared_detector().detect(text)
    assert detection is not None and not detection.weak
