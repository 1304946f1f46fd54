"""What the learner's code may use of the package while a notebook is graded.

While notebook N is graded, the learner's code may use every function of ``dnn_utils``
except the *stand-ins* of N's exercises, which the sandbox's copy of the package replaces
by a stub that raises a plain note (:mod:`~dnn_utils.workbook.sandbox.package_copy`). The
stand-ins of an exercise are

1. its reference: the package's function of the same name (``two_layer_model``);
2. the functions declared in :data:`STANDS_IN` to do its work under another name (the
   update in place for ``update_parameters``, another gradient-descent loop);
3. what those delegate their work to, found by reading their code (``two_layer_model``
   calls ``train``): every public function they use, directly or through another
   stand-in, except the :data:`HELPERS` (checks, plots, data, ...) and the blocks N's
   exercises build on: the stand-ins of the exercises of earlier notebooks (notebook
   03's loops call notebook 02's blocks, and may call the package's) and what N's
   solution notebook itself imports from the package (notebook 02 hands the learner
   ``relu`` and ``sigmoid``).

Whatever wraps a stand-in (``experiments.train_with_history`` calls ``L_layer_model``)
raises too, because it calls the stub. Every public function of the package's lesson
modules is either a reference, a stand-in found by rule 3, or declared here:
``tests/test_package_rules.py`` fails, naming it, for a new function that is none of
these, so a new helper cannot slip through unnoticed.
"""

from __future__ import annotations

import ast
import functools
import json
from pathlib import Path

import dnn_utils

#: Modules of ``graded/`` the sandbox keeps (the others hold the tests and their answers).
GRADED_KEPT = ("failure.py", "results.py", "unfinished.py")

#: Public functions that do no exercise's work (checks, data, plots, diagrams, files, the
#: activations the blocks are built on); a helper that calls a stand-in still raises.
HELPERS = {
    "activations": "relu sigmoid relu_backward sigmoid_backward layer_activation "
                   "check_activation",
    "cli": "build_parser main",
    "contracts": "check_label_row check_linear_inputs check_model_input "
                 "check_linear_cache check_activation_cache check_gradient_in "
                 "check_activation_backward check_caches check_predictions check_grads "
                 "check_training_data check_classes",
    "cost": "clip_probabilities",
    "data": "find_data_dir sha256_of load_data class_name flatten_images "
            "split_train_validation",
    "cat_diagrams": "draw_architecture draw_flattening",
    "diagrams": "draw_blocks draw_network",
    "drawing": "arrow canvas rounded_box",
    "experiments": "train_with_history make_rings weights_as_images first_layer_through "
                   "boundary_distances count_pieces_1d activation_patterns",
    "files": "write_atomically write_bytes_atomically require_regular_file",
    "gradient_check": "relative_difference numerical_gradient gradient_check",
    "graded.failure": "wrap_feedback named fail success not_implemented not_answered "
                      "is_unanswered returned_none describe type_name split_key sorted_keys "
                      "explain_exception likely_cause is_learner_file learner_line",
    "graded.results": "see_result",
    "graded.unfinished": "uses_exercise",
    "images": "load_image predict_image demo_image_path",
    "models": "suggest_learning_rate check_cost_history check_not_diverged predict accuracy",
    "params": "save_parameters check_archive load_parameters",
    "plots": "plot_examples plot_costs print_mislabeled_images",
    "resources": "available_memory training_memory format_bytes require_memory",
    "shapes": "format_shapes",
    "training_run": "check_cat_layers output_paths load_cat_data train_cat_model saved_cost "
                    "check_not_worse save_run",
    "validation": "as_matrix require_finite quiet_nonfinite require_finite_result "
                  "require_shape require_labels require_positive_number require_count "
                  "check_layer_dims check_parameters parse_positive_number parse_count "
                  "parse_layer_dims",
}

#: Public functions that do an exercise's work under another name: the exercises.
STANDS_IN = {
    "models.update_in_place": ("update_parameters",),  # the same step, written in place
    "experiments.train_from": ("two_layer_model", "L_layer_model"),  # a descent loop
    "shapes.layer_shapes": ("network_shapes",),  # every layer's W, b, Z and A shapes
}


def package_dir() -> Path:
    """The installed ``dnn_utils`` folder (the one the sandbox copies)."""
    return Path(dnn_utils.__file__).resolve().parent


def lesson_modules(root: Path | None = None) -> dict[str, Path]:
    """The modules the sandbox's copy keeps outside ``workbook/``, by dotted name."""
    root = package_dir() if root is None else root
    found = {p.stem: p for p in root.glob("*.py") if p.stem not in ("__init__", "__main__")}
    found.update({f"graded.{name[:-3]}": root / "graded" / name for name in GRADED_KEPT})
    return found


