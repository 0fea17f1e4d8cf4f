"""reports/bench/report.md and its PNG plots, from the results of one bench run."""

from collections import defaultdict
from pathlib import Path
from statistics import median

# Figure, not pyplot: no global state and no display backend to choose.
from matplotlib.figure import Figure

from benchmarks.profiles import summary_lines
from benchmarks.settings import LEVELS

SECTIONS = [
    "Goals",
    "Training",
    "Model size",
    "Server start and memory",
    "Latency in process",
    "Latency over REST",
    "Accuracy on the held-out set",
    "Profiles",
    "Knobs",
    "How this was measured",
]
SYSTEMS = {"ours": "this assistant", "stock": "stock Rasa", "tfidf": "TF-IDF"}
COLOURS = {"ours": "tab:blue", "stock": "tab:orange", "tfidf": "tab:gray"}
NOT_RUN = "not run"


def ratio(ours: float | None, stock: float | None) -> str:
    return f"{ours / stock:.2f}x" if ours is not None and stock else "-"


def megabytes(value: float | None) -> str:
    return f"{value / 1e6:.0f} MB" if value is not None else NOT_RUN


def seconds(value: float | None) -> str:
    return f"{value:.1f} s" if value is not None else NOT_RUN


def milliseconds(value: float | None) -> str:
    return f"{value:.0f} ms" if value is not None else NOT_RUN


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def verdict(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "not measured"}[met]


def _save(figure, folder: Path, name: str) -> str:
    figure.tight_layout()
    figure.savefig(folder / name, dpi=100)
    return f"![{name}]({name})"


def subplots(columns: int = 1, figsize: tuple[float, float] = (6, 4)):
    figure = Figure(figsize=figsize)
    axes = figure.subplots(1, columns)
    return figure, axes


def _bars(axes, groups: list[str], values: dict[str, list[float]], ylabel: str) -> None:
    """Grouped bars: one group per label in `groups`, one bar per system."""
    width = 0.8 / len(values)
    for i, (name, heights) in enumerate(values.items()):
        x = [g + i * width for g in range(len(groups))]
        axes.bar(x, heights, width, label=SYSTEMS[name], color=COLOURS[name])
    axes.set_xticks([g + width * (len(values) - 1) / 2 for g in range(len(groups))], groups)
    axes.set_ylabel(ylabel)
    axes.legend()


# --- sections -----------------------------------------------------------------


def _stock_source(meta: dict) -> str:
    if meta["stock_trained_here"]:
        return "."
    if meta["stock_model"]:
        return f" (model from an earlier run: `{meta['stock_model']}`)."
    return f": {NOT_RUN} in this run."


def _header(results: dict) -> str:
    meta, machine = results["meta"], results["meta"]["machine"]
    knobs = [f"{k}={v}" for k, v in meta["knobs"].items() if v]
    before, after = (", ".join(f"{x:.1f}" for x in meta[k]) for k in ("load_before", "load_after"))
    return "\n".join(
        [
            "# Benchmark: this assistant beside stock Rasa and a TF-IDF baseline",
            "",
            f"Run of {meta['started']} ({meta['mode']}, {meta['seconds'] / 60:.1f} min) on "
            f"{machine['cpus']} x {machine['cpu_model']}, {machine['memory_gib']} GiB; "
            f"Python {machine['python']}, Rasa {machine['rasa']}.",
            f"Load average (1, 5, 15 min) before: {before}; after: {after}. Other work on "
            "the machine inflates every absolute figure, so compare the ratios (ours/stock), "
            "measured in the same run with the systems taking turns.",
            "",
            f"- **this assistant**: `{meta['model']}` (our pipeline, with the custom "
            "components: topic gate, topic payloads, dose/drug gate, safety check).",
            "- **stock Rasa**: `rasa init`'s config.yml (pipeline and policies left to Rasa's "
            "defaults) trained on the same domain.yml and data/; our custom components are "
            "absent from it" + _stock_source(meta),
            "- **TF-IDF**: nearest training example by cosine on word and character TF-IDF "
            "(scikit-learn), trained on the same examples (faq/<id> from data/content, other "
            "intents from data/nlu).",
            f"- Knobs: {', '.join(knobs) if knobs else 'none (config.yml as shipped)'}.",
        ]
    )


