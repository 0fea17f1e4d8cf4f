"""Removes phone numbers and email addresses from what people type.

People in a hurry paste contact details ("call me at 508 555 0199"); the
assistant never needs them, so they are replaced before anything is stored.
"""

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# North American numbers with or without country code, brackets, dots, dashes or
# spaces, and bare local numbers; short service numbers (911, 988) stay.
PHONE = re.compile(
    r"(?<![\w])(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}(?![\w])"
    r"|(?<![\w-])\d{3}[\s.-]\d{4}(?![\w-])"
    r"|\+\d[\d\s.-]{7,}\d"
)


def redact(text: str) -> str:
    return PHONE.sub("[phone]", EMAIL.sub("[email]", text))
