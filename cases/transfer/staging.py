"""An uploaded sheet kept on the server between the steps of the web import (issue 21): the upload, the
mapping page (preview, save), the import. The client holds only a random token; the file and who uploaded
it stay here, in a folder of the instance, never trusted from the request.

A staged file is bound to its user (another user's token finds nothing), expires after :data:`MAX_AGE`
(and is deleted then), and is deleted once imported. A user keeps at most :data:`MAX_PER_USER` staged
files (the oldest go first), so repeated uploads cannot fill the disk; each is at most the upload limit.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

#: How long a staged file waits for its import.
MAX_AGE = dt.timedelta(hours=2)
#: Staged files one user may have at once.
MAX_PER_USER = 3
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


@dataclass
class Staged:
    token: str
    user_id: int
    filename: str
    created_at: dt.datetime
    data: bytes
    #: What the upload page chose: a saved mapping's id, constants for the rows that do not say.
    saved_mapping_id: int | None = None
    constants: dict[str, str] = field(default_factory=dict)


def _paths(folder: Path, token: str) -> tuple[Path, Path]:
    return folder / f"{token}.data", folder / f"{token}.json"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _meta(path: Path) -> dict | None:
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def stage(
    folder: Path,
    data: bytes,
    *,
    filename: str,
    user_id: int,
    max_bytes: int,
    saved_mapping_id: int | None = None,
    constants: dict[str, str] | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Keep ``data`` for ``user_id`` and return its token (the expired files and the user's oldest beyond
    :data:`MAX_PER_USER` are deleted first)."""
    if len(data) > max_bytes:
        raise ValueError("file over the upload limit")
    now = now or _now()
    folder.mkdir(parents=True, exist_ok=True)
    sweep(folder, now=now)
    mine = sorted(
        (meta.get("created_at", ""), path.stem)
        for path in folder.glob("*.json")
        if (meta := _meta(path)) is not None and meta.get("user_id") == user_id
    )
    for _created, token in mine[: max(0, len(mine) - MAX_PER_USER + 1)]:
        discard(folder, token)
    token = secrets.token_urlsafe(32)
    data_path, meta_path = _paths(folder, token)
    meta_path.write_text(  # the description first: a sweep meanwhile never takes the data for an orphan
        json.dumps(
            {
                "user_id": user_id,
                "filename": filename[:200],
                "created_at": now.isoformat(),
                "saved_mapping_id": saved_mapping_id,
                "constants": constants or {},
            }
        ),
        encoding="utf-8",
    )
    data_path.write_bytes(data)
    return token


def load(folder: Path, token: str, *, user_id: int, now: dt.datetime | None = None) -> Staged | None:
    """The file staged under ``token`` for ``user_id``; ``None`` when there is none, it is another user's,
    or it has expired (then it is deleted)."""
    if not _TOKEN.match(token or ""):
        return None
    data_path, meta_path = _paths(folder, token)
    meta = _meta(meta_path)
    if meta is None or meta.get("user_id") != user_id:
        return None
    created = dt.datetime.fromisoformat(meta["created_at"])
    if (now or _now()) - created > MAX_AGE:
        discard(folder, token)
        return None
    try:
        data = data_path.read_bytes()
    except OSError:
        return None
    return Staged(
        token=token,
        user_id=user_id,
        filename=str(meta.get("filename") or ""),
        created_at=created,
        data=data,
        saved_mapping_id=meta.get("saved_mapping_id"),
        constants=dict(meta.get("constants") or {}),
    )


def discard(folder: Path, token: str) -> None:
    """Delete the file staged under ``token`` (nothing when there is none)."""
    if not _TOKEN.match(token or ""):
        return
    for path in _paths(folder, token):
        path.unlink(missing_ok=True)


def sweep(folder: Path, *, now: dt.datetime | None = None) -> None:
    """Delete every staged file that has expired (and any data file left without its description)."""
    now = now or _now()
    if not folder.is_dir():
        return
    for meta_path in folder.glob("*.json"):
        meta = _meta(meta_path)
        try:
            expired = meta is None or now - dt.datetime.fromisoformat(meta["created_at"]) > MAX_AGE
        except (KeyError, TypeError, ValueError):
            expired = True
        if expired:
            discard(folder, meta_path.stem)
    for data_path in folder.glob("*.data"):
        if not data_path.with_suffix(".json").exists():
            data_path.unlink(missing_ok=True)
