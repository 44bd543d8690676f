"""gitcheckpoints/ speaks exactly the wire declared in src/contract/.

The engine build emits the contract as JSON (scripts/build-contract.mjs, run by
the session fixture from the current sources); these tests read the Python
package's source and fail when it names an engine method, param, error code or
environment variable that the contract lacks, or misses one the contract has.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "gitcheckpoints"

#: The methods of EngineClient (held as ``client`` or ``self._client``) that send a request.
REQUEST_CALLS = {"request", "submit", "call_during_start"}
#: Calls whose first argument is an error code.
CODE_CALLS = {"of", "status_of", "CheckpointsError"}
ENV_NAME = re.compile(r"^GITCHECKPOINTS_[A-Z0-9_]+$")
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass
class Usage:
    """What some Python source names of the wire."""

    #: method -> the param sets of each request sent (nested: "remote.url").
    requests: dict[str, list[set[str]]] = field(default_factory=dict)
    codes: set[str] = field(default_factory=set)
    environment: set[str] = field(default_factory=set)


def scan(source: str, usage: Usage | None = None) -> Usage:
    usage = usage or Usage()
    tree = ast.parse(source)
    for function in [tree, *(n for n in ast.walk(tree) if isinstance(n, FUNCTIONS))]:
        _scan_requests(function, usage)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in CODE_CALLS and node.args:
            if isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                usage.codes.add(node.args[0].value)
        if isinstance(node, ast.Compare) and _name(node.left) == "code":
            usage.codes.update(c.value for c in node.comparators if isinstance(c, ast.Constant))
        if isinstance(node, ast.keyword) and node.arg and ENV_NAME.match(node.arg):
            usage.environment.add(node.arg)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if ENV_NAME.match(node.value):
                usage.environment.add(node.value)
    return usage


def _scan_requests(scope: ast.AST, usage: Usage) -> None:
    """Requests sent in one function, with params given inline or built in a local dict."""
    local_dicts: dict[str, set[str]] = {}
    for node in _own_nodes(scope):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and isinstance(node.value, ast.Dict):
                    local_dicts.setdefault(target.id, set()).update(_keys(node.value))
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and isinstance(target.slice, ast.Constant)
                ):
                    local_dicts.setdefault(target.value.id, set()).add(target.slice.value)
    for node in _own_nodes(scope):
        if not _is_request(node):
            continue
        method = node.args[0]
        if not (isinstance(method, ast.Constant) and isinstance(method.value, str)):
            raise AssertionError(f"line {node.lineno}: engine method is not a literal")
        params: set[str] = set()
        if len(node.args) > 1:
            given = node.args[1]
            if isinstance(given, ast.Dict):
                params = _keys(given)
            elif isinstance(given, ast.Name) and given.id in local_dicts:
                params = local_dicts[given.id]
            else:
                raise AssertionError(f"line {node.lineno}: params of '{method.value}' not literal")
        usage.requests.setdefault(method.value, []).append(params)


def _own_nodes(scope: ast.AST) -> list[ast.AST]:
    """The nodes of a function (or module) without those of the functions nested in it."""
    found: list[ast.AST] = []
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _is_request(node: ast.AST) -> bool:
    """``<...client>.request(...)`` and the like: a request to the engine process."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in REQUEST_CALLS
        and "client" in (_name(node.func.value) or "")
        and bool(node.args)
    )