def _largest(parts: dict[str, float], count: int = 3) -> str:
    top = sorted(parts.items(), key=lambda kv: -kv[1])[:count]
    return ", ".join(f"{name} {spent:.1f} s" for name, spent in top)


def _bound_latency(results: dict) -> str:
    say = results["in_process"]["say"]
    parts = results["profiles"]["messages"]["parts"]
    total = sum(parts.values())
    shares = ", ".join(
        f"{name} {spent / total:.0%}"
        for name, spent in sorted(parts.items(), key=lambda kv: -kv[1])[:4]
    )
    return (
        "Rasa handles REST messages in one event loop, one at a time, so with N "
        "conversations at once a message waits for up to N others: p95 is about N times "
        f"the time of one message. One message in process: ours {say['ours']['p50_ms']:.0f} ms, "
        f"stock {say['stock']['p50_ms']:.0f} ms (p50). Where ours goes: {shares}."
    )


def _bound_ready(results: dict) -> str:
    start = results["profiles"].get("start")
    if not start:
        return "Server start was not profiled in this run."
    return f"Server start ({start['seconds']:.0f} s profiled): {_largest(start['parts'])}."


def _bound_training(results: dict) -> str:
    cold = results["training"]["ours"]["cold"]
    parts: dict[str, float] = defaultdict(float)
    for name, spent in cold["components"]:
        parts[name] += spent
    rest = cold["seconds"] - sum(parts.values())
    return f"Cold training: {_largest(parts)}; the rest ({rest:.0f} s) is loading and featurizing."


def _bound_memory(results: dict) -> str:
    return (
        "The peak is the `rasa run` process itself: TensorFlow, the DIET and "
        "ResponseSelector models (their sparse input layers grow with the char n-gram "
        f"vocabulary; the model file is {megabytes(results['model_bytes']['ours'])}) and spaCy."
        + _memory_stages(results)
    )


def _memory_stages(results: dict) -> str:
    start = results["profiles"].get("start")
    if not start:
        return ""
    stages = ", ".join(f"{megabytes(v)} {k}" for k, v in start["memory_bytes"].items())
    return f" Loading in a fresh process: {stages}."


def _bound_accuracy(results: dict) -> str:
    weakest = ", ".join(f"{t} {a:.2f}" for t, a in results["accuracy"]["ours"]["weakest_topics"])
    return f"Weakest topics (ours): {weakest}."


BOUNDS = {
    "latency": _bound_latency,
    "ready": _bound_ready,
    "training": _bound_training,
    "memory": _bound_memory,
    "accuracy": _bound_accuracy,
}


def _goals(results: dict) -> str:
    rows = [[g["goal"], g["figure"], verdict(g["met"])] for g in results["goals"]]
    missed = [g for g in results["goals"] if g["met"] is False]
    lines = [table(["goal (2-core machine)", "measured", "result"], rows)]
    if missed:
        lines += ["", "What bounds each missed goal (profiles below):", ""]
        lines += [f"- **{g['key']}**: {BOUNDS[g['key']](results)}" for g in missed]
    return "\n".join(lines)


def _components(run: dict) -> dict[str, float]:
    """Seconds per trained component (summed over repeats, e.g. two featurizers)."""
    totals: dict[str, float] = defaultdict(float)
    for name, spent in run["components"]:
        totals[name] += spent
    totals["other (loading, featurizing, TensorFlow start, packaging)"] = run["seconds"] - sum(
        spent for _, spent in run["components"]
    )
    return totals


