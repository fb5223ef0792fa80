from __future__ import annotations

from pathlib import Path

import pytest

from rehearse import locations
from rehearse.domain import Profile
from rehearse.errors import RehearseError
from rehearse.profiles import delete_profile, list_profiles, load_profile, save_profile

GOOD = (
    'company = "Acme"\nrole = "Data Analyst"\n'
    'values = ["curiosity", "care"]\ndescription = "Makes anvils."\n'
)


def test_load_by_path_and_by_name(tmp_path: Path) -> None:
    path = tmp_path / "acme.toml"
    path.write_text(GOOD)
    profile = load_profile(str(path))
    assert profile == Profile("Acme", "Data Analyst", ("curiosity", "care"), "Makes anvils.")
    saved = save_profile(Profile("Acme", "Data Analyst", ("care",), "", name="acme"))
    assert saved.parent == locations.profiles_dir()
    assert load_profile("acme").values == ("care",)
    assert [p.name for p in list_profiles()] == ["acme"]
    delete_profile("acme")
    assert list_profiles() == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('company = "Acme"\nrole = \n', "not valid TOML"),
        ('company = "Acme"\n', "'role'"),
        ('company = "Acme"\nrole = "X"\nvalues = "care"\n', "list of strings"),
        ('company = "Acme"\nrole = "X"\nmission = "y"\n', "unknown keys"),
    ],
)
def test_bad_profiles_name_the_file_and_problem(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content)
    with pytest.raises(RehearseError) as err:
        load_profile(str(path))
    assert str(path) in err.value.message and problem in err.value.message


def test_unknown_name_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(RehearseError, match="no profile named"):
        load_profile("ghost")
    path = tmp_path / "latin.toml"
    path.write_bytes('company = "Caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(RehearseError, match="UTF-8"):
        load_profile(str(path))
