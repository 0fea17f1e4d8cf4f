"""make callbacks: the open call-back requests, for the staff who make the calls.

    make callbacks            the open requests, oldest first, with their numbers
    make callbacks DONE=12    marks request 12 done once the call is made

Reading the numbers needs CALLBACK_KEY, the key the assistant encrypts them
with (marking one done does not). The queue is in BOT_DB_URL, else the
tracker store's SQLite file (storage/callbacks.py). A request marked done is
deleted 14 days later, any request 30 days after it was made (make purge).
"""

import argparse
import sys

from actions.callback_delivery import CHANNEL_NAMES, when_to_call
from storage.callbacks import KEY_ENV, CallbackQueue, CallbackRequest
from storage.startup_checks import StoreUnreachable


def line(request: CallbackRequest) -> str:
    yes_no = {True: "yes", False: "no"}
    requested = request.requested_at.astimezone()
    return "\n".join(
        [
            f"#{request.id}  requested {requested:%a %b} {requested.day}, {requested:%H:%M}"
            f"  {CHANNEL_NAMES.get(request.channel, request.channel)}"
            f"{'' if request.delivered_at else '  (not emailed yet)'}",
            f"    {request.name or '(no name given)'}  {request.phone_display}",
            f"    call {when_to_call(request)};"
            f" voicemail: {yes_no[request.voicemail]}; text: {yes_no[request.text_ok]}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--done", type=int, metavar="ID", help="mark this request done")
    args = parser.parse_args(argv)
    queue = CallbackQueue.from_environment()
    try:
        if args.done is not None:
            if not queue.mark_done(args.done):
                print(f"There is no open call-back request #{args.done}.", file=sys.stderr)
                return 1
            print(f"Call-back request #{args.done} is done; it will be deleted in 14 days.")
            return 0
        if not queue.available:
            print(
                f"ERROR: {KEY_ENV} is not set (or is not a valid key): it is needed to read "
                "the numbers. Use the same key as the assistant's servers.",
                file=sys.stderr,
            )
            return 1
        requests = queue.open_requests()
    except StoreUnreachable as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    except PermissionError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    finally:
        queue.close()
    if not requests:
        print("No open call-back requests.")
        return 0
    print(f"{len(requests)} open call-back request(s), oldest first:\n")
    for request in requests:
        print(line(request) + "\n")
    print("When a call is done: make callbacks DONE=<id>")
    return 0


if __name__ == "__main__":
    sys.exit(main())
