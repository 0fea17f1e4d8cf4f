"""deploy/: every file is well-formed and the pieces fit together.

Kubernetes cannot run here, so the files are read with PyYAML and checked for
what running past one machine depends on: replicas, the shared stores, secrets
only from the environment, and a websocket-only proxy.

The image: its files are worked out from deploy/Dockerfile's COPY lines and
.dockerignore, matched by docker-py's implementation of Docker's rules, and
copied to a folder; a Python that sees only that folder and the venv's
site-packages then imports every class the servers load by name. Where a
Docker engine answers, the image is also built and asked for a reply.
"""

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import yaml
from docker.utils.build import exclude_paths
from rasa.core.utils import AvailableEndpoints
from rasa.shared.utils.common import class_from_module_path

from storage.callbacks import CallbackQueue
from tools.in_process import ROOT

DEPLOY = ROOT / "deploy"
YAML_FILES = sorted(DEPLOY.rglob("*.yml")) + sorted(DEPLOY.rglob("*.yaml"))
SECRETS = {
    "POSTGRES_PASSWORD",
    "TWILIO_AUTH_TOKEN",
    "SMS_SENDER_KEY",
    "WEBCHAT_SESSION_KEY",
    "ACTION_SERVER_TOKEN",
    "CALLBACK_KEY",
    "SMTP_URL",
}
SHARED_STORES = {"BOT_DB_URL", "BOT_REDIS_URL", "SMS_OPTOUT_DB", "ACTION_SERVER_URL"}
# What the action servers need for call-back requests (README.md, "Call-back
# requests"): the queue's database and key, and where staff emails go. The Rasa
# servers need the key too: the SMS channel holds a texter's number (CALL).
CALLBACKS = {"CALLBACK_KEY", "SMTP_URL", "STAFF_EMAIL"}


