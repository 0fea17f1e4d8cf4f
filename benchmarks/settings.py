"""How much the bench measures: the full run (make bench) and the smoke (make test)."""

from dataclasses import dataclass, field

# Concurrent REST conversations measured, as the issue asks.
LEVELS = (1, 10, 50)


@dataclass(frozen=True)
class Settings:
    mode: str
    # Cold and cached `rasa train` of ours and stock; the smoke reuses the trained model.
    train: bool
    # Server starts per system, and repeats of the in-process timings; medians are reported.
    rounds: int
    # Held-out messages parsed per in-process repeat (0: all of them).
    parse_messages: int
    # In-process conversations per repeat, and messages in each.
    conversations: int
    conversation_length: int
    # REST: messages each conversation sends, per number of concurrent conversations.
    rest_length: dict[int, int] = field(default_factory=dict)
    # Upper bound on each REST load, whatever its message count.
    rest_budget_seconds: float = 300
    # Messages sent to a fresh server before timing (the first is reported on its own).
    warmup_messages: int = 3
    # Messages in the in-process profile of message handling.
    profile_messages: int = 20
    # Profile server start (a fresh process) when the ready or memory goal is missed.
    profile_start: bool = True
    # Start the servers while the in-process models load (the figures then interfere).
    overlap: bool = False


FULL = Settings(
    mode="full",
    train=True,
    rounds=3,
    parse_messages=0,
    conversations=20,
    conversation_length=5,
    rest_length={1: 40, 10: 8, 50: 4},
)

SMOKE = Settings(
    mode="smoke",
    train=False,
    rounds=1,
    parse_messages=5,
    conversations=1,
    conversation_length=3,
    rest_length={1: 2, 10: 1, 50: 1},
    rest_budget_seconds=120,
    warmup_messages=1,
    profile_messages=2,
    profile_start=False,
    overlap=True,
)
