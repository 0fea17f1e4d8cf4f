"""How many SMS segments a text takes, as carriers bill and split it.

A text in the GSM 03.38 alphabet fits 160 characters in one SMS, or 153 in
each segment of a longer one; a single character outside it (an emoji, a
curly quote) turns the whole text into UCS-2: 70, or 67 a segment.
"""

import math

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Sent as an escape plus a character: two of the 160.
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")

TARGET = 2


def is_gsm(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text)


def count(text: str) -> int:
    if not text:
        return 0
    if is_gsm(text):
        units = sum(2 if ch in GSM_EXTENDED else 1 for ch in text)
        single, part = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    return 1 if units <= single else math.ceil(units / part)
