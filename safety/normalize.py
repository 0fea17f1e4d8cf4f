"""Text clean-up before crisis matching.

People in crisis type fast on phones: no apostrophes, shorthand, repeated letters,
misspelled key words. Normalizing first keeps the patterns short and readable.
"""

import re
import unicodedata

# Whole-word rewrites: contractions spelled out (so "wont wake" and "won't wake"
# read the same), texting shorthand, and misspellings of the words the patterns
# depend on. Keys are matched as whole words on lower-cased text.
REWRITES: dict[str, str] = {
    # contractions, with and without the apostrophe
    "won't": "will not",
    "wont": "will not",
    "can't": "can not",
    "cant": "can not",
    "cannot": "can not",
    "isn't": "is not",
    "isnt": "is not",
    "ain't": "is not",
    "aint": "is not",
    "doesn't": "does not",
    "doesnt": "does not",
    "don't": "do not",
    "dont": "do not",
    "didn't": "did not",
    "didnt": "did not",
    "aren't": "are not",
    "arent": "are not",
    "wasn't": "was not",
    "wasnt": "was not",
    "couldn't": "could not",
    "couldnt": "could not",
    "wouldn't": "would not",
    "wouldnt": "would not",
    "haven't": "have not",
    "havent": "have not",
    "hasn't": "has not",
    "hasnt": "has not",
    "i'm": "i am",
    "im": "i am",
    "i've": "i have",
    "ive": "i have",
    "i'll": "i will",
    "he's": "he is",
    "hes": "he is",
    "she's": "she is",
    "shes": "she is",
    "it's": "it is",
    "they're": "they are",
    "theyre": "they are",
    "we're": "we are",
    "you're": "you are",
    "youre": "you are",
    "there's": "there is",
    "what's": "what is",
    "whats": "what is",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "tryna": "trying to",
    # shorthand
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "rn": "right now",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "bro": "brother",
    "sis": "sister",
    # overdose slang and its spellings
    "od": "overdose",
    "o.d.": "overdose",
    "o.d": "overdose",
    "od'd": "overdosed",
    "odd'd": "overdosed",
    "od'ed": "overdosed",
    "oded": "overdosed",
    "od'ing": "overdosing",
    "oding": "overdosing",
    "odding": "overdosing",
    "odin": "overdosing",
    "overdoes": "overdose",
    "overdos": "overdose",
    "overdoseing": "overdosing",
    "overdossing": "overdosing",
    "overdosin": "overdosing",
    "ovedose": "overdose",
    "ovrdose": "overdose",
    "overdoze": "overdose",
    "overdozing": "overdosing",
    "overdoesd": "overdosed",
    "overdosd": "overdosed",
    # breathing and waking
    "breating": "breathing",
    "breathin": "breathing",
    "breathng": "breathing",
    "brething": "breathing",
    "breahting": "breathing",
    "breething": "breathing",
    "breahing": "breathing",
    "breate": "breathe",
    "unconcious": "unconscious",
    "unconsious": "unconscious",
    "unconscous": "unconscious",
    "unconcsious": "unconscious",
    "unresponsve": "unresponsive",
    "unresposive": "unresponsive",
    "unresponive": "unresponsive",
    "wakeup": "wake up",
    # suicide and self-harm
    "sucide": "suicide",
    "suicde": "suicide",
    "suiside": "suicide",
    "suicid": "suicide",
    "sucidal": "suicidal",
    "suicidle": "suicidal",
    "suicidial": "suicidal",
    "suicdal": "suicidal",
    "suisidal": "suicidal",
    "kms": "kill myself",
    "slef": "self",
    # medical words
    "seziure": "seizure",
    "siezure": "seizure",
    "seizur": "seizure",
    "seazure": "seizure",
    "siezing": "seizing",
    "seizeing": "seizing",
    "pregant": "pregnant",
    "pregnent": "pregnant",
    "preggo": "pregnant",
    "bleding": "bleeding",
    "bleedin": "bleeding",
    # drugs
    "fent": "fentanyl",
    "fentanil": "fentanyl",
    "fetty": "fentanyl",
    "fentynal": "fentanyl",
    "fentanly": "fentanyl",
    "narcn": "narcan",
    "norcan": "narcan",
}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_WORD = re.compile(r"[\w'.]+|[^\w\s]", re.UNICODE)
_REPEATS = re.compile(r"(\w)\1{2,}")


def normalize(text: str) -> str:
    """Lower-case, unify apostrophes, squeeze letter runs, expand shorthand.

    "HELP!!! hes not breathinggg" -> "help ! ! ! he is not breathing".
    """
    # A lone surrogate ("\ud800" is valid JSON) made spaCy raise, and the message
    # went unchecked and unanswered: replace what is not valid text first.
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    # Invisible format characters (zero-width spaces, byte-order marks) are no
    # words: "\ufeffhe overdosed\u200b" is the two words "he overdosed".
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    # "pleeeease" -> "please"-ish: three or more of a letter become one. Real
    # words with double letters ("bleeding") keep both.
    text = _REPEATS.sub(r"\1", text)
    words = []
    for token in _WORD.findall(text):
        stripped = token.rstrip(".")
        trail = token[len(stripped) :]
        if token in REWRITES:
            words.append(REWRITES[token])
        elif stripped in REWRITES:
            words.append(REWRITES[stripped])
            if trail:
                words.append(".")
        else:
            words.append(stripped or token)
            if trail and stripped:
                words.append(".")
    return " ".join(words)