def load(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def compose() -> dict:
    [file] = load(DEPLOY / "docker-compose.yml")
    return file


def kubernetes() -> list[dict]:
    return [doc for path in sorted((DEPLOY / "kubernetes").glob("*.yml")) for doc in load(path)]


def env_example() -> dict[str, str]:
    lines = (DEPLOY / "env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda path: str(path.relative_to(DEPLOY)))
def test_every_yaml_file_parses_into_mappings(path: Path):
    docs = load(path)
    assert docs and all(isinstance(doc, dict) for doc in docs)


def test_compose_runs_replicas_on_shared_stores_behind_a_proxy():
    services = compose()["services"]
    assert {"rasa", "actions", "postgres", "redis", "proxy"} <= set(services)
    assert services["rasa"]["deploy"]["replicas"] >= 2
    assert services["actions"]["deploy"]["replicas"] >= 2
    assert set(services["rasa"]["environment"]) >= SHARED_STORES
    for side in ("rasa", "actions"):  # the action server's secret, on both sides
        assert "ACTION_SERVER_TOKEN" in services[side]["environment"]
    for service in services.values():
        for needed in service.get("depends_on", {}):
            assert needed in services
    assert (ROOT / services["rasa"]["build"]["dockerfile"]).is_file()
    mounts = [volume.split(":")[0] for volume in services["proxy"]["volumes"]]
    assert (DEPLOY / mounts[0]).is_file()
    assert "ports" not in services["rasa"], "only the proxy is reachable from outside"


def test_compose_takes_every_secret_from_the_environment():
    text = (DEPLOY / "docker-compose.yml").read_text()
    for service in compose()["services"].values():
        for name, value in (service.get("environment") or {}).items():
            if name in SECRETS:
                assert re.fullmatch(r"\$\{\w+:\?[^}]*\}", value), name
    asked = set(re.findall(r"\$\{(\w+)", text))
    assert asked <= set(env_example()), "every variable is in env.example"
    assert all(not env_example()[name] for name in SECRETS), "no secret in env.example"


def test_compose_gives_the_action_servers_the_call_back_settings_from_the_environment():
    services = compose()["services"]
    actions, rasa = services["actions"]["environment"], services["rasa"]["environment"]
    for name in CALLBACKS:
        assert re.fullmatch(rf"\$\{{{name}:\?[^}}]*\}}", actions[name]), name
        assert name in env_example() and not env_example()[name], name
    # One queue: the same database as the Rasa servers, under the same key.
    assert actions["BOT_DB_URL"] == rasa["BOT_DB_URL"]
    assert rasa["CALLBACK_KEY"] == actions["CALLBACK_KEY"]
    assert services["actions"]["depends_on"]["postgres"] == {"condition": "service_healthy"}


def test_the_call_back_settings_are_documented_like_the_other_secrets(tmp_path: Path):
    lines = (DEPLOY / "env.example").read_text().splitlines()
    readme = (DEPLOY / "README.md").read_text()
    for name in CALLBACKS:
        [at] = [i for i, line in enumerate(lines) if line.startswith(f"{name}=")]
        assert lines[at - 1].startswith("#"), f"{name}: a comment above it says what it is"
        assert f"`{name}`" in readme, name
    # The command env.example gives for a key makes one the call-back queue takes.
    [command] = [line.lstrip("# ") for line in lines if "Fernet.generate_key()" in line]
    assert command.startswith("python -c ")
    code = command.removeprefix("python -c ").strip('"')
    key = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()
    queue = CallbackQueue(f"sqlite:///{tmp_path / 'queue.db'}", [key.encode()])
    try:
        assert queue.available
        queue.hold_number("deploy-key-check", "+15085550177", "rest")
        assert queue.has_held_number("deploy-key-check")
    finally:
        queue.close()


def test_kubernetes_manifests_fit_together():
    docs = kubernetes()
    for doc in docs:
        assert doc["apiVersion"] and doc["kind"] and doc["metadata"]["name"]
    workloads = {
        doc["metadata"]["name"]: doc for doc in docs if doc["kind"] in ("Deployment", "StatefulSet")
    }
    assert {"rasa", "actions", "postgres", "redis", "proxy"} <= set(workloads)
    assert workloads["rasa"]["spec"]["replicas"] >= 2
    assert workloads["actions"]["spec"]["replicas"] >= 2
    for workload in workloads.values():
        labels = workload["spec"]["template"]["metadata"]["labels"]
        assert workload["spec"]["selector"]["matchLabels"].items() <= labels.items()
    pod_labels = [w["spec"]["template"]["metadata"]["labels"] for w in workloads.values()]
    for service in (doc for doc in docs if doc["kind"] == "Service"):
        selector = service["spec"]["selector"]
        assert any(selector.items() <= labels.items() for labels in pod_labels), service
    [rasa] = workloads["rasa"]["spec"]["template"]["spec"]["containers"]
    assert {variable["name"] for variable in rasa["env"]} >= SHARED_STORES
    [actions] = workloads["actions"]["spec"]["template"]["spec"]["containers"]
    for container in (rasa, actions):  # the action server's secret, on both sides
        assert "ACTION_SERVER_TOKEN" in {variable["name"] for variable in container["env"]}
    # Call-back requests: the action servers' settings, from the secret, and one
    # queue in the Rasa servers' database under the same key.
    rasa_env = {variable["name"]: variable for variable in rasa["env"]}
    actions_env = {variable["name"]: variable for variable in actions["env"]}
    for name in CALLBACKS:
        assert actions_env[name]["valueFrom"]["secretKeyRef"] == {
            "name": "lar-secrets",
            "key": name,
        }, name
    assert actions_env["BOT_DB_URL"] == rasa_env["BOT_DB_URL"]
    assert actions_env["POSTGRES_PASSWORD"] == rasa_env["POSTGRES_PASSWORD"]
    assert actions_env["CALLBACK_KEY"] == rasa_env["CALLBACK_KEY"]
    names = [variable["name"] for variable in actions["env"]]
    # $(POSTGRES_PASSWORD) is expanded only from a variable defined before it.
    assert names.index("POSTGRES_PASSWORD") < names.index("BOT_DB_URL")


def test_kubernetes_reads_secrets_only_from_the_secret_env_example_describes():
    keys = set(env_example())
    for variable in _env_variables(kubernetes()):
        ref = variable.get("valueFrom", {}).get("secretKeyRef")
        if ref:
            assert ref["name"] == "lar-secrets" and ref["key"] in keys
        elif variable["name"] in SECRETS:
            pytest.fail(f"{variable['name']} is written into a manifest")


def _env_variables(docs: list[dict]) -> list[dict]:
    found: list[dict] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            found.extend(node.get("env") or [])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(docs)
    return found


def test_the_cluster_endpoints_load_in_rasa_with_the_projects_stores(monkeypatch):
    monkeypatch.setenv("ACTION_SERVER_URL", "http://actions:5055/webhook")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "a-deployment-secret")
    monkeypatch.setenv("BOT_DB_URL", "postgresql://lar@postgres/lar")
    endpoints = AvailableEndpoints.read_endpoints(str(DEPLOY / "endpoints.yml"))
    assert endpoints.action.url == "http://actions:5055/webhook"
    # The action server answers only the Rasa server that sends its secret.
    assert endpoints.action.headers == {"X-Action-Token": "a-deployment-secret"}
    assert endpoints.event_broker.kwargs["db"] == "postgresql://lar@postgres/lar"
    for store in (endpoints.tracker_store, endpoints.lock_store, endpoints.event_broker):
        class_from_module_path(store.type)


def test_the_proxy_exposes_only_the_public_channels_and_only_websockets():
    conf = (DEPLOY / "nginx.conf").read_text()
    assert conf.count("{") == conf.count("}")
    locations = re.findall(r"location\s+([^{]+?)\s*\{", conf)
    assert locations == ["/webchat/", "/socket.io/", "= /webhooks/twilio/webhook", "/"]
    socket = conf[conf.index("location /socket.io/") :]
    assert 'if ($arg_transport != "websocket")' in socket.split("location", 2)[1]
    assert "proxy_set_header Upgrade $http_upgrade;" in socket
    assert re.search(r"location / \{\s*return 404;", conf)


# --- The image -------------------------------------------------------------

DOCKERFILE = "deploy/Dockerfile"
# The Dockerfile's named build contexts, as the build command gives them.
MODEL_CONTEXT = "model"
IMAGE_MODEL = "models/model.tar.gz"


@dataclass
class Copy:
    sources: list[str]
    destination: str  # absolute, normalized
    into_folder: bool  # a file source goes to destination/<its name>
    origin: str | None  # None: the main context; else a stage or a named context


@dataclass
class Stage:
    name: str | None
    workdir: str = "/"
    args: dict[str, str] = field(default_factory=dict)
    copies: list[Copy] = field(default_factory=list)
    command: list[str] = field(default_factory=list)


def instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    joined: list[str] = []
    current = ""
    for raw in dockerfile.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        joined.append(current + line)
        current = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in joined]


