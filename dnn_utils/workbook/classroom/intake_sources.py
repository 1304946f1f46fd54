"""Read what an instructor downloaded (a zip archive or a folder) without trusting it.

A :class:`Source` lists the entries of a zip file or of a folder tree as relative POSIX
paths with their kind and size, and reads a file's bytes with a bound. It is the only
place the import step touches the learners' files:

- **Archives** are refused as a whole, naming the entry, when an entry is a link, has an
  absolute path, a drive letter, a backslash or a ``..`` part (a "zip slip" would write
  outside the class folder), when the archive holds more than :data:`MAX_ENTRIES`
  entries, or when the declared sizes of its files add up to more than ``total_limit``
  bytes (a "zip bomb"). A file is read at most up to its declared size and the bound; more
  bytes than declared, or a bad checksum, is an error naming the entry.
- **Folders** are walked without following links: a link, a device or a FIFO is listed
  as such (the import reports it and never opens it); a file is opened with
  ``O_NOFOLLOW`` and read up to the bound. Hidden folders (``.git``,
  ``.ipynb_checkpoints``) are listed once, not walked.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..authoring.conventions import WorkbookError

#: Entries an archive or a folder may hold (more is refused as a likely bomb).
MAX_ENTRIES = 100_000
#: Folders below the source a folder walk descends at most.
MAX_DEPTH = 32
#: Bytes one notebook may hold (larger ones are reported and not taken).
MAX_NOTEBOOK_BYTES = 50 * 1024**2
#: Bytes the files of one archive may declare in all.
MAX_TOTAL_BYTES = 8 * 1024**3

FILE, FOLDER, LINK, OTHER, HIDDEN = "file", "folder", "link", "other", "hidden folder"


class IntakeError(WorkbookError):
    """A source cannot be imported as it is (the message names the file and the fix)."""


class TooLarge(Exception):
    """A file holds more bytes than the bound it is read with."""


@dataclass(frozen=True)
class Entry:
    """One entry of a source: ``path`` relative to the source's top, POSIX style."""

    path: PurePosixPath
    kind: str
    size: int


def _safe_member_path(name: str, archive: Path) -> PurePosixPath:
    """The entry's path, or IntakeError when it could land outside the class folder."""
    problem = None
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        problem = "an absolute path"
    elif "\\" in name:
        problem = "a backslash in its path (a Windows path that may point elsewhere)"
    elif ".." in PurePosixPath(name).parts:
        problem = "a '..' part in its path (it would be written outside the class folder)"
    elif "\0" in name:
        problem = "a NUL character in its path"
    elif not PurePosixPath(name).parts:
        problem = "an empty path"
    if problem:
        raise IntakeError(f"{archive}: the entry {name!r} has {problem}. Refusing the whole "
                          "archive: download it again from the LMS, or unpack it yourself "
                          "and import the folder.")
    return PurePosixPath(name)


