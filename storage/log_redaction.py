"""Nothing identifying in any log: every log record and warning is redacted.

Rasa and Sanic log user text in places (a timed-out REST message, a payload
that did not parse), and a log file outlives the 30 days a conversation is
kept. `install()` makes every log record in the process, from any logger and at
any level, carry its message through storage.redaction before a handler sees
it, and does the same for Python warnings, which Rasa prints past logging.

Installed when the channels or the tracker store load (channels/safe_input.py,
storage/tracker_store.py), so it covers the Rasa server however it is started.
"""

import logging
import warnings
from typing import Any

from storage.redaction import redact

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    make_record = logging.getLogRecordFactory()

    def redacted_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        record.msg, record.args = redact(record.getMessage()), ()
        return record

    logging.setLogRecordFactory(redacted_record)
    format_warning = warnings.formatwarning

    def redacted_warning(message: Any, *args: Any, **kwargs: Any) -> str:
        return redact(format_warning(message, *args, **kwargs))

    warnings.formatwarning = redacted_warning