def stages(dockerfile: str, build_args: dict[str, str]) -> list[Stage]:
    def expand(word: str, stage: Stage) -> str:
        def value(match: re.Match) -> str:
            name = match[1] or match[2]
            assert stage.args.get(name), f"{name} is not set where {word} is used"
            return stage.args[name]

        return re.sub(r"\$\{(\w+)\}|\$(\w+)", value, word)

    found: list[Stage] = []
    for instruction, arguments in instructions(dockerfile):
        words = arguments.split()
        if instruction == "FROM":
            found.append(Stage(words[2] if len(words) > 2 and words[1].lower() == "as" else None))
        elif instruction == "ARG":
            name, _, default = arguments.partition("=")
            found[-1].args[name] = build_args.get(name, default)
        elif instruction == "WORKDIR":
            found[-1].workdir = posixpath.join(found[-1].workdir, expand(arguments, found[-1]))
        elif instruction == "COPY":
            assert not arguments.startswith("["), "COPY in JSON form: teach this test to read it"
            flags = [word for word in words if word.startswith("--")]
            paths = [expand(word, found[-1]) for word in words if not word.startswith("--")]
            origin = next((f.split("=", 1)[1] for f in flags if f.startswith("--from=")), None)
            sources, destination = paths[:-1], paths[-1]
            into_folder = destination.endswith("/") or len(sources) > 1
            destination = posixpath.normpath(posixpath.join(found[-1].workdir, destination))
            found[-1].copies.append(Copy(sources, destination, into_folder, origin))
        elif instruction == "CMD":
            found[-1].command = json.loads(arguments)
    return found


