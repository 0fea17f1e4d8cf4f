"""Asks for doses or for drugs, recognised by patterns rather than learned.

The assistant never says how much of anything to take, and never helps anyone
get drugs or beat a drug test: such asks get the decline reply, which names the
helpline. The trained classifier alone sent about a third of them to a curated
medication answer instead (they share every word with it: "how many mg of
bupe" vs "what is bupe"), so these patterns decide, as the crisis patterns do
for urgent messages.

Each pattern is a named set of regular expressions over safety.normalize's output
(lower case, shorthand expanded, "whats" -> "what is", "fent" -> "fentanyl").
They stay narrow on purpose: questions about what a medication is, how long
treatment lasts, what it costs, or where to get naloxone or treatment are
curated topics and must not match (tests/data/dose_asks_fresh.yml near_miss).
"""

import re

from safety.normalize import normalize

# Medicines and drugs people ask amounts of, street names included.
_DRUG = (
    r"(?:suboxone|subs?|subutex|zubsolv|sublocade|bupe|bup|buprenorphine|methadone|done"
    r"|naltrexone|vivitrol|heroin|dope|fentanyl|oxys?|oxycodone|oxycontin|oxycotin|percs?"
    r"|percocets?|30s|m30s?|blues|xanax|xannies|xans?|bars|benzos?|klonopin|klonnies|valium"
    r"|ativan|gabapentin|gabbies|neurontin|loperamide|imodium|kratom|tramadol|morphine"
    r"|dilaudid|hydrocodone|vicodin|norcos?|codeine|lean|narcan|naloxone|meds?|medicine"
    r"|medication|pills?|strips?|films?|tabs?|tablets?|bags?|bundles?|stamps?|clonidine"
    r"|take ?homes?|\d+s)"
)
# Units a dose is counted in.
_UNIT = (
    r"(?:mg|mgs|milligrams?|mcg|micrograms?|ml|mls|cc|grams?|g|points?|strips?|films?"
    r"|pills?|tabs?|tablets?|bags?|bundles?|halves|half|quarters?|sprays?)"
)
# Street drugs: asking where to get these is asking for a source.
_STREET = (
    r"(?:dope|heroin|fentanyl|h|percs?|percocets?|oxys?|oxycodone|oxycontin|pills|30s|m30s?"
    r"|blues|xanax|xans|xannies|bars|benzos|coke|crack|meth|molly|tranq|xylazine)"
)
_NUMBER = r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|half|a half|a couple|a few)"
_ASKER = r"(?:i|you|he|she|we|they|my \w+)"