def _training(results: dict, folder: Path) -> str:
    script = results["model_script"]
    script_text = (
        "; ".join(f"{seconds(v)} {case}" for case, v in script.items())
        if "error" not in script
        else script["error"]
    )
    lines = [
        f"`tools/model.sh` when the model exists (what `make` pays on every call): {script_text}.",
        f"TF-IDF baseline fit: {seconds(results['tfidf_fit_seconds'])}.",
        "",
    ]
    training = results.get("training")
    if not training:
        return "\n".join(lines + [f"`rasa train`: {NOT_RUN} (smoke, or --no-train)."])
    names = list(training)

    def row(label: str, mode: str, key: str, show) -> list[str]:
        figures = [training[name][mode][key] for name in names]
        return [label, *map(show, figures), ratio(*figures) if len(figures) == 2 else "-"]

    rows = [
        row("cold: `rasa train --force`, empty Rasa cache", "cold", "seconds", seconds),
        row("cached: `rasa train` again, Rasa's cache filled", "cached", "seconds", seconds),
        row("peak memory of the cold training", "cold", "peak_rss_bytes", megabytes),
    ]
    lines.append(table(["", *[SYSTEMS[n] for n in names], "ours/stock"], rows))
    parts = {name: _components(training[name]["cold"]) for name in names}
    components = list(dict.fromkeys(c for name in names for c in parts[name]))
    lines += [
        "",
        "Where the cold training's time goes (from Rasa's component log, timestamped):",
        "",
        table(
            ["component", *[SYSTEMS[n] for n in names]],
            [[c, *[seconds(parts[n].get(c)) for n in names]] for c in components],
        ),
        "",
    ]
    figure, (left, right) = subplots(2, figsize=(13, 4.5))
    _bars(
        left,
        ["cold", "cached"],
        {n: [training[n][m]["seconds"] for m in ("cold", "cached")] for n in names},
        "seconds",
    )
    left.set_title("rasa train")
    height = 0.8 / len(names)
    for i, name in enumerate(names):
        right.barh(
            [y + i * height for y in range(len(components))],
            [parts[name].get(c, 0) for c in components],
            height,
            label=SYSTEMS[name],
            color=COLOURS[name],
        )
    right.set_yticks(list(range(len(components))), [c.split(" (")[0] for c in components])
    right.invert_yaxis()
    right.set_xlabel("seconds (cold)")
    right.legend()
    lines.append(_save(figure, folder, "training.png"))
    return "\n".join(lines)


def _model_size(results: dict) -> str:
    size = results["model_bytes"]
    return table(
        ["ours", "stock", "ours/stock"],
        [[megabytes(size["ours"]), megabytes(size["stock"]), ratio(size["ours"], size["stock"])]],
    )


def _spread(values: list[float], show) -> str:
    if len(values) == 1:
        return show(values[0])
    return f"{show(median(values))} ({show(min(values))} to {show(max(values))})"


def _servers(results: dict, folder: Path) -> str:
    servers = results["servers"]
    names = [n for n in ("ours", "stock") if n in servers]

    def row(label: str, key: str, show, pick=median) -> list[str]:
        cells = [_spread(servers[n][key], show) for n in names]
        picked = [pick(servers[n][key]) for n in names]
        return [label, *cells, ratio(*picked) if len(names) == 2 else "-"]

    rows = [
        row("start to ready (`rasa run` until GET / answers)", "ready_seconds", seconds),
        row("first reply after ready", "first_reply_ms", milliseconds),
        row("peak RSS of the server's process tree", "peak_rss_bytes", megabytes, max),
    ]
    actions = servers["actions"]
    figure, (left, right) = subplots(2, figsize=(9, 3.5))
    left.bar(
        [SYSTEMS[n] for n in names],
        [median(servers[n]["ready_seconds"]) for n in names],
        color=[COLOURS[n] for n in names],
    )
    left.set_ylabel("start to ready, s (median)")
    right.bar(
        [SYSTEMS[n] for n in names],
        [max(servers[n]["peak_rss_bytes"]) / 1e6 for n in names],
        color=[COLOURS[n] for n in names],
    )
    right.set_ylabel("peak RSS, MB")
    return "\n".join(
        [
            f"Median over {len(servers['ours']['ready_seconds'])} start(s), range in brackets; "
            "peak memory is the largest of the starts.",
            "",
            table(["", *[SYSTEMS[n] for n in names], "ours/stock"], rows),
            "",
            f"The action server (shared by both, not counted above): ready in "
            f"{seconds(actions['ready_seconds'])}, peak {megabytes(actions['peak_rss_bytes'])}.",
            "",
            _save(figure, folder, "server.png"),
        ]
    )