def dockerignore_patterns(root: Path) -> list[str]:
    """.dockerignore's patterns, read as docker-py reads them (docker/api/build.py)."""
    lines = [line.strip() for line in (root / ".dockerignore").read_text().splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def context_files(root: Path) -> set[str]:
    """The files of the main build context: the repository less .dockerignore."""
    paths = exclude_paths(str(root), dockerignore_patterns(root), dockerfile=DOCKERFILE)
    return {path for path in paths if (root / path).is_file() or (root / path).is_symlink()}


def all_files(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


@dataclass
class Image:
    # Each file of the image's working folder that a build context gives: its
    # path there -> where it comes from. (Files built in an earlier stage, the
    # widget's node_modules, are not here.)
    files: dict[str, Path]
    command: list[str]


def image_files(root: Path, model: Path) -> Image:
    """What the image holds, from deploy/Dockerfile built as its header says."""
    [*earlier, final] = stages((root / DOCKERFILE).read_text(), {"MODEL": model.name})
    contexts = {None: (root, context_files(root)), MODEL_CONTEXT: (model.parent, None)}
    files: dict[str, Path] = {}
    for copy in final.copies:
        if copy.origin not in contexts:
            assert copy.origin in {stage.name for stage in earlier}, f"unknown --from={copy.origin}"
            continue
        source_root, included = contexts[copy.origin]
        if included is None:  # a named context: no .dockerignore of its own here
            included = all_files(source_root)
        for source in copy.sources:
            assert not set(source) & set("*?["), f"COPY {source}: teach this test wildcards"
            source = posixpath.normpath(source).lstrip("/")
            source = "" if source == "." else source
            matched = sorted(
                path
                for path in included
                if not source or path == source or path.startswith(source + "/")
            )
            assert matched, f"COPY {source}: not in the build context"
            for path in matched:
                if path == source and not copy.into_folder:
                    target = copy.destination
                elif path == source:
                    target = posixpath.join(copy.destination, posixpath.basename(path))
                else:
                    target = posixpath.join(copy.destination, path[len(source) :].lstrip("/"))
                relative = posixpath.relpath(target, final.workdir)
                assert not relative.startswith(".."), f"{target} is outside {final.workdir}"
                files[relative] = source_root / path
    return Image(files, final.command)


@pytest.fixture(scope="module")
def image(model_path: str) -> Image:
    return image_files(ROOT, Path(model_path))


@pytest.fixture(scope="module")
def image_folder(image: Image, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The image's working folder (/app), copied from the build contexts."""
    folder = tmp_path_factory.mktemp("image") / "app"
    for target, source in image.files.items():
        (folder / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, folder / target, follow_symlinks=False)
    return folder


def class_paths(folder: Path) -> list[str]:
    """Every class the servers load by module path, as the image's files name them."""

    def read(name: str):
        return yaml.safe_load((folder / name).read_text()) or {}

    config = read("config.yml")
    components = config.get("pipeline", []) + config.get("policies", [])
    found = [item["name"] for item in components if "." in item["name"]]
    for endpoints in ("endpoints.yml", "deploy/endpoints.yml"):
        found += [
            value["type"]
            for value in read(endpoints).values()
            if isinstance(value, dict) and "." in str(value.get("type", ""))
        ]
    found += [channel for channel in read("credentials.yml") if "." in channel]
    return sorted(set(found))


def action_packages() -> list[str]:
    """The action server's package, as docker-compose.yml starts it from the image."""
    command = compose()["services"]["actions"]["command"]
    for flag in ("--actions", "-m"):  # `rasa run actions --actions X` or `python -m X`
        if flag in command:
            return [command[command.index(flag) + 1]]
    pytest.fail(f"which package does the action server run? {command}")


# Run by a Python that sees only the image's folder, the standard library and
# the venv's site-packages: `-I` ignores PYTHONPATH and the user's site, and
# adds neither the current folder nor a script's.
IMPORT_CHECK = """
import importlib, json, pkgutil, sys, sysconfig
from pathlib import Path

image, repository, names, packages = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
installed = [sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")]
sys.path[:] = [image] + [
    path for path in sys.path if path.startswith(tuple(str(Path(p).parent) for p in installed))
]
from rasa.shared.utils.common import class_from_module_path

failures = {}
for name in json.loads(names):
    try:
        class_from_module_path(name)
    except Exception as error:
        failures[name] = f"{type(error).__name__}: {error}"
for package in json.loads(packages):
    try:
        module = importlib.import_module(package)
        for found in pkgutil.walk_packages(module.__path__, package + "."):
            importlib.import_module(found.name)
    except Exception as error:
        failures[package] = f"{type(error).__name__}: {error}"
outside = [
    name
    for name, module in list(sys.modules.items())
    if (getattr(module, "__file__", None) or "").startswith(repository + "/")
    and not module.__file__.startswith(sys.prefix + "/")
]
print(json.dumps({"failures": failures, "from_the_repository": outside, "path": sys.path}))
"""


def import_in(folder: Path, names: list[str], packages: list[str]) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env |= {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, "-I", "-c", IMPORT_CHECK, str(folder), str(ROOT)]
        + [json.dumps(names), json.dumps(packages)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_image_imports_every_class_the_servers_load(image_folder: Path):
    names = class_paths(image_folder)
    assert "nlu_components.safety_check.SafetyCheck" in names, names
    assert any(name.startswith("channels.") for name in names), names
    assert any(name.startswith("storage.") for name in names), names
    found = import_in(image_folder, names, action_packages())
    assert found["path"][0] == str(image_folder)
    assert not found["from_the_repository"], "imported from the repository, not the image"
    missing = "\n".join(f"  {name}: {error}" for name, error in found["failures"].items())
    assert not missing, f"the image lacks what these import (see .dockerignore):\n{missing}"


def test_the_image_holds_what_its_command_names_and_starts_no_api(image: Image):
    assert image.command[:2] == ["rasa", "run"]
    assert "--enable-api" not in image.command
    for flag in ("--model", "--endpoints", "--credentials"):
        assert image.command[image.command.index(flag) + 1] in image.files, flag


def test_the_image_holds_the_one_model_and_no_tests_databases_or_secrets(
    image: Image, model_path: str
):
    paths = set(image.files)
    assert image.files[IMAGE_MODEL].resolve() == Path(model_path).resolve()
    assert [path for path in paths if path.endswith(".tar.gz")] == [IMAGE_MODEL]
    for path in paths:
        parts = path.split("/")
        assert parts[0] not in {"tests", "var", ".git", ".venv"}, path
        assert parts[0] != "models" or path == IMAGE_MODEL, path
        assert not any(part.startswith(".env") for part in parts), path
        assert "__pycache__" not in parts and "node_modules" not in parts, path


# Files .dockerignore must keep out, whatever a checkout happens to hold.
KEPT_OUT = [
    "tests/test_stories.yml",
    "tests/conversations/test_example.yml",
    "var/conversations.db",
    "handoffs.db",
    ".env",
    ".env.production",
    "deploy/.env",
    "deploy/certs/privkey.pem",
    "deploy/certs/fullchain.pem",
    "models/old.tar.gz",
    "reports/bench/stock-model.tar.gz",
    ".git/config",
    ".venv/bin/python",
    "channels/webchat/node_modules/socket.io-client/package.json",
    "actions/__pycache__/show_sources.cpython-310.pyc",
    ".pytest_cache/README.md",
    ".ruff_cache/CACHEDIR.TAG",
    "test-output/widget/shot.png",
    "benchmarks/__main__.py",
    "id_ed25519",
    "storage/secrets.yml",
]
LET_IN = [
    "requirements.txt",
    "constraints.txt",
    "config.yml",
    "credentials.yml",
    "deploy/endpoints.yml",
    "actions/__init__.py",
    "channels/sms/handling.py",
    "safety/__init__.py",
]


def test_dockerignore_keeps_out_tests_databases_secrets_and_other_models(tmp_path: Path):
    for name in (".dockerignore", DOCKERFILE):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    for name in KEPT_OUT + LET_IN + ["models/current.tar.gz"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    image = image_files(tmp_path, tmp_path / "models" / "current.tar.gz")
    assert image.files[IMAGE_MODEL] == tmp_path / "models" / "current.tar.gz"
    assert [name for name in KEPT_OUT if name in image.files] == []
    assert [name for name in LET_IN if name not in image.files] == []


def test_compose_gives_the_build_contexts_the_dockerfile_uses():
    build = compose()["services"]["rasa"]["build"]
    [*_, final] = stages((ROOT / DOCKERFILE).read_text(), {"MODEL": "model.tar.gz"})
    named = {copy.origin for copy in final.copies if copy.origin == MODEL_CONTEXT}
    assert named == {MODEL_CONTEXT}
    assert (DEPLOY / build["additional_contexts"][MODEL_CONTEXT]).resolve() == ROOT / "models"
    assert "MODEL" in build["args"]


def docker_engine_answers() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=60).returncode == 0
    except subprocess.TimeoutExpired:
        return False


def test_the_built_image_answers_a_rest_message(model_path: str):
    if not docker_engine_answers():
        pytest.skip("no Docker engine on this machine")
    model = Path(model_path)
    tag = f"lake-avenue-assistant-test:{uuid.uuid4().hex[:12]}"
    # The build command of deploy/Dockerfile's header.
    subprocess.run(
        ["docker", "build", "-f", DOCKERFILE, "--build-context", f"{MODEL_CONTEXT}={model.parent}"]
        + ["--build-arg", f"MODEL={model.name}", "-t", tag, "."],
        cwd=ROOT,
        check=True,
        timeout=3600,
    )
    container = None
    try:
        container = subprocess.run(
            ["docker", "run", "--detach", "--publish", "127.0.0.1::5005"]
            + ["--env", "ACTION_SERVER_URL=http://127.0.0.1:5055/webhook"]
            + ["--env", "ACTION_SERVER_TOKEN=an-image-test-secret"]
            + ["--env", "BOT_DB_URL=sqlite:////app/var/conversations.db", tag],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        port = subprocess.run(
            ["docker", "port", container, "5005/tcp"], check=True, capture_output=True, text=True
        ).stdout.split()[0]
        url = f"http://{port}"
        deadline = time.monotonic() + 300
        while True:
            try:
                if requests.get(url + "/", timeout=5).ok:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "the container's server never became ready"
            time.sleep(2)
        response = requests.post(
            url + "/webhooks/rest/webhook",
            json={"sender": "image-test", "message": "hi"},
            timeout=60,
        )
        assert response.status_code == 200
        assert any(reply.get("text") for reply in response.json()), response.text
    except BaseException:
        if container:
            logs = subprocess.run(["docker", "logs", container], capture_output=True, text=True)
            print(logs.stdout[-3000:], logs.stderr[-3000:])
        raise
    finally:
        if container:
            subprocess.run(["docker", "rm", "--force", container], capture_output=True)
        subprocess.run(["docker", "rmi", "--force", tag], capture_output=True)
