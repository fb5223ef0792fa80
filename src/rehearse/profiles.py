"""Company profiles: TOML files with company, role, values and description.

A profile is named by its file stem in `locations.profiles_dir()`, or given by path.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from rehearse import locations
from rehearse.domain import Profile
from rehearse.errors import RehearseError

REQUIRED = ("company", "role")
KNOWN = ("company", "role", "values", "description")


def _invalid(path: Path, problem: str) -> RehearseError:
    return RehearseError(f"The profile {path} {problem}; fix it and try again.")


def parse_profile(data: dict[str, Any], path: Path, name: str = "") -> Profile:
    unknown = sorted(set(data) - set(KNOWN))
    if unknown:
        raise _invalid(
            path, f"has unknown keys ({', '.join(unknown)}); allowed: {', '.join(KNOWN)}"
        )
    for key in REQUIRED:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise _invalid(path, f"needs a non-empty text value for {key!r}")
    values = data.get("values", [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise _invalid(path, "must give 'values' as a list of strings")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise _invalid(path, "must give 'description' as text")
    return Profile(
        company=data["company"].strip(),
        role=data["role"].strip(),
        values=tuple(v.strip() for v in values if v.strip()),
        description=description.strip(),
        name=name,
    )


def read_profile(path: Path, name: str = "") -> Profile:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RehearseError(f"There is no profile file {path}.") from None
    except OSError as exc:
        raise RehearseError(f"Cannot read the profile {path}: {exc.strerror}.") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _invalid(path, "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise _invalid(path, f"is not valid TOML ({exc})") from None
    return parse_profile(data, path, name)


def _named_path(name: str) -> Path:
    return locations.profiles_dir() / f"{name}.toml"


def load_profile(name_or_path: str) -> Profile:
    """A profile by file path, or by name from the profiles dir."""
    candidate = Path(name_or_path).expanduser()
    looks_like_path = candidate.suffix == ".toml" or "/" in name_or_path or candidate.exists()
    if looks_like_path:
        return read_profile(candidate)
    path = _named_path(name_or_path)
    if not path.exists():
        known = ", ".join(p.name for p in list_profiles()) or "none yet"
        raise RehearseError(
            f"There is no profile named {name_or_path!r} (saved profiles: {known}); "
            "give a path to a TOML file instead."
        )
    return read_profile(path, name_or_path)


def list_profiles() -> list[Profile]:
    """Saved profiles, by name; broken files are skipped here and reported when loaded."""
    directory = locations.profiles_dir()
    profiles: list[Profile] = []
    for path in sorted(directory.glob("*.toml")) if directory.is_dir() else []:
        try:
            profiles.append(read_profile(path, path.stem))
        except RehearseError:
            continue
    return profiles


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "profile"


def save_profile(profile: Profile) -> Path:
    """Write a profile to the profiles dir under its name (or a slug of its company)."""
    name = profile.name or slug(profile.company)
    directory = locations.profiles_dir()
    directory.mkdir(parents=True, exist_ok=True)
    data = {
        "company": profile.company,
        "role": profile.role,
        "values": list(profile.values),
        "description": profile.description,
    }
    path = _named_path(name)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
    tmp.replace(path)  # atomic: a crash never leaves half a profile
    return path


def delete_profile(name: str) -> None:
    path = _named_path(name)
    if not path.exists():
        raise RehearseError(f"There is no profile named {name!r} to delete.")
    path.unlink()
