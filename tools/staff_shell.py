"""make shell DEBUG=1: the staff shell with what the assistant understood, and why.

Talks to the same model, action server and tracker store as `make shell`, and
prints under each message, without Rasa's log noise:
- the intent or topic with its confidence, and the runner-up intents and topics;
- what decided the reading: the safety check (its verdict, risk score, crisis
  pattern and language), the dose/drug gate, the topic gate, a follow-up or a
  close call (nlu_components/topic_context.py), or the classifiers alone;
- under the replies, the actions and the response names that produced them.
The message is read with the conversation's tracker, exactly as Rasa reads it.
"""

import argparse
import asyncio
import logging
import uuid

from rasa.core.agent import Agent, load_agent
from rasa.core.channels.channel import UserMessage
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.log_utils import configure_structlog

from tools.in_process import ROOT

PROMPT = "Your input ->  "


RUNNERS_UP = 3


def understood(parse: dict) -> str:
    intent = parse["intent"]
    name = intent.get("full_retrieval_intent_name") or intent["name"]
    declined = f" | dose/drug ask: {parse['declined']}" if parse.get("declined") else ""
    lines = [
        f"  [intent {name} {intent['confidence']:.2f} | {safety(parse.get('safety'))}{declined}]"
    ]
    lines.append(f"  [decided by: {decided_by(parse)}]")
    intents = [
        f"{entry['name']} {entry['confidence']:.2f}"
        for entry in (parse.get("intent_ranking") or [])[1 : RUNNERS_UP + 1]
    ]
    topics = [
        f"{entry['intent_response_key'].removeprefix('faq/')} {entry['confidence']:.2f}"
        for entry in topic_ranking(parse)[:RUNNERS_UP]
    ]
    lines.append(
        f"  [runners-up: intents {', '.join(intents) or '-'} | topics {', '.join(topics) or '-'}]"
    )
    return "\n".join(lines)


def topic_ranking(parse: dict) -> list[dict]:
    return ((parse.get("response_selector") or {}).get("faq") or {}).get("ranking") or []


def decided_by(parse: dict) -> str:
    """Which part of the pipeline settled the reading, last word first."""
    verdict = (parse.get("safety") or {}).get("verdict")
    if verdict and verdict != "none":
        return f"safety check ({verdict})"
    if parse.get("declined"):
        return f"dose/drug gate, pattern {parse['declined']}"
    context = parse.get("topic_context") or {}
    if context.get("follow_up_of"):
        return f"follow-up of {context['follow_up_of']}"
    if context.get("close_call"):
        return "close call between " + " and ".join(context["close_call"])
    if parse.get("topic_gate"):
        return f"topic gate: {parse['topic_gate']}"
    if parse["intent"]["name"] == "nlu_fallback":
        return "fallback: no reading was sure enough"
    return "the classifiers"


def replied_with(tracker: DialogueStateTracker) -> str:
    """The actions and response names that answered the latest message."""
    names: list[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered) and (event.metadata or {}).get("utter_action"):
            names.append(event.metadata["utter_action"])
        elif isinstance(event, ActionExecuted) and event.action_name != "action_listen":
            policy = f" ({event.policy})" if event.policy else ""
            names.append(f"{event.action_name}{policy}")
    return ", ".join(reversed(names)) or "-"


def safety(verdict: dict | None) -> str:
    if not verdict:
        return "safety: not checked (a button)"
    text = f"safety: {verdict['verdict']}"
    if verdict["category"]:
        text += f" {verdict['category']}"
    text += f", risk {verdict['score']:.2f} ({verdict['model_category']})"
    if verdict["pattern"]:
        text += f", pattern {verdict['pattern']}"
    language = f"{verdict['language']} {verdict['language_confidence']:.2f}"
    if "language_switch" in verdict:  # safety/language.py: does it set the conversation's?
        spanglish = "Spanglish, " if verdict.get("language_spanglish") else ""
        change = "sets" if verdict["language_switch"] else "keeps"
        language += f" ({spanglish}{change} the conversation's)"
    return text + f", language {language}"


def shown(reply: dict) -> list[str]:
    lines = [reply["text"]] if reply.get("text") else []
    lines += [
        f"  {i}. {b['title']}  ({b['payload']})"
        for i, b in enumerate(reply.get("buttons") or [], 1)
    ]
    if reply.get("custom"):
        lines.append(f"  [payload {reply['custom']}]")
    return lines


async def read_in_context(agent: Agent, sender: str, text: str) -> dict:
    """The reading Rasa makes of `text` in this conversation (follow-ups need it)."""
    tracker = await agent.tracker_store.retrieve(sender)
    tracker = tracker or DialogueStateTracker(sender, agent.domain.slots)
    return await agent.processor.parse_message(UserMessage(text, sender_id=sender), tracker)


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
        print(understood(await read_in_context(agent, sender, text)))
        for reply in await agent.handle_text(text, sender_id=sender) or []:
            print("\n".join(shown(reply)))
        tracker = await agent.tracker_store.retrieve(sender)
        if tracker is not None:
            print(f"  [replied with: {replied_with(tracker)}]")


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