# Each pattern is a tuple of alternatives; any one of them matching is enough.
PATTERNS: dict[str, tuple[str, ...]] = {
    # "how much suboxone should i take", "how many mg of bupe", "how many 30s do i need"
    "how_much_of_a_drug": (
        rf"\bhow (?:much|many) (?:of )?(?:my |his |her |their |the )?(?:{_DRUG}|{_UNIT})\b(?! (?:is|are) in\b)",
        rf"\bhow (?:much|many) (?:should|do|can|could|would|to) (?:{_ASKER} )?(?:take|use|do|give|need|start)\b",
    ),
    # "what is a normal dose of oxy", "the max dose", "a safe amount of fentanyl"
    "asks_a_dose": (
        # ("take-home doses" are the methadone program's, a curated topic)
        r"\b(?:what|which|right|correct|good|normal|starting|max|maximum|safe|usual|typical|average|best|lethal|enough|higher|lower|bigger|smaller|extra)\b(?: \w+){0,3} (?<!take home )(?<!take-home )(?:dose|doses|dosage|dosing|mg|mgs|milligrams|strength)\b",
        rf"\b(?:strongest|highest|lowest|weakest|max|maximum) (?:\w+ )?(?:{_DRUG}|dose|strength)\b",
        r"\bshould (?:i|he|she|they|you) be (?:at|on)\b(?! (?:mat|treatment|medication|meds|a waitlist|the list))",
    ),
    "asks_an_amount": (
        r"\b(?:what|which|right|correct|good|normal|starting|max|maximum|safe|usual|typical|best)\b(?: \w+){0,2} amount\b(?! of (?:time|money|days|weeks|months|years))",
    ),
    # "is 100mg too much", "8 or 16 mg", "can i take 2 strips at once"
    "names_an_amount": (
        r"\b\d+(?:\.\d+)? ?(?:mg|mgs|milligrams?|mcg|micrograms?|ml|mls|cc)\b",
        rf"\b{_NUMBER} (?:of )?(?:my |his |her |their )?(?:{_DRUG}|xans?|30s|blues)\b",
        r"\b\d+ or \d+\b(?! (?:days?|weeks?|months?|years?|hours?|times?|meetings?|sessions?))",
    ),
    "too_much": (
        rf"\b(?:too much|too many|too little|not enough|too high|too low)\b.*\b{_DRUG}\b",
        rf"\b{_DRUG}\b.*\b(?:too much|too many|too little|not enough|too high|too low)\b",
    ),
    "between_doses": (r"\bbetween (?:doses|shots|hits|lines|bags|strips|pills|bumps)\b",),
    # "can i double my suboxone", "how do i split my strips", "can i snort my subs"
    "changes_own_dose": (
        rf"\b(?:double|split|cut|halve|half|stretch|skip|snort|shoot|inject|sniff|crush|chew|redose|stack|up|ups|upped|bump|bumps|raise|increase|lower|drop|reduce)\b (?:up )?(?:on )?(?:out )?(?:my|his|her|their|the|a|your) (?:\w+ )?(?:{_DRUG}|dose|doses|dosage|script|prescription)\b",
        r"\b(?:i|he|she|we|they|you) (?:just |should |can |could )?take (?:less|more|fewer|extra)\b",
        r"\bstart (?:me|him|her|them) (?:high|higher|low|lower|on \d+)\b",
        rf"\bsome of (?:my|his|her|their|your) (?:\w+ )?{_DRUG}\b",
        rf"\b(?:buddy's|buddys|friend's|friends|sister's|sisters|brother's|brothers|mom's|moms|dad's|dads|cousin's|cousins|someone else's|someone elses) (?:\w+ )?(?:{_DRUG}|script|prescription)\b",
    ),
    "taper_amounts": (
        r"\b(?:taper|tapering|wean|weaning|cut down|cutting down|lower|drop|reduce)\b.*\b(?:how much|how many|by how|amounts?|schedule|mg|each week|per week|a week|every week)\b",
    ),
    # "can i mix xanax and suboxone", "can i drink on methadone", "percs with my bupe"
    "mixes_drugs": (
        rf"\b(?:mix|mixing|combine|combining)\b.*\b(?:{_DRUG}|{_STREET}|alcohol|weed|booze|beers?|drinks?)\b",
        rf"\b(?:can|could|should|is it ok to|is it okay to|is it safe to|ok to|okay to|safe to) (?:{_ASKER} )?(?:take|use|do|smoke|have|drink) (?:my |a |some |any )?(?:{_DRUG}|{_STREET}|alcohol|weed|beers?|drinks?|booze)\b.*\b(?:with|on|while on) (?:my |his |her |their |the )?{_DRUG}\b",
        rf"\bdrink\b.*\b(?:on|with|while on) (?:my |his |her |their |the )?{_DRUG}\b",
    ),
    # sourcing: "where can i buy subs", "who sells heroin", "find a plug"
    "buys_drugs": (
        rf"\b(?:buy|buying|score|scoring|cop|copping|purchase)\b(?: \w+){{0,3}} (?:{_DRUG}|{_STREET})\b",
        r"\bwhere (?:to|can i|do i|could i|do people|does \w+|can \w+) (?:score|cop)\b",
        r"\b(?:who|anyone|anybody|someone|somebody) (?:\w+ )?(?:sells?|selling)\b",
        rf"\bwho (?:\w+ ){{0,3}}(?:has|got|has got) (?:some |any )?{_DRUG}\b",
        r"\bplug\b",
        r"\b(?:find|know|get|need|where|number|contact)\b.*\bdealers?\b",
        r"\border\b.*\b(?:online|website|internet|web|app)\b",
        rf"\bhook (?:me|us|him|her) up\b.*\b{_DRUG}\b",
    ),
    "gets_street_drugs": (
        rf"\bwhere\b.*\b(?:get|find|grab|pick up)\b.*\b{_STREET}\b",
        rf"\b(?:how|who) (?:can|do|could|would|should) (?:i|we|you|people|someone) (?:get|find|grab) (?:some |any )?{_STREET}\b",
    ),
    "without_a_prescription": (
        r"\b(?:(?:get|getting)(?! (?:off|clean|sober|through|thru|help|better|well|over|free))|buy|obtain|find|order|access)\b.*\bwithout (?:a |an |any )?(?:script|prescription|rx|doctor|dr|clinic|going to (?:a |the )?clinic|seeing (?:a |the )?(?:doctor|doc|dr|clinic|anyone)|doc)\b",
        r"\b(?:off|on) the street\b",
        r"\bdark ?web\b",
        r"\bwhere is the trap\b",
        r"\btrap house\b",
    ),
    "extra_medication": (
        rf"\b(?:get|getting|give|need|want) (?:me |him |her )?(?:extra|more) (?:{_DRUG}|take ?homes?|doses?)\b",
    ),
    "street_price": (
        r"\bhow much (?:is|are|for|does|do|would) (?:a |one |an )?(?:bag|bundle|point|gram|g|brick|finger|stamp|pill|perc|oxy|30|m30|blue|bar|xan|strip|sub)\b",
    ),
    # drug tests: "how do i pass a drug test", "fake pee", "flush my system"
    "beats_a_drug_test": (
        r"\b(?:pass|beat|cheat|fool|trick|hide|mask|get past|get thru|get through)\b.*\b(?:test|screen|ua|tox)\b",
        r"\b(?:drug|urine|piss|pee|ua|tox|hair|swab) (?:tests?|screens?)\b.*\b(?:pass|beat|cheat|fool|trick)\b",
        r"\bpast (?:a |my |the |his |her )?(?:\w+ )?(?:test|screen|ua)\b",
        r"\bclean (?:in time )?for (?:a |my |the |his |her )?(?:\w+ )?(?:test|screen|ua)\b",
        r"\b(?:fake|synthetic|someone else's|someone elses|somebody else's|somebody elses|friends?|friend's) (?:pee|urine|piss)\b",
        r"\b(?:get|buy|use|borrow) (?:a |some )?clean (?:pee|urine|piss)\b",
        r"\bflush (?:my|his|her|your) system\b",
        r"\bclean (?:out )?(?:my |his |her |your )(?:pee|urine|piss|system)\b",
    ),
}

