"""The crisis patterns, as data a reviewer can read.

A pattern is a string of token slots, matched on spaCy lemmas of the normalized
text (see safety/normalize.py):
  - `a|b|c`  one of these words (write surface forms; they are lemmatized the
             same way as the message, so "breathing" also matches "breathe");
  - `x?`     an optional slot;
  - `=x|=y`  exactly these word forms, not lemmas ("=took" matches "took",
             not "take"), where the tense is what matters;
  - `*`      up to six words of anything;
  - `#END`   the end of the message or a clause;
  - `a & b`  both parts anywhere in the message, in any order;
  - `@NAME`  a word group from GROUPS below;
  - `#NUM`   a number ("6", "six").

Flags say which non-crisis readings may lower a match (safety/pattern_detector.py):
  - `negated`: "I'm not suicidal" (a negation just before, in the same clause);
  - `past`:    "my friend overdosed last year" (a past-time marker and no sign
               that it is happening now);
  - `generic`: "what do you do if someone isn't breathing?" (a question or an
               "if" about nobody in particular, or "I'm just asking");
  - `short`:   fires only when the whole message is a few words ("help!").
Patterns without flags fire whatever surrounds them.

One more flag says how much a match counts (safety/assessment.py):
  - `weak`:    words people also use calmly ("sobredosis", "suicidal"): they
               count only where the risk model sees some risk too, and then
               turn its check-in into a handoff. In a message of a few words,
               with no calm context around it, a weak pattern counts in full.
               Patterns that fired about as often or more on the ordinary
               messages of data/safety/ as on its urgent ones are weak.
"""

from typing import NamedTuple


class Pattern(NamedTuple):
    text: str
    flags: frozenset[str] = frozenset()


def _p(text: str, *flags: str) -> Pattern:
    return Pattern(text, frozenset(flags))


GROUPS: dict[str, str] = {
    "SOMEONE": (
        "he|she|they|him|her|them|friend|boyfriend|girlfriend|husband|wife|partner|"
        "son|daughter|kid|child|baby|toddler|brother|sister|mom|mother|dad|father|"
        "roommate|cousin|buddy|someone|somebody|guy|girl|man|woman|uncle|aunt|"
        "grandson|granddaughter|fiance|spouse|nephew|niece|neighbor|coworker|"
        "teen|teenager|homie|bestie|patient|client"
    ),
    "ANYONE": "i|me|we|@SOMEONE",
    "BE": "am|is|are|was|were|be|been|being|keep|keeps|kept",
    "NOT": "not|never|no|barely|hardly|stop|stopped|stops",
    "DRUG": (
        "dope|heroin|fentanyl|pill|pills|oxy|oxys|percs|percocet|xanax|bars|benzos|"
        "meds|medication|medicine|drug|drugs|coke|meth|tablets|opioids|painkillers|"
        "methadone|suboxone|subs"
    ),
}