def _keys(node: ast.Dict, prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in zip(node.keys, node.values):
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            keys.add(prefix + key.value)
            for nested in ast.walk(value):
                if isinstance(nested, ast.Dict):
                    keys |= _keys(nested, f"{prefix}{key.value}.")
    return keys


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _param_names(specs: dict[str, Any], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for name, spec in specs.items():
        names.add(prefix + name)
        names |= _param_names(spec.get("fields", {}), f"{prefix}{name}.")
    return names


def _required(specs: dict[str, Any]) -> set[str]:
    return {name for name, spec in specs.items() if spec.get("required")}


def mismatches(usage: Usage, contract: dict[str, Any]) -> list[str]:
    """Every way the usage and the contract disagree, as sentences."""
    problems: list[str] = []
    methods = contract["methods"]
    for method in sorted(set(usage.requests) - set(methods)):
        problems.append(f"engine method '{method}' is not in the contract")
    for method in sorted(set(methods) - set(usage.requests)):
        problems.append(f"engine method '{method}' is never called")
    for method, calls in usage.requests.items():
        if method not in methods:
            continue
        declared = _param_names(methods[method]["params"])
        used = set().union(*calls)
        for name in sorted(used - declared):
            problems.append(f"'{method}' has no param '{name}'")
        for name in sorted(declared - used):
            problems.append(f"'{method}' param '{name}' is never sent")
        for call in calls:
            for name in sorted(_required(methods[method]["params"]) - call):
                problems.append(f"a '{method}' request lacks the required '{name}'")
    for code in sorted(usage.codes - set(contract["errors"])):
        problems.append(f"error code '{code}' is not in the contract")
    for code in sorted(set(contract["serverErrors"]) - usage.codes):
        problems.append(f"the server's error code '{code}' is never raised")
    environment = set(contract["environment"])
    for name in sorted(usage.environment - environment):
        problems.append(f"variable {name} is not in the contract")
    for name in sorted(environment - usage.environment):
        problems.append(f"variable {name} is never passed to the engine")
    return problems


@pytest.fixture(scope="module")
def contract(engine_bundle: Path) -> dict[str, Any]:
    # engine_bundle has just run the build, which writes the contract beside the bundle.
    return json.loads((engine_bundle.parent / "contract.json").read_text())


@pytest.fixture(scope="module")
def usage() -> Usage:
    found = Usage()
    for path in sorted(PACKAGE.glob("*.py")):
        scan(path.read_text(encoding="utf-8"), found)
    return found


def test_the_package_speaks_the_contract(usage, contract):
    assert mismatches(usage, contract) == []


def test_the_scan_sees_every_kind_of_mistake(contract):
    """The check above cannot pass by missing what it looks for."""
    source = """
async def create(client, path, message):
    params = {"path": path, "pushed": True}
    params["mesage"] = message
    return await client.request("create", params)

def stray(client, error):
    client.submit("craete")
    client.request("configure", {"remote": {"url": "u", "user": "x"}})
    if error.code == "OutsideRepo":
        raise CheckpointsError.of("NotARealCode", "no")
    return dict(GITCHECKPOINTS_DIRECTORY="/home")
"""
    problems = mismatches(scan(source), contract)
    for expected in (
        "engine method 'craete' is not in the contract",
        "engine method 'list' is never called",
        "'create' has no param 'mesage'",
        "'create' param 'message' is never sent",
        "'configure' has no param 'remote.user'",
        "'configure' param 'remote.username' is never sent",
        "error code 'OutsideRepo' is not in the contract",
        "error code 'NotARealCode' is not in the contract",
        "the server's error code 'EngineUnavailable' is never raised",
        "variable GITCHECKPOINTS_DIRECTORY is not in the contract",
        "variable GITCHECKPOINTS_USER is never passed to the engine",
    ):
        assert expected in problems, (expected, problems)
    missing = mismatches(scan('client.request("read", {"path": p})'), contract)
    assert "a 'read' request lacks the required 'id'" in missing


def test_remote_settings_have_the_contract_fields(contract):
    from gitcheckpoints.config import RemoteSettings

    assert [f.name for f in fields(RemoteSettings)] == contract["remoteSettingFields"]


def test_python_defaults_are_the_contract_defaults(contract):
    from gitcheckpoints.config import GitCheckpointsConfig

    config = GitCheckpointsConfig()
    defaults = contract["defaults"]
    assert config.history_length == defaults["HISTORY_LENGTH"] == 10
    assert config.max_file_size == defaults["MAX_FILE_SIZE"]
    assert config.branch_template == defaults["BRANCH_TEMPLATE"]


def test_error_statuses_are_the_contract_statuses(contract):
    from gitcheckpoints.errors import CheckpointsError

    assert CheckpointsError.outside_repository("a").status == 403
    assert CheckpointsError.unavailable("gone").status == 503
    for code, status in contract["errors"].items():
        assert CheckpointsError.of(code, "m").status == status
