"""make shell DEBUG=1: the staff shell with what the assistant understood.

Talks to the same model, action server and tracker store as `make shell`, and
prints under each message the intent or topic, its confidence, the safety
check's verdict (its risk score, the crisis pattern that fired, the language)
and which dose/drug pattern declined it, without Rasa's log noise.
"""

import argparse
import asyncio
import logging
import uuid

from rasa.core.agent import load_agent
from rasa.core.utils import AvailableEndpoints
from rasa.utils.log_utils import configure_structlog

from tools.in_process import ROOT

PROMPT = "Your input ->  "


def understood(parse: dict) -> str:
    intent = parse["intent"]
    name = intent.get("full_retrieval_intent_name") or intent["name"]
    declined = f" | dose/drug ask: {parse['declined']}" if parse.get("declined") else ""
    return f"  [intent {name} {intent['confidence']:.2f} | {safety(parse.get('safety'))}{declined}]"


def safety(verdict: dict | None) -> str:
    if not verdict:
        return "safety: not checked (a button)"
    text = f"safety: {verdict['verdict']}"
    if verdict["category"]:
        text += f" {verdict['category']}"
    text += f", risk {verdict['score']:.2f} ({verdict['model_category']})"
    if verdict["pattern"]:
        text += f", pattern {verdict['pattern']}"
    return text + f", language {verdict['language']} {verdict['language_confidence']:.2f}"


def shown(reply: dict) -> list[str]:
    lines = [reply["text"]] if reply.get("text") else []
    lines += [
        f"  {i}. {b['title']}  ({b['payload']})"
        for i, b in enumerate(reply.get("buttons") or [], 1)
    ]
    if reply.get("custom"):
        lines.append(f"  [payload {reply['custom']}]")
    return lines


async def session(model: str, endpoints_file: str) -> None:
    endpoints = AvailableEndpoints.read_endpoints(endpoints_file)
    agent = await load_agent(model_path=model, endpoints=endpoints)
    sender = f"staff-{uuid.uuid4().hex[:8]}"
    print("Staff shell with debug output. Type a message; /stop or Ctrl-D to leave.")
    while True:
        # input()'s own prompt goes to stderr where readline is used, and stderr
        # is the log file: print the prompt on stdout, where staff look.
        print(PROMPT, end="", flush=True)
        try:
            text = input().strip()
        except EOFError:
            break
        if text == "/stop":
            break
        if not text:
            continue
        print(understood(await agent.parse_message(text)))
        for reply in await agent.handle_text(text, sender_id=sender) or []:
            print("\n".join(shown(reply)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model")
    parser.add_argument("--endpoints", default=str(ROOT / "endpoints.yml"))
    args = parser.parse_args()
    configure_structlog(logging.WARNING)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("rasa").setLevel(logging.ERROR)
    asyncio.run(session(args.model, args.endpoints))


if __name__ == "__main__":
    main()
