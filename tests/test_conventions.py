"""The course's notebook conventions, one named test per rule and notebook.

Each test fails on its own (`test_imports_only_in_setup_cell[06_imdb_sentiment]`), so the first
broken rule never hides the others, and each message names the cell and says what to change.
The rules:

- the first code cell is the setup cell: `import helpers` first, `SEED = helpers.setup(seed=42)`;
- imports only in the setup cell; no seeding, `os.environ` or logger calls in cells;
- random data from explicit, seeded generators created in the cell that draws from them;
- `helpers.record_results("<file name>", ...)` once; profile-dependent values via `helpers.pick`;
- code cells within a 25-line budget (the setup cell's imports not counted), or a visible
  `# long-cell: <reason>` first line;
- no execution timestamps or volatile metadata, one kernelspec (tools/clean_notebooks.py).

Sources are read with `ast`, so text in strings and comments never trips a rule. The Colab
install cell (tagged `colab`, added by tools/notebook_chrome.py) is not a learner's cell and is
left out.
"""

from __future__ import annotations

import ast
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import load_tool

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LINE_BUDGET = 25
OPT_OUT = re.compile(r"^# long-cell: *\S")  # a reason must follow the colon
GENERATOR_FACTORIES = ("default_rng", "Generator", "RandomState", "Random")
NUMPY_RANDOM_OK = {
    "default_rng",
    "Generator",
    "SeedSequence",
    "BitGenerator",
    "PCG64",
    "PCG64DXSM",
    "Philox",
    "SFC64",
    "MT19937",
}
SEEDING_AND_QUIETING = (  # dotted-name endings that helpers.setup / helpers.set_seed own
    "utils.set_random_seed",
    "random.set_seed",
    "random.seed",
    "getLogger",
    "get_logger",
    "absl.logging.set_verbosity",
    "autograph.set_verbosity",
    "enable_op_determinism",
    "os.putenv",
)

nb_params = pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in NOTEBOOKS])


CLEAN = load_tool("clean_notebooks")  # the one definition of "volatile" and of the kernelspec


@dataclass(frozen=True)
class Cell:
    number: int  # 1-based position among all cells of the notebook (as JupyterLab lists them)
    source: str

    def where(self, line: int | None = None) -> str:
        first = next((ln.strip() for ln in self.source.splitlines() if ln.strip()), "")
        at = f"cell {self.number}" + (f" line {line}" if line else "")
        text = self.source.splitlines()[line - 1].strip() if line else first
        return f"{at} `{text[:70]}`"


@functools.cache
def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def _code_cells(path: Path) -> tuple[Cell, ...]:
    """Code cells a learner runs, numbered as in the notebook (the Colab install cell left out)."""
    return tuple(
        Cell(i, "".join(c["source"]))
        for i, c in enumerate(_nb(path)["cells"], start=1)
        if c["cell_type"] == "code" and "colab" not in c.get("metadata", {}).get("tags", [])
    )