PATTERNS: dict[str, list[Pattern]] = {
    "overdose": [
        _p("=overdosing|=overdosin", "past", "generic", "negated"),
        _p("@ANYONE just? =overdosed|=overdosing|=overdose", "past", "generic", "negated", "weak"),
        _p("@ANYONE @BE? =having|=had|=has a|an overdose", "past", "generic", "negated"),
        _p("think * =overdose|=overdosed|=overdosing", "past", "generic", "negated"),
        _p("overdose", "short"),
        _p("overdose|=overdosing & =help", "generic", "negated", "past"),
        _p("@NOT =breathing|=breathin", "past", "generic"),
        _p(
            "breathing * slow|shallow|weird|funny|strange|raspy|barely|twice|once",
            "past",
            "generic",
        ),
        _p("will|can|could|wo not even? wake|waking|waken", "past", "generic"),
        _p("not =waking|=responding|=responsive|=moving|=reacting|=answering", "past", "generic"),
        _p("will not respond|move|answer", "past", "generic"),
        _p("can|could not stay|keep awake|conscious", "past", "generic"),
        _p("can|could not keep his|her|their|my eyes open", "past", "generic"),
        _p("unresponsive|unconscious", "past", "generic"),
        _p("=passed|=passing out", "past", "generic"),
        _p("collapsed|slumped", "past", "generic"),
        _p("blue|gray|grey|purple lip|lips|face|fingernails|nails|skin", "past", "generic"),
        _p("lip|lips|face|skin @BE? turning? blue|gray|grey|purple", "past", "generic"),
        _p("@ANYONE * @BE blue|gray|grey|purple", "past", "generic"),
        _p("turning|turned|going blue|gray|grey|purple", "past", "generic", "weak"),
        _p("nodding|nod out|off", "past", "generic"),
        _p("gurgling|gurgle|choking|snoring * not|can", "past", "generic"),
        _p("gurgling|gurgle noise|noises|sound|sounds", "past", "generic"),
        _p(
            "=took|=taken|=swallowed|=ate|=used|=did|=shot|=snorted|=smoked|=done|=had too much|many",
            "past",
            "generic",
            "negated",
        ),
        _p(
            "=took|=taken|=swallowed|=ate|=popped|=downed #NUM @DRUG|bottle|bottles|box",
            "past",
            "generic",
        ),
        _p(
            "=took|=taken|=swallowed|=ate|=popped|=downed * =whole|=entire|=bunch|=handful|=all * @DRUG|bottle|box|pack",
            "past",
            "generic",
        ),
        _p(
            "=ate|=eaten|=swallowed|=chewed|=drank|=drunk * @DRUG|strip|strips|bottle|poison|bleach|stash|something",
            "past",
            "generic",
        ),
        _p("got|gets into * @DRUG|bottle|stash|strip|strips|bleach|poison", "past", "generic"),
        _p("poisoned|poisoning|poison", "past", "generic", "negated"),
        _p(
            "gave|give|giving|used|sprayed|need|needs him|her|them|@SOMEONE narcan|naloxone",
            "past",
            "generic",
        ),
        _p("just gave|used|sprayed narcan|naloxone", "past", "generic"),
        _p("narcan|naloxone @BE? not working|work|helping", "past", "generic"),
        _p("pinpoint|tiny pupils", "past", "generic"),
        _p("@SOMEONE @BE? =dying|=dead", "past", "generic", "negated"),
        _p("needle * in his|her|their|my arm", "past", "generic"),
        _p(
            "fentanyl|dope|heroin * not|barely|wo breathing|breathe|wake|waking|respond|responding",
            "past",
            "generic",
        ),
        # Spanish
        _p("sobredosis", "past", "weak"),
        _p("no respira|despierta|reacciona|responde", "past"),
        _p("no está respirando|despertando", "past"),
        _p("no se despierta|mueve", "past"),
        _p("inconsciente", "past"),
        _p("labios azules|morados", "past"),
        _p("tomó|tome|tomé|tomo demasiadas|demasiado|muchas pastillas?", "past"),
        _p("tragó|trago|tragado * pastillas|pastilla|medicina|pastillas", "past"),
        _p("se desmayó", "past"),
    ],
    "suicide": [
        _p(
            "kill|killing|end|ending|hang|hanging|shoot|shooting myself|himself|herself|themselves",
            "negated",
            "generic",
            "past",
        ),
        _p(
            "kill|killing|end|ending|take|taking my|his|her own? life", "negated", "generic", "past"
        ),
        _p("suicide|suicidal", "negated", "generic", "past", "weak"),
        _p("want|wanna|going|ready|plan|planning to die", "negated", "generic", "weak"),
        _p("wish * dead|die|died|gone", "negated", "generic"),
        _p("wish * never born", "negated", "generic"),
        _p("better off dead|gone", "negated", "generic"),
        _p("better off without me", "negated", "generic"),
        _p("want|going|ready|plan|planning to end it|everything|this|things", "negated", "generic"),
        _p("end it|things all? tonight|now|today", "negated", "generic"),
        _p("end it all", "negated", "generic"),
        _p("unalive|unaliving", "negated", "past"),
        _p(
            "hurt|hurting|harm|harming|cut|cutting|burn|burning myself",
            "negated",
            "generic",
            "past",
        ),
        _p("cutting again|tonight|now", "negated", "generic", "past"),
        _p("been|keep|started|start =cutting", "negated", "generic", "past"),
        _p("self harm|harming|injury|injure", "negated", "generic", "past"),
        _p("not|longer want to live|exist|wake", "generic"),
        _p("not|longer want to be alive|here", "generic"),
        _p("not going to be here|around", "generic"),
        _p("will not be here|around tomorrow|anymore|much", "generic"),
        _p("never wake|waking up", "negated", "generic"),
        _p("no reason|point to live|go", "generic"),
        _p("no reason|point in? living", "generic"),
        _p("not worth living", "generic"),
        _p("life @BE not worth", "generic"),
        _p("done with life|living", "negated", "generic"),
        _p("stop living|existing", "negated", "generic"),
        _p("no way out", "negated", "generic"),
        _p("see a way out", "generic"),
        _p("way out except|but|other dying|death|suicide", "generic"),
        _p("overdose|overdosing|od on purpose", "generic"),
        _p("want|wanna|going|plan|planning|ready to overdose", "negated", "generic"),
        _p(
            "plan|planning|going|want to take all|every|whole|a|the * @DRUG|bottle",
            "negated",
            "generic",
        ),
        _p("take|need to die|kill"),
        _p("@DRUG * to die|kill"),
        _p("jump|jumping off|from a|the? bridge|building|roof", "negated", "generic"),
        _p("going|want|about|threatening|ready to jump", "negated", "generic"),
        _p("tired of living", "negated"),
        _p("tired of being alive", "negated"),
        _p("rope|noose ready|tied", "negated"),
        _p("have|got|bought a rope|noose", "negated"),
        _p("noose", "negated", "generic"),
        _p("suicide|goodbye note|letter", "negated", "past"),
        _p("wrote|written|writing|left my|a note|letter * goodbye", "negated", "past"),
        _p("=wrote|=written|=writing my note", "negated", "past"),
        _p("saying|said goodbye to everyone|everybody|all|you", "negated", "past"),
        _p("it|gun|knife|pills on myself", "negated", "generic"),
        # Spanish
        _p("quiero|quisiera morir|morirme|matarme|suicidarme", "weak"),
        _p("me quiero matar|morir|suicidar"),
        _p("suicidio|suicidarme|suicida|matarse|suicidarse", "weak"),
        _p("va a matar|suicidar", "weak"),
        _p("quitarme la vida", "weak"),
        _p("no quiero vivir|seguir"),
        _p("acabar con todo|mi"),
        _p("no aguanto más|mas"),
        _p("hacerme daño", "weak"),
        _p("cortarme|cortando|cortándome"),
    ],
    "medical": [
        _p("@ANYONE @BE? having|had|have a? seizure|seizures|fit", "past", "generic", "negated"),
        _p("seizing|convulsing|convulsion|convulsions", "past", "generic", "negated"),
        _p("seizure", "short"),
        _p("foaming|foam at the? mouth", "past", "generic"),
        _p("chest pain|pains|pressure|tightness", "past", "generic", "negated"),
        _p("chest @BE? hurt|hurting|hurts|tight|pounding", "past", "generic", "negated"),
        _p("pain in my|his|her chest", "past", "generic"),
        _p("can|could not even? keep * down", "past", "generic"),
        _p("can|could not stop vomiting|throwing|puking", "past", "generic"),
        _p("throwing|throw|threw|vomiting|vomit|puking|coughing up? blood", "past", "generic"),
        _p("vomiting|throwing|puking nonstop|constantly", "past", "generic"),
        _p(
            "@SOMEONE|i @BE? so|very|really? confused|disoriented|delirious|hallucinating",
            "past",
            "generic",
            "negated",
        ),
        _p("not making sense", "past", "generic"),
        _p("talking nonsense|gibberish", "past", "generic"),
        _p("seeing|hearing bugs|things|spiders|voices|people", "past", "generic"),
        _p("not know|knowing where he|she|they|i @BE", "past", "generic"),
        _p(
            "pregnant & bleeding|bleed|bleeds|blood|cramping|contractions|contraction",
            "past",
            "generic",
        ),
        _p("red streak|streaks", "past", "generic"),
        _p(
            "fever|chills & swollen|abscess|pus|infected|infection|streak|injection|shoot|arm|leg|red",
            "past",
            "generic",
        ),
        _p("high fever", "past", "generic"),
        _p("can|could not breathe|breath|stand|walk", "past", "generic"),
        _p("hard|trouble|struggling|difficult to? breathe|breathing", "past", "generic"),
        _p("heart @BE? racing|pounding|beating so fast", "past", "generic"),
        _p("going|about to pass|faint", "past", "generic"),
        _p("fainting|fainted", "past", "generic"),
        _p("medical emergency", "negated", "generic"),
        _p("emergency", "short"),
        _p("call an? ambulance|911", "generic", "past", "weak"),
        _p("call nine - one - one", "generic", "past", "weak"),
        _p("dying|911|ambulance", "short"),
        # Spanish
        _p("emergencia|ambulancia", "weak"),
        _p("convulsiones|convulsión|convulsionando|convulsion", "weak"),
        _p("dolor de|en el? pecho"),
        _p("embarazada & sangrando|sangrado|sangre"),
        _p("no puede|puedo respirar"),
        _p("vomito|vómito|vomitando todo"),
        _p("no puedo|puede tomar agua"),
        _p("confundido|confundida"),
        _p("fiebre alta"),
        _p("fiebre & hinchado|hinchada|brazo"),
    ],
    "danger": [
        _p(
            "@SOMEONE @BE? hitting|beating|choking|strangling|attacking|stabbing|threatening|hurting|abusing me|us",
            "generic",
            "negated",
            "past",
        ),
        _p(
            "attacking|beating|hitting|choking|strangling|stabbing|punching|abusing me|us|my|her|him|them",
            "generic",
            "negated",
            "past",
        ),
        _p(
            "=hit|=beat|=choked|=attacked|=stabbed|=shot|=punched|=kicked|=raped|=assaulted me|us",
            "generic",
            "negated",
            "past",
        ),
        _p("got jumped|stabbed|shot|beat|attacked|assaulted", "negated", "past"),
        _p(
            "going|coming|want|wants|trying|threatened|threatening|threatens|try|tried to kill|hurt|beat|shoot|stab me|us",
            "generic",
            "negated",
            "past",
            "weak",
        ),
        _p("will kill|hurt|beat|shoot|stab me|us", "generic", "negated", "past"),
        _p(
            "has|have|got|holding|with|pulled|pulling a|an gun|knife|weapon|pistol",
            "generic",
            "negated",
            "past",
        ),
        _p("throwing * at me", "generic", "negated", "past"),
        _p("not|never safe at|in? home|here|house", "generic"),
        _p("i @BE not safe|unsafe", "generic"),
        _p("do not feel safe", "generic"),
        _p("afraid|scared|fear for my life|safety", "generic"),
        _p("afraid|scared he|she|they @BE? going to|will|gonna", "generic"),
        _p("domestic violence|abuse", "generic", "negated", "past", "weak"),
        _p("getting|being|gets violent", "generic", "negated", "past"),
        _p("breaking|broke|kicking in|down the? door", "generic"),
        _p("breaking|broke|broken into my|the house|home|apartment|room|car", "generic", "past"),
        _p("following|stalking|chasing me", "generic", "negated"),
        _p("will not let me leave|go", "generic", "past"),
        _p("against my will", "generic", "past"),
        _p("locked me in|up", "generic", "past"),
        _p("dealer * threaten|threatening|threatened|after me|hurt|kill", "generic", "negated"),
    ],
    "about_to_use": [
        _p("about to go? use|relapse|shoot|score|cop|buy|inject|snort|smoke", "negated", "generic"),
        _p("about to go? get some|high", "negated", "generic"),
        _p("going|want|ready|need to get high", "negated", "generic"),
        _p("about|going to call|text|meet|see my dealer|plug", "negated", "generic"),
        _p(
            "called|calling|texted|texting|meeting|meet|see my dealer|plug",
            "negated",
            "generic",
            "past",
        ),
        _p(
            "going|want|ready|need|about to use|relapse|shoot|score|cop|inject * now|tonight|today|again",
            "negated",
            "generic",
        ),
        _p("going|about|want to use|shoot|do dope|heroin|fentanyl|drugs|it", "negated", "generic"),
        _p("going|about|want|need to use|relapse|shoot #END", "negated", "generic"),
        _p("go|going cop|score|copping|scoring", "negated", "generic"),
        _p("go|going buy|score|cop heroin|dope|fentanyl|drugs", "negated", "generic"),
        _p("i @BE going to relapse", "negated", "generic"),
        _p("dealer|plug @BE? on the|his|her|my way", "negated", "generic"),
        _p("dealer|plug @BE? coming|here|outside|downstairs|over", "negated", "generic"),
        _p("dealer|plug & away|minutes|min|mins|coming", "negated", "generic"),
        _p("have|got|holding|bought * in my hand|hands", "negated", "generic"),
        _p("needle|rig|shot @BE? ready|loaded|right|here", "negated", "generic"),
        _p("@DRUG|bag|needle|rig|stuff|it * in front of me", "negated", "generic"),
        _p("cooking|cook it|dope|shot? up", "negated", "generic"),
        _p("tying|tie off", "negated", "generic"),
        _p("trap house", "negated", "generic"),
        _p("fuck|screw it * using|use|shoot|cop|score", "negated"),
        _p("can|could not do this|it anymore|any", "generic"),
        _p("can|could not take|go it|this|on? anymore|any", "generic"),
        _p("can|could not hold on", "generic"),
        _p("can|could not stop myself", "generic"),
        _p("i @BE in crisis", "negated"),
        _p("having a crisis|breakdown|meltdown", "negated", "generic"),
        _p("relapsing right now", "negated"),
        _p("craving|cravings @BE? so|too bad|strong|much|intense", "negated", "generic"),
        _p("craving|cravings @BE? unbearable|winning", "negated", "generic"),
    ],
    # A plea for help that names no danger: the reply leads with 911, then 988
    # and the helpline, and assumes nothing (not a craving).
    "person_now": [
        _p("need help right? now|immediately|asap", "negated", "generic"),
        _p("help me|please|pls|now|asap", "short"),
        _p("help|sos|urgent", "short"),
        _p("ayuda|ayudame|ayúdame|auxilio", "short"),
    ],
}

