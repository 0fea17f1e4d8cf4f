"""Removes what identifies a person from what they type, before it is stored or logged.

People in a hurry paste contact details and ids ("call me at 508 555 0199",
"my masshealth id is 100012345678"); the assistant never needs them, so each
kind is replaced by a tag: [phone], [email], [ssn], [date], [id], [address].

Every step runs in time linear in the text: phone numbers are found by Google's
libphonenumber (phonenumbers), and every regular expression here has bounded
repeats, so a 100 KB message without spaces costs milliseconds. (An unbounded
email pattern took 17 s on 40 KB and held up every channel.)
"""

import re

from phonenumbers import Leniency, PhoneNumberMatcher

# Emails, and emails written to dodge filters: "jo(at)example(dot)com",
# "jo at example dot com". The second pattern runs only on text that has such words.
EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,6}\.[a-z]{2,24}\b", re.IGNORECASE
)
_AT = r"(?:\s*[(\[{]\s*at\s*[)\]}]\s*|\s+at\s+)"
_DOT = r"(?:\s*[(\[{]\s*dot\s*[)\]}]\s*|\s+dot\s+)"
SPELLED_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]{{1,64}}{_AT}[\w-]{{1,63}}(?:{_DOT}[\w-]{{1,63}}){{0,6}}{_DOT}[a-z]{{2,24}}\b",
    re.IGNORECASE,
)
_SPELLED_DOT = re.compile(r"\bdot\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
# US social security numbers: 123-45-6789, 123 45 6789.
SSN = re.compile(r"(?<![\w-])\d{3}[- ]\d{2}[- ]\d{4}(?![\w-])")
# Dates with a year, the shape a date of birth takes: 3/4/1990, 1990-03-04,
# March 4, 1990, 4 March 1990.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?"
DATE = re.compile(
    r"(?<![\w/.-])(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}|(?:19|20)\d{2}-\d{1,2}-\d{1,2})(?![\w/.-])"
    rf"|\b{_MONTH}\s{{1,3}}\d{{1,2}}(?:st|nd|rd|th)?,?\s{{1,3}}(?:19|20)\d{{2}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s{{1,3}}(?:of\s{{1,3}})?{_MONTH}\s{{1,3}}(?:19|20)\d{{2}}\b",
    re.IGNORECASE,
)
# Member, policy and record ids: a named id followed by its value, or a token
# of letters and at least six digits (XYZ123456789, W1234567).
ID = re.compile(
    r"\b(?:member|policy|subscriber|group|medicaid|masshealth|medicare|insurance|record|mrn|id)"
    r"(?:\s{1,3}(?:id|number|no|num|#))?\s{0,3}[:#]?\s{0,3}(?=[\w-]{0,20}\d)[\w-]{4,24}"
    r"|\b(?=[a-z]{0,6}\d)(?:[a-z]{1,6}\d{6,18}|[a-z]{1,6}-?\d{6,18})\b",
    re.IGNORECASE,
)
# Street addresses: a house number, up to four words and a street type. Found
# from the street word back, so text full of numbers and words costs no more.
_STREET = re.compile(
    r"\b(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place"
    r"|pl|terrace|ter|circle|cir|highway|hwy|parkway|pkwy|square|sq)\b\.?"
    r"(?:,?\s{1,3}(?:apt|apartment|unit|suite|ste|#)\.?\s{0,3}[\w-]{1,8})?",
    re.IGNORECASE,
)
_HOUSE = re.compile(r"(?<![\w.-])\d{1,6}\s{1,3}(?:[a-z0-9.'-]{1,30}\s{1,3}){0,4}$", re.IGNORECASE)
_HOUSE_REACH = 160
# North American numbers in their common shapes, found first by one bounded
# pattern so that a message full of them stays fast; libphonenumber then finds
# the rest (other countries, odd groupings). Seven-digit local numbers
# ("555-0199") have no area code for libphonenumber; short service numbers
# (911, 988) are never touched.
_SEP = r"[\s.\-\u2010-\u2015/]{0,3}"
NANP_PHONE = re.compile(
    rf"(?<![\w+-])(?:\+?1{_SEP})?(?:\(\d{{3}}\)|\d{{3}}){_SEP}\d{{3}}{_SEP}\d{{2}}\s?\d{{2}}(?![\w-])"
)
LOCAL_PHONE = re.compile(r"(?<![\w-])\d{3}[\s.-]\d{4}(?![\w-])")


def _addresses(text: str) -> str:
    spans = []
    for street in _STREET.finditer(text):
        start = max(0, street.start() - _HOUSE_REACH)
        house = _HOUSE.search(text, start, street.start())
        if house:
            spans.append((house.start(), street.end()))
    for start, end in reversed(spans):
        text = text[:start] + "[address]" + text[end:]
    return text


# Where libphonenumber looks: runs of digits and separators holding at least
# seven digits (it is slow on text with many short numbers, such as "12 main").
# It reads the first runs of a message, which are all a real message has; past
# them (a flood of numbers), any such run is taken for a phone number: it costs
# a few digits too many redacted, never a number kept.
_DIGIT_RUN = re.compile(r"\+?[\d(][\d\s().\-\u2010-\u2015/]{5,40}\d")
_MIN_PHONE_DIGITS = 7
_RUNS_READ = 50


def _international(text: str) -> str:
    read = 0

    def replace(run: re.Match) -> str:
        nonlocal read
        found = run.group()
        if sum(ch.isdigit() for ch in found) < _MIN_PHONE_DIGITS:
            return found
        read += 1
        if read > _RUNS_READ:
            return "[phone]"
        matches = PhoneNumberMatcher(found, "US", leniency=Leniency.POSSIBLE)
        for match in reversed(list(matches)):
            found = found[: match.start] + "[phone]" + found[match.end :]
        return found

    return _DIGIT_RUN.sub(replace, text)


def _phones(text: str) -> str:
    text = _international(NANP_PHONE.sub("[phone]", text))
    return LOCAL_PHONE.sub("[phone]", text)


def redact(text: str) -> str:
    if "@" in text:
        text = EMAIL.sub("[email]", text)
    if _SPELLED_DOT.search(text):
        text = SPELLED_EMAIL.sub("[email]", text)
    if not _DIGIT.search(text):
        return text  # every other kind has digits
    text = SSN.sub("[ssn]", text)
    text = DATE.sub("[date]", text)
    text = _addresses(text)
    text = ID.sub("[id]", text)
    return _phones(text)