@functools.cache
def _tree(cell: Cell) -> ast.Module:
    """The cell's syntax tree (IPython magics and shell escapes blanked, line numbers kept)."""
    lines = ["" if ln.lstrip().startswith(("%", "!")) else ln for ln in cell.source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError as err:
        pytest.fail(
            f"{cell.where()} is not valid Python ({err.msg}, line {err.lineno}): fix the cell"
        )


def _dotted(node: ast.AST) -> str:
    """`np.random.seed` for the expression np.random.seed; '' for anything else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return ""


def _calls(tree: ast.AST) -> list[tuple[str, ast.Call]]:
    return [(_dotted(n.func), n) for n in ast.walk(tree) if isinstance(n, ast.Call)]


def _setup(path: Path) -> Cell:
    cells = _code_cells(path)
    if not cells:
        pytest.fail("the notebook has no code cells: it needs at least the setup cell")
    return cells[0]


def _report(findings: list[str], advice: str) -> None:
    findings = list(dict.fromkeys(findings))  # one line per place, in order
    assert not findings, f"{advice}:\n  " + "\n  ".join(findings)


# ---------------------------------------------------------------- the setup cell


@nb_params
def test_setup_cell_starts_with_import_helpers(path):
    cell = _setup(path)
    body = _tree(cell).body
    first = body[0] if body else None
    ok = isinstance(first, ast.Import) and [a.name for a in first.names] == ["helpers"]
    assert ok, (
        f"the setup cell ({cell.where()}) must start with `import helpers  # isort: skip`: it sets "
        "TensorFlow's environment before TensorFlow loads"
    )


@nb_params
def test_setup_cell_calls_helpers_setup(path):
    cell = _setup(path)
    calls = [
        n.value
        for n in _tree(cell).body
        if isinstance(n, ast.Assign)
        and [_dotted(t) for t in n.targets] == ["SEED"]
        and isinstance(n.value, ast.Call)
        and _dotted(n.value.func) == "helpers.setup"
    ]
    assert len(calls) == 1 and [k.arg for k in calls[0].keywords] == ["seed"], (
        f"the setup cell ({cell.where()}) must hold one line `SEED = helpers.setup(seed=42)` (seeds "
        "every generator, quiets TensorFlow, prints the banner)"
    )


@nb_params
def test_helpers_setup_only_in_setup_cell(path):
    later = [
        c.where(n.lineno)
        for c in _code_cells(path)[1:]
        for name, n in _calls(_tree(c))
        if name.endswith("setup") and name.startswith("helpers")
    ]
    _report(
        later,
        "call helpers.setup once, in the setup cell; reseed between models with "
        "helpers.set_seed(k)",
    )


@nb_params
def test_imports_only_in_setup_cell(path):
    late = [
        c.where(n.lineno)
        for c in _code_cells(path)[1:]
        for n in ast.walk(_tree(c))
        if isinstance(n, (ast.Import, ast.ImportFrom))
    ]
    _report(
        late, "imports outside the setup cell: move them to the setup cell (the first code cell)"
    )


@nb_params
def test_no_seeding_or_tf_quieting_in_cells(path):
    found = []
    for c in _code_cells(path):
        tree = _tree(c)
        found += [
            c.where(n.lineno)
            for name, n in _calls(tree)
            if name.endswith(SEEDING_AND_QUIETING) and not name.startswith("helpers.")
        ]
        found += [
            c.where(n.lineno)
            for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) and _dotted(n) == "os.environ"
        ]
    _report(
        found,
        "helpers.setup(seed=...) seeds Python/NumPy/Keras, quiets TensorFlow and sets its "
        "environment; reseed with helpers.set_seed(k). Remove these lines",
    )


# ---------------------------------------------------------------- random data


@nb_params
def test_random_draws_use_seeded_generators(path):
    found = []
    for c in _code_cells(path):
        for name, n in _calls(_tree(c)):
            parts = name.split(".")
            if parts[:2] in (["np", "random"], ["numpy", "random"]) and len(parts) == 3:
                if parts[2] not in NUMPY_RANDOM_OK:
                    found.append(f"{c.where(n.lineno)}: NumPy's global RNG")
                elif parts[2] == "default_rng" and not (n.args or n.keywords):
                    found.append(f"{c.where(n.lineno)}: an unseeded generator")
            elif len(parts) == 2 and parts[0] == "random" and parts[1] not in ("Random", "seed"):
                found.append(f"{c.where(n.lineno)}: Python's global RNG")
    _report(
        found,
        "draw random data from a seeded generator, rng = np.random.default_rng(seed), "
        "so re-running a cell gives the same data",
    )


def _generator_names(cells: tuple[Cell, ...]) -> dict[str, int]:
    """Notebook-level names bound to a random generator -> the cell that binds them first."""
    names: dict[str, int] = {}
    for c in cells:
        for node in _tree(c).body:
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and _dotted(node.value.func).endswith(GENERATOR_FACTORIES)
            ):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        names.setdefault(target.id, c.number)
    return names


FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _bound_in(node: ast.AST) -> set[str]:
    """Names a function (or any function nested in it) binds: parameters and assignments."""
    return {
        n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    } | {n.arg for n in ast.walk(node) if isinstance(n, ast.arg)}


def _outer_functions(tree: ast.AST) -> list[ast.AST]:
    """Function definitions and lambdas not nested in another one."""
    found: list[ast.AST] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, FUNCTIONS):
                found.append(child)
            else:
                visit(child)

    visit(tree)
    return found


@nb_params
def test_no_notebook_global_rng(path):
    cells = _code_cells(path)
    generators = _generator_names(cells)
    found = []
    for c in cells:
        tree = _tree(c)
        funcs = _outer_functions(tree)
        in_funcs = {id(n) for f in funcs for n in ast.walk(f)}
        for f in funcs:
            own = _bound_in(f)
            for n in ast.walk(f):
                if isinstance(n, ast.Name) and n.id in generators and n.id not in own:
                    name = getattr(f, "name", "lambda")
                    found.append(
                        f"{c.where(n.lineno)}: {name}() reads the notebook-level generator "
                        f"`{n.id}`; give it a seed or rng parameter"
                    )
        here = {
            n.id
            for n in ast.walk(tree)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and id(n) not in in_funcs
        }
        for n in ast.walk(tree):
            if (
                isinstance(n, ast.Name)
                and isinstance(n.ctx, ast.Load)
                and id(n) not in in_funcs
                and n.id in generators
                and n.id not in here
                and generators[n.id] != c.number
            ):
                found.append(
                    f"{c.where(n.lineno)}: draws from `{n.id}`, created in cell "
                    f"{generators[n.id]}, so re-running this cell alone changes its data"
                )
    _report(
        found,
        "create the generator in the cell that draws from it "
        "(rng = np.random.default_rng(SEED + k)), or pass it in",
    )


# ---------------------------------------------------------------- results and profiles


@nb_params
def test_record_results_name_matches_file(path):
    calls = [
        (c, n)
        for c in _code_cells(path)
        for name, n in _calls(_tree(c))
        if name.split(".")[-1] == "record_results"
    ]
    if path.stem.startswith("00"):
        assert not calls, "the start-here notebook measures nothing: it records no results"
        return
    assert calls, (
        f'record the headline metrics once, at the end: helpers.record_results("{path.stem}", '
        "data_sizes=..., headline=...)"
    )
    assert len(calls) == 1, (
        f"record_results is called {len(calls)} times ({[c.number for c, _ in calls]}); "
        "each call overwrites the last: call it once, at the end"
    )
    cell, call = calls[0]
    names = [k.value for k in call.keywords if k.arg == "notebook"] or call.args[:1]
    name = names[0].value if names and isinstance(names[0], ast.Constant) else None
    assert name == path.stem, (
        f'{cell.where(call.lineno)}: write the name as the literal "{path.stem}" '
        "(the notebook's file name), so results/<name>.json matches the notebook"
    )


def _profile_names(cells: tuple[Cell, ...]) -> set[str]:
    """Names bound to helpers.get_profile() / is_smoke() (SMOKE = helpers.is_smoke())."""
    names = set()
    for c in cells:
        for node in _tree(c).body:
            if isinstance(node, ast.Assign) and _mentions_profile(node.value, set()):
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _mentions_profile(node: ast.AST, names: set[str]) -> bool:
    for n in ast.walk(node):
        if isinstance(n, ast.Call) and _dotted(n.func).split(".")[-1] in (
            "get_profile",
            "is_smoke",
        ):
            return True
        if isinstance(n, ast.Constant) and n.value == "COURSE_PROFILE":
            return True
        if isinstance(n, ast.Name) and n.id in names:
            return True
    return False


@nb_params
def test_no_profile_if_chains(path):
    cells = _code_cells(path)
    names = _profile_names(cells)
    found = []
    for c in cells:
        for n in ast.walk(_tree(c)):
            test = (
                n.test
                if isinstance(n, (ast.If, ast.IfExp, ast.While))
                else (n.slice if isinstance(n, ast.Subscript) else None)
            )
            if test is not None and _mentions_profile(test, names):
                found.append(c.where(n.lineno))
    _report(
        found,
        "choose profile-dependent values with helpers.pick(full=..., smoke=...), not a "
        "branch on the profile",
    )


# ---------------------------------------------------------------- cell size and clean metadata


@nb_params
def test_code_cells_within_line_budget(path):
    long = []
    for k, c in enumerate(_code_cells(path)):
        imports = set()  # the setup cell must hold every import: its import lines are not counted
        if k == 0:
            imports = {
                i
                for n in _tree(c).body
                if isinstance(n, (ast.Import, ast.ImportFrom))
                for i in range(n.lineno, (n.end_lineno or n.lineno) + 1)
            }
        lines = [
            ln
            for i, ln in enumerate(c.source.splitlines(), start=1)
            if ln.strip() and i not in imports
        ]
        if len(lines) > LINE_BUDGET and not OPT_OUT.match(c.source.lstrip()):
            long.append(f"{c.where()}: {len(lines)} lines")
    _report(
        long,
        f"code cells over {LINE_BUDGET} non-blank lines: split them (a helper function in "
        "helpers/ or one idea per cell), or make the first line `# long-cell: <reason>`",
    )


@nb_params
def test_no_execution_timestamps(path):
    by_key: dict[str, list[int]] = {}
    for i, c in enumerate(_nb(path)["cells"], start=1):
        for key in set(c.get("metadata", {})) & set(CLEAN.VOLATILE_CELL_KEYS):
            by_key.setdefault(key, []).append(i)
    stamped = [
        f"'{key}' in cells {', '.join(map(str, cells))}" for key, cells in sorted(by_key.items())
    ]
    _report(
        stamped,
        f"execution timestamps or volatile cell metadata: run `python tools/clean_notebooks.py "
        f"notebooks/{path.name}` (and execute with --ExecutePreprocessor.record_timing=False)",
    )


@nb_params
def test_no_volatile_notebook_metadata(path):
    found = sorted(set(_nb(path)["metadata"]) & set(CLEAN.VOLATILE_NOTEBOOK_KEYS))
    _report(
        found,
        f"volatile notebook metadata: run `python tools/clean_notebooks.py notebooks/{path.name}`",
    )


@nb_params
def test_one_kernelspec(path):
    spec = _nb(path)["metadata"].get("kernelspec")
    assert spec == CLEAN.KERNELSPEC, (
        f"kernelspec {spec} is not the course's {CLEAN.KERNELSPEC}: run "
        f"`python tools/clean_notebooks.py notebooks/{path.name}`"
    )


# ---------------------------------------------------------------- the rules themselves are tested

_SETUP = "import helpers  # isort: skip\n\nimport numpy as np\n\nSEED = helpers.setup(seed=42)"
_RECORD = 'helpers.record_results("05_demo", headline={"mse": 0.1})'
_CLEAN_CELLS = [
    "\n".join(
        [
            "import helpers  # isort: skip",
            *(f"import mod{i}" for i in range(30)),
            "SEED = helpers.setup(seed=42)",
        ]
    ),
    "rng = np.random.default_rng(SEED)\nx = rng.normal(size=3)\n\n\n"
    "def draw(n, rng):\n    return rng.normal(size=n)",
    "y = draw(3, np.random.default_rng(SEED + 1))\nN = helpers.pick(full=100, smoke=4)\n"
    "profile = {'a': 1}\nprofile['a']",
    "# long-cell: a table of constants reads best in one place\n"
    + "\n".join(f"A{i} = {i}" for i in range(30)),
    _RECORD,
]
_BROKEN = {  # rule -> the code cells of a notebook that breaks it (and only it)
    "test_setup_cell_starts_with_import_helpers": [
        "import numpy as np\nimport helpers\nSEED = helpers.setup(seed=42)",
        _RECORD,
    ],
    "test_setup_cell_calls_helpers_setup": ["import helpers\nhelpers.setup(seed=42)", _RECORD],
    "test_helpers_setup_only_in_setup_cell": [_SETUP, "helpers.setup(seed=1)", _RECORD],
    "test_imports_only_in_setup_cell": [
        _SETUP,
        "def pi():\n    from math import pi\n    return pi",
        _RECORD,
    ],
    "test_no_seeding_or_tf_quieting_in_cells": [_SETUP, "keras.utils.set_random_seed(1)", _RECORD],
    "test_random_draws_use_seeded_generators": [_SETUP, "x = np.random.rand(3)", _RECORD],
    "test_no_notebook_global_rng": [
        _SETUP,
        "rng = np.random.default_rng(1)",
        "x = rng.normal()",
        _RECORD,
    ],
    "test_record_results_name_matches_file": [_SETUP, _RECORD.replace("05_demo", "05_other")],
    "test_no_profile_if_chains": [
        _SETUP,
        "SMOKE = helpers.is_smoke()\nN = 4 if SMOKE else 100",
        _RECORD,
    ],
    "test_code_cells_within_line_budget": [
        _SETUP,
        "\n".join(f"A{i} = {i}" for i in range(26)),
        _RECORD,
    ],
}


def _demo_notebook(folder: Path, cells: list[str], **metadata: object) -> Path:
    path = folder / "05_demo.ipynb"
    code = [
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": s}
        for s in cells
    ]
    nb = {
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": "# 05 · Demo"}, *code],
        "metadata": {"kernelspec": dict(CLEAN.KERNELSPEC), **metadata},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


RULES = sorted(name for name in globals() if name.startswith("test_"))  # the rules above


def test_a_clean_notebook_passes_every_rule(tmp_path):
    path = _demo_notebook(tmp_path, _CLEAN_CELLS)
    for rule in RULES:
        globals()[rule](path)


@pytest.mark.parametrize("rule", sorted(_BROKEN))
def test_each_rule_catches_its_violation(rule, tmp_path):
    path = _demo_notebook(tmp_path, _BROKEN[rule])
    with pytest.raises(AssertionError):
        globals()[rule](path)
    for other in set(RULES) - {rule}:  # and no other rule fires: each one fails on its own
        globals()[other](path)


def test_metadata_rules_catch_timestamps_and_kernelspecs(tmp_path):
    path = _demo_notebook(
        tmp_path, [_SETUP, _RECORD], kernelspec={"name": "python3", "display_name": "Python 3"}
    )
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][1]["metadata"]["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z"}
    path.write_text(json.dumps(nb), encoding="utf-8")
    for rule in (test_no_execution_timestamps, test_one_kernelspec):
        with pytest.raises(AssertionError, match="clean_notebooks"):
            rule(path)
