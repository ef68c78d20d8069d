"""Plug-in profiles through the ``emessi.profiles`` entry-point group, tested for real.

One test builds a tiny distribution (a pyproject.toml with
``[project.entry-points."emessi.profiles"]``), has pip build and install it
into a temporary virtual environment, and asks for its profile there. The
build backend is a few lines kept in the distribution itself, so the test
needs no setuptools, hatchling or network. Another test puts ``.dist-info``
folders on ``sys.path`` to check plug-ins that are broken.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

import emessi

_BACKEND = '''
"""A minimal PEP 517 backend: a pure-Python wheel from the [project] table."""

import base64
import hashlib
import tomllib
import zipfile
from pathlib import Path


def _record(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = tomllib.loads(Path("pyproject.toml").read_text("utf-8"))["project"]
    name, version = project["name"].replace("-", "_"), project["version"]
    info = f"{name}-{version}.dist-info"
    files = {p.as_posix(): p.read_bytes() for p in sorted(Path(name).rglob("*.py"))}
    files[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\\nName: {project['name']}\\nVersion: {version}\\n"
    ).encode()
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\\nGenerator: emessi-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
    )
    lines = []
    for group, entries in project.get("entry-points", {}).items():
        lines.append(f"[{group}]")
        lines += [f"{key} = {value}" for key, value in entries.items()]
    files[f"{info}/entry_points.txt"] = ("\\n".join(lines) + "\\n").encode()
    record = [_record(path, data) for path, data in files.items()] + [f"{info}/RECORD,,"]
    files[f"{info}/RECORD"] = ("\\n".join(record) + "\\n").encode()
    wheel = f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(Path(wheel_directory) / wheel, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return wheel
'''

_PYPROJECT = """
[build-system]
requires = []
build-backend = "backend"
backend-path = ["."]

[project]
name = "emessi-coaches"
version = "1.0"

[project.entry-points."emessi.profiles"]
coaches = "emessi_coaches:coaches"
plugin-teachers = "emessi_coaches:TEACHERS"
"""

_PLUGIN = '''
"""Profiles for coaches and teachers, installed as a plug-in."""

import attrs

from emessi.method import Bounds, get_profile


def coaches():
    """A profile made by a function: 4-8 coaches a group."""
    return attrs.evolve(
        get_profile("emessi"), name="coaches", sector="coaching", peers=Bounds((4, 8), (3, 10))
    )


# A profile given as a value.
TEACHERS = attrs.evolve(get_profile("verme"), name="plugin-teachers")
'''

_CHECK = """
import json
from importlib import metadata

import emessi
from emessi.model import Group, Membership, Role

coaches = emessi.get_profile("coaches")
group = Group(
    "g-01",
    memberships=[Membership(f"p-{i}") for i in range(8)]
    + [Membership("f-01", Role.FACILITATOR), Membership("w-01", Role.OBSERVER)],
)
print(json.dumps({
    "name": coaches.name,
    "sector": coaches.sector,
    "peers": list(coaches.peers.preferred),
    "teachers": emessi.get_profile("plugin-teachers").peers.preferred,
    "names": emessi.profile_names(),
    "version": metadata.distribution("emessi-coaches").version,
    "codes": sorted(emessi.validate(group, "coaches").codes()),
    "emessi_codes": sorted(emessi.validate(group).codes()),
}))
"""


def _pip_with_python_option() -> bool:
    """pip is importable here and knows --python (pip 22.3 or later)."""
    if importlib.util.find_spec("pip") is None:
        return False
    from pip import __version__

    major, minor = (int(part) for part in __version__.split(".")[:2])
    return (major, minor) >= (22, 3)


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    result = subprocess.run(
        args, capture_output=True, text=True, timeout=120, env=env, check=False, **kwargs
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.skipif(not _pip_with_python_option(), reason="needs pip >= 22.3 to install")
def test_profile_from_an_installed_distribution(tmp_path: Path) -> None:
    """A distribution installed by pip in a temp venv provides profiles by entry point."""
    package = tmp_path / "emessi-coaches"
    (package / "emessi_coaches").mkdir(parents=True)
    (package / "pyproject.toml").write_text(_PYPROJECT, encoding="utf-8")
    (package / "backend.py").write_text(_BACKEND, encoding="utf-8")
    (package / "emessi_coaches" / "__init__.py").write_text(_PLUGIN, encoding="utf-8")

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)])
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # The temp venv sees this environment's packages (emessi, attrs, cattrs)
    # through a .pth file; site.addsitedir also runs that folder's .pth
    # files, which is how an editable emessi is found.
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    here = [sysconfig.get_paths()["purelib"], str(Path(emessi.__file__).parents[1])]
    lines = [f"import site; site.addsitedir({folder!r})" for folder in here]
    Path(purelib.stdout.strip(), "_emessi_test_base.pth").write_text("\n".join(lines) + "\n")

    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--no-cache-dir",
            "--quiet",
            str(package),
        ]
    )
    result = _run([str(python), "-c", _CHECK], cwd=tmp_path)
    found = json.loads(result.stdout)
    assert found["name"] == "coaches"
    assert found["sector"] == "coaching"
    assert found["peers"] == [4, 8]
    assert found["teachers"] == [4, 10]
    assert {"coaches", "emessi", "plugin-teachers", "verme"} <= set(found["names"])
    assert found["version"] == "1.0"
    # eight peers suit coaches but not eMessi (no meetings yet: a note either way)
    assert found["codes"] == ["meeting-count"]
    assert found["emessi_codes"] == ["group-size", "meeting-count"]
    # and the plug-in was installed into the temp venv only
    assert importlib.util.find_spec("emessi_coaches") is None


def _dist_info(folder: Path, name: str, entry_points: str, module: str, code: str) -> None:
    info = folder / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[emessi.profiles]\n{entry_points}\n")
    (folder / f"{module}.py").write_text(textwrap.dedent(code), encoding="utf-8")


_BROKEN_CHECK = """
import json
import emessi
from emessi.errors import ProfileError

out = {"good": emessi.get_profile("good-plugin").name, "names": emessi.profile_names()}
for name in ("boom", "not-a-profile"):
    try:
        emessi.get_profile(name)
    except ProfileError as error:
        out[name] = [error.path, error.message, type(error.__cause__).__name__]
print(json.dumps(out))
"""


def test_broken_plugins_do_not_hide_good_ones(tmp_path: Path) -> None:
    """A plug-in that fails or gives no profile is a ProfileError; the others still load."""
    _dist_info(tmp_path, "a_broken", "boom = a_broken:profile", "a_broken", "raise RuntimeError")
    _dist_info(tmp_path, "b_wrong", "not-a-profile = b_wrong:VALUE", "b_wrong", "VALUE = 42")
    _dist_info(
        tmp_path,
        "c_good",
        "good = c_good:profile",
        "c_good",
        """
        import attrs
        from emessi.method import get_profile

        profile = attrs.evolve(get_profile("emessi"), name="good-plugin")
        """,
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    result = subprocess.run(
        [sys.executable, "-c", _BROKEN_CHECK],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["good"] == "good-plugin"
    assert "good-plugin" in found["names"]
    assert "boom" not in found["names"]
    assert found["boom"][0] == "entry_points['emessi.profiles']['boom']"
    assert "failed to load: RuntimeError" in found["boom"][1]
    assert found["boom"][2] == "RuntimeError"
    assert found["not-a-profile"][0] == "entry_points['emessi.profiles']['not-a-profile']"
    assert "gave no MethodProfile" in found["not-a-profile"][1]