def _in_process(results: dict) -> str:
    timings = results["in_process"]
    rows = []
    for call, label in (("parse", "parse (NLU only)"), ("say", "say (NLU and dialogue)")):
        for name, figures in timings[call].items():
            rows.append(
                [
                    label,
                    SYSTEMS[name],
                    str(int(figures["n"])),
                    milliseconds(figures["p50_ms"]),
                    milliseconds(figures["p95_ms"]),
                    ratio(figures["p95_ms"], timings[call].get("stock", {}).get("p95_ms"))
                    if name == "ours"
                    else "",
                ]
            )
    return "\n".join(
        [
            "`tools.in_process.Assistant` (no server, no action server), median of "
            f"{timings['parse']['ours']['repeats']} repeat(s).",
            "",
            table(["call", "system", "messages", "p50", "p95", "p95 ours/stock"], rows),
        ]
    )


def _rest(results: dict, folder: Path) -> str:
    servers = results["servers"]
    names = [n for n in ("ours", "stock") if n in servers]

    def figure_of(name: str, level: int, key: str) -> float:
        return servers[name]["rest"][str(level)]["median"][key]

    rows = []
    for level in LEVELS:
        cells = [str(level), str(int(figure_of("ours", level, "n")))]
        for name in names:
            cells += [milliseconds(figure_of(name, level, k)) for k in ("p50_ms", "p95_ms")]
        stock_p95 = figure_of("stock", level, "p95_ms") if "stock" in names else None
        cells.append(ratio(figure_of("ours", level, "p95_ms"), stock_p95))
        cells.append(
            ", ".join(f"{x:.0f}" for x in servers["ours"]["rest"][str(level)]["p95_ms_each"])
        )
        rows.append(cells)
    header = ["conversations", "messages"]
    for name in names:
        header += [f"{SYSTEMS[name]} p50", f"{SYSTEMS[name]} p95"]
    header += ["p95 ours/stock", "ours p95 per start, ms"]
    figure, axes = subplots(2, figsize=(11, 4))
    for side, key in zip(axes, ("p50_ms", "p95_ms"), strict=True):
        _bars(
            side,
            [f"{x} conv." for x in LEVELS],
            {n: [figure_of(n, x, key) for x in LEVELS] for n in names},
            key.replace("_ms", " latency, ms"),
        )
    spread, sides = subplots(len(LEVELS), figsize=(4 * len(LEVELS), 3.5))
    for side, level in zip(sides, LEVELS, strict=True):
        for name in names:
            values = sorted(servers[name]["rest"][str(level)]["all_ms"])
            share = [(i + 1) / len(values) for i in range(len(values))]
            side.step(values, share, where="post", label=SYSTEMS[name], color=COLOURS[name])
        side.set_xscale("log")
        side.set_xlabel("latency, ms (log)")
        side.set_title(f"{level} conversation(s) at once")
        side.axhline(0.95, color="lightgray", linewidth=0.8)
        side.legend()
    sides[0].set_ylabel("share of messages answered within")
    return "\n".join(
        [
            "POST /webhooks/rest/webhook on 127.0.0.1; each conversation is a new sender "
            "sending held-out questions one after another, all conversations at once. "
            "Medians over the server starts.",
            "",
            table(header, rows),
            "",
            _save(figure, folder, "latency.png"),
            "",
            "Every message of every start (the grey line is p95):",
            "",
            _save(spread, folder, "latency-distribution.png"),
        ]
    )


ACCURACY_ROWS = [
    ("response_selection_accuracy", "response-selection accuracy (the right topic)"),
    ("response_selection_macro_f1", "response-selection macro-F1"),
    ("intent_accuracy", "taken as a topic question at all"),
    ("out_of_scope_without_curated_answer", "off-topic messages given no topic answer"),
    ("dose_or_drug_asks_declined", "dose or drug requests declined"),
]


def _accuracy(results: dict, folder: Path) -> str:
    accuracy = results["accuracy"]
    names = list(accuracy)
    rows = [[label, *[f"{accuracy[n][key]:.3f}" for n in names]] for key, label in ACCURACY_ROWS]
    intervals = (accuracy[n]["interval_95"] for n in names)
    rows.insert(1, ["95% interval (Wilson)", *[f"{lo:.3f} to {hi:.3f}" for lo, hi in intervals]])
    pairs = (accuracy[n]["against_ours"] for n in names[1:])
    rows.insert(
        2,
        [
            "held-out messages right only by ours / only by this one (exact McNemar p)",
            "",
            *[f"{p['only_ours']} / {p['only_other']} (p={p['p_value']:.2f})" for p in pairs],
        ],
    )
    figure, axes = subplots(figsize=(6, 3.5))
    axes.bar(
        [SYSTEMS[n] for n in names],
        [accuracy[n]["response_selection_accuracy"] for n in names],
        color=[COLOURS[n] for n in names],
    )
    axes.set_ylim(0, 1)
    axes.set_ylabel("held-out response-selection accuracy")
    weakest = ", ".join(f"{t} {a:.2f}" for t, a in accuracy["ours"]["weakest_topics"])
    return "\n".join(
        [
            f"tests/nlu_holdout.yml ({accuracy['ours']['holdout_messages']} messages never "
            "trained on) and tests/data/nlu_out_of_scope.yml, scored by tools/eval_nlu.py's "
            "evaluate() for every system.",
            "",
            table(["", *[SYSTEMS[n] for n in names]], rows),
            "",
            f"Weakest topics (ours): {weakest}.",
            "",
            _save(figure, folder, "accuracy.png"),
        ]
    )


