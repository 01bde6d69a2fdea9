"""The files of ``deploy/`` as their programs read them: systemd-analyze verifies the units and rates
their protections, ``nginx -t`` tests the site configuration, the units' commands are ones the CLI
accepts, and every path they name is in the repository or made by the guide's steps
(docs/deploiement.md). Also what a fresh installation brings: enough to serve, and each licence
named in the README. tests/test_deploy_live.py runs the files."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from searchweb import DEFAULTS, ENVIRONMENT

from .deploy_support import (
    ABSOLUTE_PATH,
    DEPLOY,
    DEPLOY_FILES,
    ENV_FILE,
    GIT_PULL,
    GUIDE,
    INSTALLED,
    NGINX_SITE,
    PACKAGED,
    SERVICE,
    UPDATE_SERVICE,
    UPDATE_TIMER,
    declared_distributions,
    declared_modules,
    env_settings,
    install_units,
    nginx_command,
    nginx_root,
    tool,
    unit_entries,
    unit_values,
    venv_root,
)
from .reliability.support import PROJECT

SERVICES = [SERVICE, UPDATE_SERVICE]
#: Exposure level ``systemd-analyze security`` may give a service at most (0 to 10; "OK" < 4).
MAX_EXPOSURE = 2.0
#: Settings of the env file read by the units only (the application reads those of ENVIRONMENT).
UNIT_SETTINGS = {"EIG_SEARCH_SITE", "EIG_SEARCH_PORT", "EIG_SEARCH_WORKERS"}
#: A command of each Debian package that provides a path the files name.
PACKAGE_COMMANDS = {"git": "git", "systemd": "systemd-analyze", "nginx": "nginx"}


def guide_code() -> str:
    """The shell blocks of the guide: the steps an operator runs."""
    return "\n".join(re.findall(r"```sh\n(.*?)```", GUIDE.read_text("utf-8"), re.DOTALL))


# -- what a fresh installation brings --------------------------------------------------------------

#: Run in a fresh interpreter: import only the standard library and ``argv[1]``'s modules, then
#: load what ``eig-search serve`` loads (the gevent worker class, the app, a page).
ONLY_DECLARED = """
import importlib.abc, sys

