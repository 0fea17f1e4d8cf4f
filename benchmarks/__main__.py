"""make bench: speed, size and accuracy of this assistant beside stock Rasa and TF-IDF.

    python -m benchmarks            # the full run (about 11 minutes on 2 cores)
    python -m benchmarks --smoke    # make test: tiny counts, no training

Everything is measured in one run on the same messages, and systems take turns
(ours, stock, stock, ours, ...) so that a burst of load on the machine does
not favour one of them. Writes reports/bench/report.md, PNG plots and
results.json.
"""

import argparse
import json
import os
import platform
import random
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, replace
from datetime import datetime, timezone
from pathlib import Path

import rasa

from benchmarks import profiles, report
from benchmarks.accuracy import accuracy_of, compare
from benchmarks.baselines import StockAssistant, TfidfNearestNeighbour, training_examples
from benchmarks.goals import evaluate_goals
from benchmarks.latency import (
    median_summary,
    post_once,
    rest_conversations,
    summary,
    time_calls,
    time_conversations,
)
from benchmarks.servers import start_action_server, start_rasa_server
from benchmarks.settings import FULL, LEVELS, SMOKE, Settings
from benchmarks.training import model_script_seconds, stock_config, train, with_epochs
from tools.eval_nlu import HOLDOUT, examples
from tools.in_process import ROOT, Assistant, model_path

REPORT_DIR = ROOT / "reports" / "bench"
STARTED = time.monotonic()


def progress(message: str) -> None:
    print(f"bench [{time.monotonic() - STARTED:4.0f} s]: {message}", flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny counts, no training")
    parser.add_argument("--out", type=Path, default=REPORT_DIR, help="report folder")
    parser.add_argument("--rounds", type=int, help="server starts and repeats per system")
    parser.add_argument("--no-train", action="store_true", help="skip the four trainings")
    parser.add_argument(
        "--stock-model",
        type=Path,
        help="stock Rasa's model from an earlier run (stock-model.tar.gz): not trained again",
    )
    parser.add_argument("--epochs", type=int, help="knob: set every epochs in both configs")
    parser.add_argument(
        "--config",
        type=Path,
        default=ROOT / "config.yml",
        help="knob: train ours with this config and measure that model",
    )
    parser.add_argument(
        "--tf-threads", type=int, help="knob: TF_INTRA/INTER_OP_PARALLELISM_THREADS"
    )
    return parser.parse_args(argv)


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gib": round(memory_kb / 2**20, 1),
        "python": platform.python_version(),
        "rasa": rasa.__version__,
    }


def measure_training(workdir: Path, args: argparse.Namespace) -> dict:
    """Cold then cached training of ours and stock (unless given), taking turns."""
    configs = {"ours": args.config}
    if not args.stock_model:
        configs["stock"] = stock_config(workdir / "stock-config")
    if args.epochs:
        configs = {
            name: with_epochs(config, args.epochs, workdir / f"{name}-epochs")
            for name, config in configs.items()
        }
    runs: dict[str, dict] = {name: {} for name in configs}
    for mode, force in (("cold", True), ("cached", False)):
        for name in list(configs) if mode == "cold" else list(configs)[::-1]:
            progress(f"training {name} ({mode})")
            runs[name][mode] = train(configs[name], workdir / f"train-{name}", mode, force=force)
    return runs


def held_out_messages(count: int) -> list[str]:
    """Held-out questions in a fixed shuffled order: the same for every system."""
    texts = [text for text, _ in examples(HOLDOUT)]
    random.Random(7).shuffle(texts)
    return texts[:count] if count else texts


