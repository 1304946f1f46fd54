"""The cluster figures come from one place, deploy/sizing.json, and everything agrees with it.

The Slurm scripts' ``#SBATCH --mem``/``--time``, the Kubernetes resources and the sizing
table of docs/CLUSTERS.md are derived by :mod:`dnn_utils.workbook.classroom.sizing`; when the
figures are measured again, these tests name each value to change.
"""

import re
from pathlib import Path

import pytest
from k8s_manifests import by_kind, pod, render

from dnn_utils.workbook.authoring.release import default_source_dir
from dnn_utils.workbook.classroom import sizing
from dnn_utils.workbook.sandbox.session import MEMORY_LIMIT_BYTES

ROOT = Path(__file__).resolve().parents[1]


def sbatch(name) -> dict:
    text = (ROOT / "deploy" / "slurm" / name).read_text()
    return dict(re.findall(r"^#SBATCH --([\w-]+)=(\S+)$", text, re.M))


def test_every_notebook_has_its_measured_figures():
    figures = sizing.load()
    notebooks = sorted(p.stem for p in Path(default_source_dir()).glob("*.ipynb"))
    assert sorted(figures["notebooks"]) == notebooks
    for name, measured in figures["notebooks"].items():
        assert measured["seconds"] > 0 and measured["peak_mib"] > 0, name
        assert 0 < measured["cpu_seconds"], name
        # --no-skip runs every cell: never quicker than the default, by more than noise.
        assert measured["no_skip_seconds"] > 0, name
        assert measured["no_skip_cpu_seconds"] >= 0.5 * measured["cpu_seconds"], name
    assert figures["merge"]["submissions"] >= 1000 and figures["merge"]["peak_mib"] > 0


def test_slurm_memory_and_time_are_the_derived_ones():
    array, merge = sbatch("grade_array.sbatch"), sbatch("merge.sbatch")
    assert array["mem"] == f"{sizing.limit_mib()}M", "set #SBATCH --mem in grade_array.sbatch"
    assert array["time"] == sizing.default_shard_time(), \
        "set #SBATCH --time in grade_array.sbatch"
    assert sizing.limit_mib() * 2**20 > MEMORY_LIMIT_BYTES
    assert merge["mem"] == f"{sizing.merge_mib()}M", "set #SBATCH --mem in merge.sbatch"
    assert merge["time"] == sizing.merge_time(sizing.MERGE_CLASS), \
        "set #SBATCH --time in merge.sbatch"


def test_kubernetes_resources_are_the_derived_ones():
    found = by_kind(render(2))
    grade = pod(found["Job", "dnn-grade"])["containers"][0]["resources"]
    assert grade["requests"]["memory"] == f"{sizing.request_mib()}Mi"
    assert grade["limits"]["memory"] == f"{sizing.limit_mib()}Mi"
    merge = pod(found["Job", "dnn-grade-merge"])["containers"][0]["resources"]
    assert merge["limits"]["memory"] == f"{sizing.merge_mib()}Mi"


def test_the_docs_table_is_the_measured_one():
    text = (ROOT / "docs" / "CLUSTERS.md").read_text()
    table = re.search(r"<!-- sizing-table[^>]*-->\n(.*?)\n<!-- end sizing-table -->", text,
                      re.S)
    assert table is not None and table[1].splitlines() == sizing.table()


@pytest.mark.parametrize("seconds, expected", [
    (1, "00:10:00"), (301, "00:15:00"), (3 * 3600, "06:00:00"), (13 * 3600, "1-02:00:00")])
def test_slurm_time_format(seconds, expected):
    assert sizing.slurm_time(seconds) == expected


def test_the_sbatch_options_for_a_class_follow_its_shards(tmp_path, capsys):
    figures = sizing.load()
    slowest = max(figures["notebooks"], key=lambda n: figures["notebooks"][n]["cpu_seconds"])
    for learner in ("ann", "bo", "cy"):
        (tmp_path / learner).mkdir()
        (tmp_path / learner / f"{slowest}.ipynb").write_text("{}")
    assert sizing.main([str(tmp_path), "1"]) == 0
    one = figures["notebooks"][slowest]["cpu_seconds"] * 3
    assert capsys.readouterr().out.split() == [f"--time={sizing.slurm_time(one)}",
                                               f"--mem={sizing.limit_mib()}M"]
    # With --no-skip among the grade options, the shards get the --no-skip figures.
    assert sizing.main([str(tmp_path), "1", "--limit", "900", "--no-skip"]) == 0
    every_cell = figures["notebooks"][slowest]["no_skip_cpu_seconds"] * 3
    assert capsys.readouterr().out.split()[0] == f"--time={sizing.slurm_time(every_cell)}"
    assert sizing.main([str(tmp_path / "nothing"), "2"]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert sizing.main([str(tmp_path), "0"]) == 2


def test_the_no_skip_figures_size_a_no_skip_class(tmp_path):
    nb02, nb03 = "02_building_your_deep_network", "03_cat_classifier_application"
    figures = {"notebooks": {nb03: {"cpu_seconds": 5.0, "no_skip_cpu_seconds": 60.0},
                             nb02: {"cpu_seconds": 8.0, "no_skip_cpu_seconds": 8.0}},
               "merge": {"submissions": 1}}
    for learner in ("ann", "bo"):
        for name in (nb03, nb02):
            (tmp_path / learner).mkdir(exist_ok=True)
            (tmp_path / learner / f"{name}.ipynb").write_text("{}")
    assert sizing.shard_seconds(tmp_path, 1, figures) == 26.0
    assert sizing.shard_seconds(tmp_path, 1, figures, skip=False) == 136.0
    # A notebook the figures do not know gets the slowest known one, the same way.
    assert sizing.notebook_seconds("07_new", figures, skip=False) == 60.0


@pytest.mark.parametrize("text, message", [
    ("{}", "is unreadable"), ('{"notebooks": {}, "merge": {"submissions": 1}}',
                              "holds no measured notebook"), ("not json", "is unreadable")])
def test_missing_figures_are_a_clear_error(tmp_path, text, message):
    from dnn_utils.workbook.authoring.conventions import WorkbookError

    (tmp_path / "sizing.json").write_text(text)
    with pytest.raises(WorkbookError, match=f"{message}.*measure_notebooks.py --write"):
        sizing.load(tmp_path / "sizing.json")