# Narcan is sold at pharmacies without a prescription: "where can i buy narcan"
# is a curated question, not a request for drugs.
_NALOXONE_SOURCE = re.compile(
    r"\b(?:buy|get|find|order|pick up)\b.*\b(?:narcan|naloxone|test strips?|fentanyl test)\b"
)
_SOURCING = {"buys_drugs", "gets_street_drugs", "without_a_prescription"}
_ASKS_AMOUNTS = {"buys_drugs", "how_much_of_a_drug", "street_price"}
# Costs and prices of treatment are curated (insurance_and_cost).
_COST = re.compile(r"\b(?:cost|costs|price|pay|insurance|covered|cover|afford|copay)\b")
# A dose or amount named in a question about what a medicine is or does ("is
# the 8mg film the same medicine as the pills", "why do people need bigger
# doses over time", "how long does one methadone dose last") is not an ask for
# one: such questions are curated (tests/data/topic_blind_*.yml near_miss_dose).
_EXPLAINS = re.compile(
    r"^(?:why\b|how long (?:does|do|will|would|can)\b.*\blast\b)"
    r"|\b(?:same (?:medicine|medication|drug|thing|as)|difference between|different from"
    r"|used for|actually in|made of|what is in)\b"
)
_NAMES_A_DOSE = {"names_an_amount", "asks_a_dose"}

# Shorthand these asks are typed in, read before matching.
_SHORTHAND = [
    (re.compile(pattern), word)
    for pattern, word in [
        (r"\bamt\b", "amount"),
        (r"\bdoc\b", "doctor"),
        (r"\bmgs\b", "mg"),
        (r"\bw / o\b", "without"),
        (r"\bw /", "with"),
        (r"\bw\b", "with"),
    ]
]

_COMPILED = {name: re.compile("|".join(alternatives)) for name, alternatives in PATTERNS.items()}


def dose_or_drug_request(text: str) -> str | None:
    """The name of the first pattern that reads `text` as an ask for doses or drugs."""
    normalized = normalize(text)
    for short, word in _SHORTHAND:
        normalized = short.sub(word, normalized)
    for name, pattern in _COMPILED.items():
        if not pattern.search(normalized):
            continue
        if name in _SOURCING and _NALOXONE_SOURCE.search(normalized):
            continue
        if name in _ASKS_AMOUNTS and _COST.search(normalized):
            continue
        if name in _NAMES_A_DOSE and _EXPLAINS.search(normalized):
            continue
        return name
    return None