class Undeclared(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        top = name.partition(".")[0]
        stdlib = top in sys.stdlib_module_names or top.startswith("_sysconfigdata")  # read by sysconfig (Babel)
        if not stdlib and top not in sys.argv[1].split(","):
            raise ModuleNotFoundError(f"No module named {name!r} (not a declared dependency)", name=name)

sys.meta_path.insert(0, Undeclared())
from gunicorn.util import load_class
load_class("gevent", section="gunicorn.workers")
import indexer.cli, searchweb.serve
print(searchweb.create_app({"INDEX_DIR": sys.argv[2]}).test_client().get("/").status_code)
"""


def test_declared_dependencies_are_enough_to_serve(tmp_path):
    """A fresh installation (a wheel in a new venv) gets only what pyproject.toml declares: the
    gevent worker imports ``packaging``, which only gunicorn's ``gevent`` extra brings."""
    result = subprocess.run([sys.executable, "-c", ONLY_DECLARED, ",".join(sorted(declared_modules())),
                             str(tmp_path / "index")], check=False, capture_output=True, text=True, cwd=PROJECT)
    assert (result.returncode, result.stdout) == (0, "503\n"), result.stderr


def test_readme_names_the_licence_of_every_dependency():
    """Anyone redistributing the whole needs each licence (Unidecode's GPL above all)."""
    readme = (PROJECT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Licence"):].lower().replace("_", "-").replace(".", "-")
    assert sorted(name for name in declared_distributions() if name not in section) == []
    assert "unidecode (gpl-2-0-or-later)" in section


# -- systemd ------------------------------------------------------------------------------------------

def test_units_pass_systemd_analyze_verify(tmp_path):
    """The units and the git drop-in load without any warning; their commands exist (the
    programme's path stands for this checkout's virtual environment, git is Debian's)."""
    analyze = tool("systemd-analyze", "systemd")
    folder = install_units(tmp_path)
    units = [str(folder / path.name) for path in (SERVICE, UPDATE_SERVICE, UPDATE_TIMER)]
    result = subprocess.run([analyze, "verify", "--man=no", *units], check=False, capture_output=True, text=True)
    warnings = [line for line in (result.stdout + result.stderr).splitlines() if "eig-search" in line]
    assert (result.returncode, warnings) == (0, [])


@pytest.mark.parametrize("unit", SERVICES, ids=lambda path: path.name)
def test_services_are_hardened(tmp_path, unit):
    analyze = tool("systemd-analyze", "systemd")
    folder = install_units(tmp_path)
    result = subprocess.run([analyze, "security", "--offline=yes", str(folder / unit.name)],
                            check=False, capture_output=True, text=True)
    exposure = float(re.search(r"Overall exposure level for \S+: ([\d.]+)", result.stdout).group(1))
    assert exposure <= MAX_EXPOSURE, result.stdout


def test_both_services_have_the_same_protections():
    """The update service runs as the server does, except that git may pull from another host."""
    def protections(unit):
        entries = unit_entries(unit)
        start = next(i for i, entry in enumerate(entries) if entry[1] == "StateDirectory")
        return [entry for entry in entries[start:] if entry[0] == "Service"]

    network = [("Service", "IPAddressAllow", "localhost"), ("Service", "IPAddressDeny", "any")]
    assert [entry for entry in protections(SERVICE) if entry not in network] == protections(UPDATE_SERVICE)
    assert set(network) <= set(protections(SERVICE))


def test_units_run_commands_the_cli_accepts():
    """Each eig-search command line of a unit uses a subcommand and options listed by its --help,
    and every ${NAME} it uses is set in the env file."""
    eig_search = venv_root() / "bin" / "eig-search"
    settings = env_settings()
    for unit in SERVICES:
        (line,) = unit_values(unit, "ExecStart")
        program, subcommand, *arguments = line.split()
        assert (program, unit_values(unit, "EnvironmentFile")) == (
            "/opt/eig-search/.venv/bin/eig-search", ["/etc/eig-search/eig-search.env"])
        helped = subprocess.run([eig_search, subcommand, "--help"], capture_output=True, text=True, check=True).stdout
        listed = set(re.findall(r"^\s+(--[\w-]+)", helped, re.MULTILINE))
        assert {word for word in arguments if word.startswith("--")} <= listed, (subcommand, listed)
        assert set(re.findall(r"\$\{(\w+)\}", line)) <= settings.keys()
    assert unit_values(GIT_PULL, "ExecStartPre") == ["/usr/bin/git -C ${EIG_SEARCH_SITE} pull --ff-only --quiet"]


def test_timer_starts_the_update_service():
    assert unit_values(UPDATE_TIMER, "Unit") == [UPDATE_SERVICE.name]
    assert unit_values(UPDATE_SERVICE, "Type") == ["oneshot"]


# -- the environment file and the settings the files share ---------------------------------------------

def test_env_file_sets_only_real_settings():
    """Every EIG_SEARCH_ name, set or shown commented, is a setting of the application or one the
    units read; the values are plain (systemd keeps a '#' after a value as part of it)."""
    text = ENV_FILE.read_text("utf-8")
    named = set(re.findall(r"^#?(EIG_SEARCH_\w+)=", text, re.MULTILINE))
    assert named == set(ENVIRONMENT.values()) | UNIT_SETTINGS
    for name, value in env_settings().items():
        assert re.fullmatch(r"EIG_SEARCH_\w+", name) and "#" not in value and '"' not in value, (name, value)


def test_files_agree_on_port_index_site_and_body_limit():
    settings = env_settings()
    nginx = NGINX_SITE.read_text("utf-8")
    upstream = re.findall(r"^\s*server (127\.0\.0\.1:\d+);", nginx, re.MULTILINE)
    assert upstream == [f"127.0.0.1:{settings['EIG_SEARCH_PORT']}"]
    assert "--host 127.0.0.1" in unit_values(SERVICE, "ExecStart")[0]
    # The index is under the one folder the services may write to; git may write to the site.
    for unit in SERVICES:
        assert unit_values(unit, "ReadWritePaths") == ["/var/lib/eig-search"]
        assert unit_values(unit, "StateDirectory") == ["eig-search"]
    assert settings["EIG_SEARCH_INDEX"].startswith("/var/lib/eig-search/")
    assert unit_values(GIT_PULL, "ReadWritePaths") == [settings["EIG_SEARCH_SITE"]]
    (limit,) = re.findall(r"client_max_body_size (\d+)k;", nginx)
    assert int(limit) * 1024 == DEFAULTS["MAX_CONTENT_LENGTH"]


# -- nginx ----------------------------------------------------------------------------------------------

def test_nginx_site_passes_nginx_t(tmp_path):
    """The site file, included in the http block of a main nginx.conf like Debian's, with only its
    paths moved to the test's folder and a self-signed certificate."""
    nginx = tool("nginx", "nginx")
    main = nginx_root(tmp_path, NGINX_SITE.read_text("utf-8"))
    result = subprocess.run(nginx_command(nginx, main, "-t"), check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr and "[warn]" not in result.stderr, result.stderr


# -- paths ----------------------------------------------------------------------------------------------

def test_every_path_named_is_installed_by_the_guide_or_a_package():
    """A server path in deploy/ lies under a folder the guide's steps create (named in its shell
    blocks) or one a Debian package provides (the guide installs the package)."""
    code = guide_code()
    packages = re.search(r"apt-get install -y (.*)", code).group(1).split()
    for file in DEPLOY_FILES:
        for path in ABSOLUTE_PATH.findall(file.read_text("utf-8")):
            made = [folder for folder in INSTALLED if path.startswith(folder)]
            provided = [folder for folder in PACKAGED if path.startswith(folder)]
            assert made or provided, f"{file.name} : {path} n'est créé par aucune étape du guide"
            for folder in made:
                assert folder in code, f"{file.name} : le guide ne crée pas {folder}"
            for folder in provided:
                assert PACKAGED[folder] in packages, f"{file.name} : {folder} vient du paquet {PACKAGED[folder]}"


def test_packaged_paths_exist_once_their_package_is_installed():
    for folder, package in PACKAGED.items():
        tool(PACKAGE_COMMANDS[package], package)
        assert Path(folder).exists(), f"{folder} manque alors que le paquet {package} est installé"


def test_guide_installs_every_deploy_file_and_names_only_files_of_the_repository():
    code = guide_code()
    for file in DEPLOY_FILES:
        assert str(file.relative_to(PROJECT)) in code, f"le guide n'installe pas {file.relative_to(PROJECT)}"
    named = set(re.findall(r"(?<![\w/.])((?:deploy|docs)/[\w./-]*\w)", code + "".join(
        path.read_text("utf-8") for path in DEPLOY_FILES)))
    assert [path for path in sorted(named) if not (PROJECT / path).exists()] == []
    assert "docs/deploiement.md" in (PROJECT / "README.md").read_text("utf-8")
    assert sorted(path.name for path in DEPLOY.rglob("*") if path.is_file()) == sorted(
        path.name for path in DEPLOY_FILES)
