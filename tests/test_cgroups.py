"""The cgroups that cap a whole sandbox, and what the report says when none can be made."""

import subprocess
import sys

from ci_skip import skip_or_fail

from dnn_utils.workbook.sandbox import cgroups


def test_without_cgroups_the_caps_are_missing_and_the_notes_say_so(tmp_path, monkeypatch):
    monkeypatch.setattr(cgroups, "ROOT", tmp_path)  # no hierarchy mounted there
    groups = cgroups.create(256, 2**30)
    assert (groups.pids, groups.memory, groups.made) == (None, None, [])
    notes = cgroups.limit_notes(groups, root=True)
    assert notes == [
        "the number of processes in the sandbox was not limited: the grader runs as root "
        "and no pids cgroup could be created",
        "the sandbox's total memory was not capped (no memory cgroup could be created "
        "here); each of its processes is still limited on its own"]
    assert cgroups.limit_notes(groups, root=False) == notes[1:]
    assert groups.oom_kills() == 0
    groups.remove()


def test_a_memory_group_caps_what_joins_it_and_is_removed():
    groups = cgroups.create(64, 256 * 2**20)
    try:
        if groups.memory is None:
            skip_or_fail("no memory cgroup can be created on this machine")
        if groups.pids is not None:
            assert cgroups.limit_notes(groups, root=True) == []
        # A child in the group that touches 512 MB is killed by the cap of 256 MB.
        hog = subprocess.run(
            [sys.executable, "-c", "b = bytes([1]) * (512 * 2**20)"],
            preexec_fn=groups.join, timeout=120, check=False)
        assert hog.returncode == -9, hog
        assert groups.oom_kills() >= 1
    finally:
        made = list(groups.made)
        groups.remove()
    assert not any(group.exists() for group in made)