def _imports(tree: ast.Module, module: str) -> dict[str, tuple[str, str | None]]:
    """Local name -> (module, function or None for a module) of the relative imports."""
    package = module.rsplit(".", 1)[0] if "." in module else ""
    names = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package if node.level == 1 else ""
            source = ".".join(p for p in (base, node.module or "") if p)
            for alias in node.names:
                local = alias.asname or alias.name
                names[local] = (source, alias.name) if source else (alias.name, None)
    return names


@functools.cache
def call_graph(root: Path | None = None) -> dict[str, set[str]]:
    """``"module.function"`` -> the package functions its code names, for every public and
    private top-level function of the lesson modules under ``root`` (the installed
    package by default), read with :mod:`ast`."""
    graph = {}
    modules = lesson_modules(root)
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = _imports(tree, module)
        own = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef):
                continue
            used = set()
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name) and sub.id in own and sub.id != node.name:
                    used.add(f"{module}.{sub.id}")
                elif isinstance(sub, ast.Name) and imports.get(sub.id, (None, None))[1]:
                    used.add(".".join(imports[sub.id]))
                elif (isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name)
                      and imports.get(sub.value.id, (None, ""))[1] is None
                      and sub.value.id in imports):
                    used.add(f"{imports[sub.value.id][0]}.{sub.attr}")
            graph[f"{module}.{node.name}"] = {u for u in used if u.split(".")[-1][:1] != "_"}
    return graph


def public_functions(root: Path | None = None) -> list[str]:
    """Every public top-level function of the lesson modules, as ``"module.function"``."""
    return sorted(f for f in call_graph(root) if not f.rsplit(".", 1)[1].startswith("_"))


def helpers() -> set[str]:
    """:data:`HELPERS` as ``"module.function"`` names."""
    return {f"{module}.{name}" for module, names in HELPERS.items() for name in names.split()}


def stand_ins(exercises, earlier=(), root: Path | None = None, handed=()) -> set[str]:
    """The stand-ins of ``exercises`` (see the module docstring), ``earlier`` being the
    exercises of the notebooks before theirs, in order, and ``handed`` the functions
    their notebook imports (never found by delegation, rule 3)."""
    graph = call_graph(root)
    blocks = (stand_ins(earlier, root=root) if earlier else set()) | set(handed)
    exercises = set(exercises)
    found = {f for f in public_functions(root) if f.rsplit(".", 1)[1] in exercises}
    found |= {f for f, names in STANDS_IN.items() if exercises & set(names)}
    queue, excluded = list(found), helpers() | blocks
    while queue:
        for used in graph.get(queue.pop(), ()):
            if used in graph and used not in found and used not in excluded:
                found.add(used)
                queue.append(used)
    return found


def exercises_by_notebook(reference_dir) -> dict[str, list[str]]:
    """The exercises of each solution notebook in ``reference_dir``, in notebook order."""
    found = {}
    for path in sorted(Path(reference_dir).glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        meta = [c.get("metadata", {}).get("nbgrader", {}) for c in cells]
        found[path.stem] = [m["grade_id"] for m in meta
                            if isinstance(m, dict) and m.get("grade") and "grade_id" in m]
    return found


def unclassified(reference_dir, root: Path | None = None) -> list[str]:
    """The public functions that are neither a stand-in of some notebook's exercise nor
    declared: each needs an entry in :data:`HELPERS` or :data:`STANDS_IN`."""
    classified, earlier = helpers(), []
    for names in exercises_by_notebook(reference_dir).values():
        classified |= stand_ins(names, earlier, root)
        earlier += names
    return [f for f in public_functions(root) if f not in classified]


def _reexports(root: Path | None = None) -> dict[str, str]:
    """``{name: "module.function"}`` of what ``dnn_utils/__init__.py`` imports."""
    tree = ast.parse(((package_dir() if root is None else root) / "__init__.py").read_text(
        encoding="utf-8"))
    return {alias.asname or alias.name: f"{node.module}.{alias.name}" for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
            for alias in node.names}


def given(solution_path, root: Path | None = None) -> set[str]:
    """The package functions a solution notebook's cells import (``from dnn_utils...``)."""
    graph, reexports, found = call_graph(root), _reexports(root), set()
    for cell in json.loads(Path(solution_path).read_text(encoding="utf-8")).get("cells", []):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "dnn_utils":
                module = node.module[len("dnn_utils"):].lstrip(".")
                for alias in node.names:
                    name = f"{module}.{alias.name}" if module else reexports.get(alias.name)
                    if name in graph:
                        found.add(name)
    return found


def unavailable(stem: str, exercises, reference_dir) -> set[str]:
    """The stand-ins stubbed while notebook ``stem`` (with ``exercises``) is graded."""
    earlier = []
    for other, names in exercises_by_notebook(reference_dir).items():
        if other >= stem:
            break
        earlier += names
    solution = Path(reference_dir) / f"{stem}.ipynb"
    handed = given(solution) if solution.is_file() else set()
    return stand_ins(exercises, earlier, handed=handed)