PROFILE_TITLES = {
    "messages": "Message handling in process (Agent.handle_text, ours)",
    "start": "Server start in a fresh process (imports and Agent.load, ours)",
}


def _profiles(results: dict) -> str:
    lines = []
    for key, title in PROFILE_TITLES.items():
        profile = results["profiles"].get(key)
        if not profile:
            lines += [
                f"{title}: not profiled (only when the ready or memory goal is missed).",
                "",
            ]
            continue
        total = profile["seconds"]
        rows = [
            [part, f"{spent:.3f} s", f"{spent / total:.0%}"]
            for part, spent in profile["parts"].items()
            if spent >= 0.01 * total
        ]
        if "memory_bytes" in profile:
            lines += [f"Resident memory:{_memory_stages(results)}", ""]
        lines += [
            f"{title}: {seconds(total)} in all, by part (1% or more):",
            "",
            table(["part", "time", "share"], rows),
            "",
            f"Head of the call tree (whole tree in `{Path(profile['path']).name}`):",
            "",
            "```",
            summary_lines(Path(profile["path"])),
            "```",
            "",
        ]
    return "\n".join(lines)


KNOBS = """\
- `config.yml`: `epochs` of DIETClassifier and ResponseSelector (training
  time grows about linearly with them); the two CountVectorsFeaturizers (the `char_wb`
  1-4-gram one makes most of the model's size and featurizing time).
- `TF_INTRA_OP_PARALLELISM_THREADS` / `TF_INTER_OP_PARALLELISM_THREADS`: TensorFlow's
  thread pools (Rasa reads them at start), for training and serving.
- Try one with the same bench, which then trains and measures the model it makes:
  `python -m benchmarks --epochs 40 --out reports/bench-e40` (ours and stock),
  `--config my-config.yml` (ours only), or `--tf-threads 1` (both, training and serving)."""


METHOD = """\
- Training: each `rasa train` writes into a temporary folder with its own Rasa cache
  (`RASA_CACHE_DIRECTORY`), so cold really is cold; `make` itself goes through
  `tools/model.sh`, which retrains only when config, domain, data or components change.
- Servers: `rasa run` with the same endpoints (SQLite tracker store, handoff audit,
  action server) and credentials (every channel) for both models, started in turn
  (ours, stock, stock, ours, ...). Ready is the first 200 from GET /.
- Memory: RSS summed over the server's process tree, sampled from /proc every 0.2 s
  from launch to stop, and the kernel's VmHWM of the main process.
- Latency: a few warm-up messages first (the first is reported on its own); p50/p95
  per run, then the median over runs. Every load is bounded in messages and time.
- Accuracy: tools/eval_nlu.py's evaluate(); stock Rasa's response selector answers
  under "default" (no retrieval_intent), read as "faq"."""


def write(results: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    bodies = {
        "Goals": _goals(results),
        "Training": _training(results, folder),
        "Model size": _model_size(results),
        "Server start and memory": _servers(results, folder),
        "Latency in process": _in_process(results),
        "Latency over REST": _rest(results, folder),
        "Accuracy on the held-out set": _accuracy(results, folder),
        "Profiles": _profiles(results),
        "Knobs": KNOBS,
        "How this was measured": METHOD,
    }
    text = _header(results) + "".join(f"\n\n## {name}\n\n{bodies[name]}" for name in SECTIONS)
    path = folder / "report.md"
    path.write_text(text + "\n")
    return path