# Spans that read as idioms, not danger: a match overlapping one is dropped.
IDIOMS: list[str] = [
    "dying|die to know|see|try|hear|find|learn|ask|meet|get|start",
    "dying|die for",
    "to die for",
    "die|dying|died of|from laughter|laughing|embarrassment|boredom|cringe",
    "dead tired|serious|end|wrong|last|set",
    "kill|kills|killing|killed the? craving|cravings|pain|time|mood|vibe|it|buzz|urge|urges",
    "kill me if * miss|late|find|finds|forget|sees|fail|know|knew|mess|break|lose|quit",
    "@BE suicide",
    "overdose|overdosed|overdosing on coffee|caffeine|sugar|chocolate|candy|netflix|tv|love",
    "killing it",
    "confused|confusing about|by|with|on|why|how|what|if|whether|which|between",
    "cut down|back|off|out",
    "take my life back",
]

# Words that, anywhere in the message, place it in the past ...
PAST_MARKERS: list[str] = [
    "last year|month|week|summer|winter|spring|fall|christmas|time",
    "ago",
    "=passed away",
    "=died",
    "funeral",
    "anniversary",
    "=used to",
    "back when|then",
    "when i was",
    "=survived",
    "a while back",
    "in the past",
    "the first time",
    "=lost * to",
    "history of",
    "#YEAR",
    "año pasado",
    "hace años|meses",
    "murió",
]

