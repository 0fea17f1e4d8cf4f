"""deploy/: every file is well-formed and the pieces fit together.

Docker and Kubernetes cannot run here, so the files are read with PyYAML and
checked for what running past one machine depends on: replicas, the shared
stores, secrets only from the environment, and a websocket-only proxy.
"""

import re
from pathlib import Path

import pytest
import yaml
from rasa.core.utils import AvailableEndpoints
from rasa.shared.utils.common import class_from_module_path

from tools.in_process import ROOT

DEPLOY = ROOT / "deploy"
YAML_FILES = sorted(DEPLOY.rglob("*.yml")) + sorted(DEPLOY.rglob("*.yaml"))
SECRETS = {"POSTGRES_PASSWORD", "TWILIO_AUTH_TOKEN", "SMS_SENDER_KEY", "WEBCHAT_SESSION_KEY"}
SHARED_STORES = {"BOT_DB_URL", "BOT_REDIS_URL", "SMS_OPTOUT_DB", "ACTION_SERVER_URL"}


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
    monkeypatch.setenv("BOT_DB_URL", "postgresql://lar@postgres/lar")
    endpoints = AvailableEndpoints.read_endpoints(str(DEPLOY / "endpoints.yml"))
    assert endpoints.action.url == "http://actions:5055/webhook"
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


def test_the_image_copies_what_exists_and_starts_no_api():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    for line in re.sub(r"\\\n", " ", dockerfile).splitlines():
        if line.startswith("COPY ") and "--from=" not in line and "${" not in line:
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source
    assert "--enable-api" not in dockerfile