def measure_in_process(
    systems: dict, tfidf: TfidfNearestNeighbour, settings: Settings, messages: list[str]
) -> dict:
    """parse() and say() timings of each system, repeated with alternating order."""
    parse_runs: dict[str, list] = {name: [] for name in [*systems, "tfidf"]}
    say_runs: dict[str, list] = {name: [] for name in systems}
    order = list(systems)
    for round_ in range(settings.rounds):
        for name in order if round_ % 2 == 0 else order[::-1]:
            system = systems[name]
            parse_runs[name].append(summary(time_calls(system.parse, messages)))
            say_runs[name].append(
                summary(
                    time_conversations(
                        system.say,
                        messages,
                        settings.conversations,
                        settings.conversation_length,
                        f"bench-{name}-{round_}",
                    )
                )
            )
        parse_runs["tfidf"].append(summary(time_calls(tfidf.parse, messages)))
    return {
        "parse": {name: median_summary(runs) for name, runs in parse_runs.items()},
        "say": {name: median_summary(runs) for name, runs in say_runs.items()},
    }


def measure_server(
    name: str, model: Path, workdir: Path, action_url: str, settings: Settings, messages
) -> dict:
    """One start of `rasa run`: ready time, first reply, REST loads, peak memory."""
    server = start_rasa_server(model, workdir, action_url)
    try:
        first = [
            post_once(server.url, f"bench-{name}-warmup", text)
            for text in messages[: settings.warmup_messages]
        ]
        rest = {
            level: rest_conversations(
                server.url,
                messages,
                level,
                settings.rest_length[level],
                f"bench-{name}-{workdir.name}-{level}",
                settings.rest_budget_seconds,
            )
            for level in LEVELS
        }
    finally:
        peak = server.stop()
    return {
        "ready_seconds": server.ready_seconds,
        "first_reply_ms": first[0] * 1000,
        "peak_rss_bytes": peak,
        "rest": rest,
    }


def rest_results(rounds: list[dict], level: int) -> dict:
    """One REST load level over the server starts: medians, p95 per start, every latency."""
    summaries = [summary(run["rest"][level]) for run in rounds]
    return {
        "median": median_summary(summaries),
        "p95_ms_each": [each["p95_ms"] for each in summaries],
        # Every latency, for the distribution plot.
        "all_ms": [round(s * 1000, 1) for run in rounds for s in run["rest"][level]],
    }


def measure_servers(models: dict[str, Path], workdir: Path, settings: Settings) -> dict:
    messages = held_out_messages(0)
    actions = start_action_server(workdir / "actions")
    runs: dict[str, list] = {name: [] for name in models}
    try:
        order = list(models)
        for round_ in range(settings.rounds):
            for name in order if round_ % 2 == 0 else order[::-1]:
                progress(f"{name} server, round {round_ + 1} of {settings.rounds}")
                runs[name].append(
                    measure_server(
                        name,
                        models[name],
                        workdir / f"{name}-{round_}",
                        actions.url,
                        settings,
                        messages,
                    )
                )
    finally:
        action_peak = actions.stop()
    results = {
        name: {
            "ready_seconds": [run["ready_seconds"] for run in rounds],
            "first_reply_ms": [run["first_reply_ms"] for run in rounds],
            "peak_rss_bytes": [run["peak_rss_bytes"] for run in rounds],
            "rest": {str(level): rest_results(rounds, level) for level in LEVELS},
        }
        for name, rounds in runs.items()
    }
    results["actions"] = {"ready_seconds": actions.ready_seconds, "peak_rss_bytes": action_peak}
    return results


def measure_in_process_phase(models: dict[str, Path], settings: Settings, out: Path) -> dict:
    """Accuracy, in-process latency and the message profile, with the models in this process."""
    progress("accuracy and in-process latency")
    fit_started = time.monotonic()
    tfidf = TfidfNearestNeighbour(training_examples())
    results: dict = {"tfidf_fit_seconds": time.monotonic() - fit_started}
    systems = {"ours": Assistant(str(models["ours"]))}
    if "stock" in models:
        systems["stock"] = StockAssistant(Assistant(str(models["stock"])))
    results["accuracy"] = compare(
        {name: accuracy_of(system) for name, system in [*systems.items(), ("tfidf", tfidf)]}
    )
    messages = held_out_messages(settings.parse_messages)
    results["in_process"] = measure_in_process(systems, tfidf, settings, messages)
    results["profiles"] = {
        "messages": profiles.profile_messages(
            systems["ours"].say,
            held_out_messages(settings.profile_messages),
            out / "profile-messages.txt",
        )
    }
    for system in systems.values():
        system.close()
    return results