# ... unless it also says the danger is now.
PRESENT_MARKERS: list[str] = [
    "right now",
    "currently",
    "tonight",
    "just",
    "=happening",
    "=help me|us|him|her|please|now|asap",
    "please help",
    "hurry",
    "ahora",
]

# Phrases that say outright that nothing is happening now.
NOT_NOW_MARKERS: list[str] = [
    "not happening",
    "not an emergency",
    "just asking|curious|wondering",
    "hypothetically",
    "for a|my class|paper|school|project",
]

NEGATORS = frozenset({"not", "never", "no", "nobody", "nothing", "nor"})
# A negation reaches no further than its clause.
CLAUSE_BREAKS = frozenset({"but", ",", ".", ";", "!", "?", "though", "although", "and", "so"})
QUESTION_WORDS = frozenset(
    {
        "what",
        "how",
        "can",
        "could",
        "is",
        "are",
        "does",
        "do",
        "should",
        "why",
        "when",
        "where",
        "which",
        "will",
        "would",
        "who",
        "whats",
        "anyone",
        "any",
    }
)
# Words that make a message about a real, particular person rather than "someone".
PARTICULAR_PEOPLE = frozenset(
    {
        "i",
        "me",
        "my",
        "we",
        "us",
        "our",
        "he",
        "she",
        "him",
        "her",
        "his",
        "they",
        "them",
        "their",
        "mine",
        "myself",
    }
)
GENERIC_PEOPLE = frozenset(
    {"someone", "somebody", "a", "anyone", "anybody", "people", "you", "person", "one", "your"}
)
HYPOTHETICALS = frozenset({"if", "when", "whenever", "case"})
SHORT_MESSAGE_WORDS = 3