class Source:
    """The entries of a zip archive or a folder, readable with a bound.

    Parameters
    ----------
    path : str or Path
        A ``.zip`` file or a folder.
    total_limit : int, optional
        Bytes the files of an archive may declare in all.
    """

    def __init__(self, path, total_limit: int = MAX_TOTAL_BYTES):
        self.path = Path(path)
        self._zip = None
        if not self.path.exists():
            raise IntakeError(f"SOURCE {self.path} does not exist. Pass the zip file or the "
                              "folder you downloaded.")
        if self.path.is_dir():
            self.entries = self._walk()
        elif zipfile.is_zipfile(self.path):
            self.entries = self._list_zip(total_limit)
        else:
            raise IntakeError(f"SOURCE {self.path} is neither a folder nor a zip archive. Pass "
                              "the zip file the LMS gave you (or the folder it unpacks to).")

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # ------------------------------------------------------------------ listing
    def _list_zip(self, total_limit: int) -> list[Entry]:
        try:
            self._zip = zipfile.ZipFile(self.path)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError) as exc:
            raise IntakeError(f"SOURCE {self.path} is not a readable zip archive ({exc}). "
                              "Download it again.") from None
        if len(infos) > MAX_ENTRIES:
            raise IntakeError(f"{self.path} holds {len(infos)} entries, more than the "
                              f"{MAX_ENTRIES} a class can hold. Refusing it as a likely zip "
                              "bomb; check the download.")
        entries, declared, self._infos = [], 0, {}
        for info in infos:
            path = _safe_member_path(info.filename, self.path)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise IntakeError(f"{self.path}: the entry {info.filename!r} is a symbolic "
                                  "link. Refusing the whole archive: an LMS never puts links "
                                  "in a download, and one could point anywhere.")
            if info.is_dir():
                entries.append(Entry(path, FOLDER, 0))
                continue
            if path in self._infos:
                raise IntakeError(f"{self.path} holds two entries named {info.filename!r}. "
                                  "Refusing it: which one is the learner's cannot be told. "
                                  "Download it again.")
            declared += info.file_size
            if declared > total_limit:
                raise IntakeError(f"{self.path}: its files declare more than {total_limit} "
                                  "bytes in all. Refusing it as a likely zip bomb; if the class "
                                  "is that big, import it in parts.")
            entries.append(Entry(path, FILE, info.file_size))
            self._infos[path] = info
        return entries

    def _walk(self) -> list[Entry]:
        entries: list[Entry] = []
        pending = [(self.path, PurePosixPath())]
        while pending:
            folder, relative = pending.pop()
            if len(relative.parts) > MAX_DEPTH:
                raise IntakeError(f"{folder} is more than {MAX_DEPTH} folders deep below "
                                  f"SOURCE {self.path}. Refusing to walk further: pass the "
                                  "folder the LMS download unpacks to.")
            try:
                children = sorted(os.scandir(folder), key=lambda child: child.name)
            except OSError as exc:
                raise IntakeError(f"cannot list {folder}: {exc.strerror}. Check the "
                                  "folder's permissions.") from None
            for child in children:
                path = relative / child.name
                info = child.stat(follow_symlinks=False)
                if stat.S_ISLNK(info.st_mode):
                    entries.append(Entry(path, LINK, 0))
                elif stat.S_ISDIR(info.st_mode):
                    hidden = child.name.startswith(".")
                    entries.append(Entry(path, HIDDEN if hidden else FOLDER, 0))
                    if not hidden:
                        pending.append((Path(child.path), path))
                elif stat.S_ISREG(info.st_mode):
                    entries.append(Entry(path, FILE, info.st_size))
                else:
                    entries.append(Entry(path, OTHER, 0))
                if len(entries) > MAX_ENTRIES:
                    raise IntakeError(f"SOURCE {self.path} holds more than {MAX_ENTRIES} "
                                      "entries. Pass the folder of one class's submissions.")
        return sorted(entries, key=lambda entry: entry.path)

    # ------------------------------------------------------------------ reading
    def describe(self, entry: Entry) -> str:
        """How to name an entry in a message: ``archive.zip:inner/path`` or the file's path."""
        if self._zip is not None:
            return f"{self.path}:{entry.path}"
        return str(self.path / entry.path)

    def read(self, entry: Entry, limit: int | None = None) -> bytes:
        """The bytes of a file entry, at most ``limit`` (default
        :data:`MAX_NOTEBOOK_BYTES`) of them.

        Raises
        ------
        TooLarge
            When the file holds (or declares) more than ``limit`` bytes.
        IntakeError
            When an archive's entry holds more bytes than it declares, fails its
            checksum, or a folder's file cannot be read.
        """
        limit = MAX_NOTEBOOK_BYTES if limit is None else limit
        if entry.size > limit:
            raise TooLarge(entry.size)
        if self._zip is not None:
            return self._read_member(entry, limit)
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(self.path / entry.path, flags)
        except OSError as exc:
            raise IntakeError(f"cannot read {self.describe(entry)}: {exc.strerror}.") from None
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise IntakeError(f"{self.describe(entry)} is no longer a regular file (it "
                                  "changed while being imported). Import again.")
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise TooLarge(len(data))
        return data

    def _read_member(self, entry: Entry, limit: int) -> bytes:
        info = self._infos[entry.path]
        chunks, total = [], 0
        try:
            with self._zip.open(info) as handle:
                while block := handle.read(1 << 20):
                    total += len(block)
                    if total > info.file_size or total > limit:
                        break
                    chunks.append(block)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise IntakeError(f"{self.describe(entry)} is damaged ({exc}). Download the "
                              "archive again.") from None
        if total > info.file_size:
            raise IntakeError(f"{self.describe(entry)} holds more bytes than the "
                              f"{info.file_size} it declares: a damaged or hostile archive. "
                              "Download it again.")
        if total > limit:
            raise TooLarge(total)
        return b"".join(chunks)