def main(argv: list[str] | None = None) -> Path:
    args = parse_args(argv)
    settings = SMOKE if args.smoke else FULL
    settings = replace(
        settings,
        rounds=args.rounds or settings.rounds,
        train=settings.train and not args.no_train,
    )
    config_knob = args.epochs or args.config.resolve() != (ROOT / "config.yml")
    if config_knob and not settings.train:
        raise SystemExit("--epochs and --config need training (no --smoke, no --no-train)")
    env = (
        {
            "TF_INTRA_OP_PARALLELISM_THREADS": str(args.tf_threads),
            "TF_INTER_OP_PARALLELISM_THREADS": str(args.tf_threads),
        }
        if args.tf_threads
        else {}
    )
    # The in-process models read them, and every server and training inherits them.
    os.environ.update(env)
    ours_model = Path(model_path())
    results: dict = {
        "meta": {
            "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "mode": settings.mode,
            "settings": asdict(settings),
            "knobs": {
                "epochs": args.epochs,
                "tf_threads": args.tf_threads,
                "config": shown(args.config) if config_knob else None,
            },
            "machine": machine(),
            "load_before": os.getloadavg(),
            "model": shown(ours_model),
        }
    }
    started = time.monotonic()
    args.out.mkdir(parents=True, exist_ok=True)
    # Trainings, databases and logs; kept when a run fails, for the logs of what failed.
    workdir = args.out / "work"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir()
    stock_model = args.stock_model
    if settings.train:
        training = measure_training(workdir, args)
        if not stock_model:
            # Kept for knob trials: --stock-model reports/bench/stock-model.tar.gz
            stock_model = Path(
                shutil.copy(training["stock"]["cold"].model, args.out / "stock-model.tar.gz")
            )
        # Measure the models trained here: both from the same data, whatever
        # state models/ is in (and with any training knob applied).
        ours_model = training["ours"]["cold"].model
        results["meta"]["model"] = f"{shown(args.config)}, trained in this run"
        results["training"] = {
            name: {mode: asdict(run) for mode, run in modes.items()}
            for name, modes in training.items()
        }
    results["model_script"] = model_script_seconds(workdir)
    results["meta"]["stock_model"] = str(stock_model) if stock_model else None
    results["meta"]["stock_trained_here"] = "stock" in results.get("training", {})
    results["model_bytes"] = {
        "ours": ours_model.stat().st_size,
        "stock": stock_model.stat().st_size if stock_model else None,
    }

    models = {"ours": ours_model} | ({"stock": stock_model} if stock_model else {})
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The smoke checks the report, not the figures: the servers may start
        # while the in-process models load, which halves its time.
        servers = (
            pool.submit(measure_servers, models, workdir / "servers", settings)
            if settings.overlap
            else None
        )
        results |= measure_in_process_phase(models, settings, args.out)
        results["servers"] = (
            servers.result() if servers else measure_servers(models, workdir / "servers", settings)
        )
    results["goals"] = [asdict(goal) for goal in evaluate_goals(results)]
    if settings.profile_start and any(
        goal["key"] in ("ready", "memory") and goal["met"] is False for goal in results["goals"]
    ):
        progress("profiling server start")
        results["profiles"]["start"] = profiles.profile_start(
            ours_model, args.out / "profile-start.txt"
        )
    shutil.rmtree(workdir)
    results["meta"]["load_after"] = os.getloadavg()
    results["meta"]["seconds"] = time.monotonic() - started
    (args.out / "results.json").write_text(json.dumps(results, indent=1, default=str))
    path = report.write(results, args.out)
    progress(f"wrote {shown(path)}")
    return path


if __name__ == "__main__":
    main()
