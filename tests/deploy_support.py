"""What the deployment tests share: the files of ``deploy/`` read as systemd and nginx read them,
and the same files moved into a test folder.

On a server the files name fixed paths (:data:`INSTALLED`); the tests replace each of them by a
folder of their own (:func:`localize`), and the programme's path by this checkout's virtual
environment, so that systemd-analyze, nginx and the commands of the units run on the very files
an operator installs, with nothing else changed.
"""

import importlib.metadata
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from .reliability.support import PROJECT

DEPLOY = PROJECT / "deploy"
GUIDE = PROJECT / "docs" / "deploiement.md"
SERVICE = DEPLOY / "eig-search.service"
UPDATE_SERVICE = DEPLOY / "eig-search-update.service"
UPDATE_TIMER = DEPLOY / "eig-search-update.timer"
GIT_PULL = DEPLOY / "eig-search-update.service.d" / "git-pull.conf"
ENV_FILE = DEPLOY / "eig-search.env"
NGINX_SITE = DEPLOY / "nginx" / "eig-search.conf"
DEPLOY_FILES = [SERVICE, UPDATE_SERVICE, UPDATE_TIMER, GIT_PULL, ENV_FILE, NGINX_SITE]

VENV = "/opt/eig-search/.venv"
#: Paths of the server the deployment files name, created by the guide's steps, and the folder of
#: the test's own root that stands for each (the virtual environment is this checkout's).
INSTALLED = {
    VENV: None,
    "/etc/eig-search": "etc",
    "/var/lib/eig-search": "state",
    "/srv/site": "site",
    "/var/log/nginx": "log",
    "/var/cache/nginx": "cache",
    "/etc/letsencrypt/live/recherche.example.gouv.fr": "tls",
    "/var/www/html": "www",
}
#: Paths the files name (or the folders of paths they name) that a Debian package provides.
PACKAGED = {"/usr/bin/git": "git", "/etc/systemd/system": "systemd", "/etc/nginx/sites-available": "nginx",
            "/etc/nginx/sites-enabled": "nginx"}
#: Absolute paths in a deployment file (not URLs, not nginx variables).
ABSOLUTE_PATH = re.compile(r"(?<![\w.:/$])/(?:etc|opt|srv|usr|var)/[^\s;'\"]*[\w/]")
#: The environment systemd gives a system service before its EnvironmentFile=.
SERVICE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def tool(command: str, package: str) -> str:
    """The path of a system command, or skip: the test needs a Debian package (.ci/run installs it)."""
    found = shutil.which(command) or shutil.which(command, path="/usr/sbin:/sbin")
    if not found:
        pytest.skip(f"{command} absent : installez le paquet Debian {package} (.ci/run le fait sur la CI)")
    return found


def venv_root() -> Path:
    """The virtual environment running the tests, which stands for /opt/eig-search/.venv."""
    root = Path(sys.executable).parent.parent
    if not (root / "bin" / "eig-search").exists():
        pytest.skip(f"eig-search n'est pas installé dans {root}")
    return root


def localize(text: str, root: Path) -> str:
    """``text`` with each installed path replaced by its stand-in under ``root``."""
    for path in sorted(INSTALLED, key=len, reverse=True):
        stand_in = venv_root() if INSTALLED[path] is None else root / INSTALLED[path]
        text = text.replace(path, str(stand_in))
    return text


def install_units(root: Path) -> Path:
    """The units and the git drop-in, localized, in ``root/systemd`` as in /etc/systemd/system."""
    folder = root / "systemd"
    for source in (SERVICE, UPDATE_SERVICE, UPDATE_TIMER, GIT_PULL):
        target = folder / source.relative_to(DEPLOY)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(localize(source.read_text("utf-8"), root), "utf-8")
    return folder


# -- reading the files as systemd does ------------------------------------------------------------

def unit_entries(path: Path) -> list[tuple[str, str, str]]:
    """``(section, key, value)`` of a unit file, in order (a key may come back)."""
    entries, section = [], ""
    for line in path.read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        entries.append((section, key.strip(), value.strip()))
    return entries


def unit_values(path: Path, key: str) -> list[str]:
    return [value for _, name, value in unit_entries(path) if name == key]


def env_settings(path: Path = ENV_FILE) -> dict[str, str]:
    """The settings of an EnvironmentFile= (``NAME=value``, double quotes around a value removed)."""
    settings = {}
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            settings[name] = value[1:-1] if len(value) > 1 and value[0] == value[-1] == '"' else value
    return settings


def command(unit: Path, key: str, env: dict[str, str], root: Path | None = None) -> list[str]:
    """The argument list of an Exec line as systemd runs it: ``${NAME}`` replaced by its value.
    With ``root``, installed paths are localized first."""
    (line,) = unit_values(unit, key)
    if root is not None:
        line = localize(line, root)
    return [re.sub(r"\$\{(\w+)\}", lambda match: env[match.group(1)], word) for word in shlex.split(line)]


# -- nginx -------------------------------------------------------------------------------------------

def nginx_root(root: Path, site_text: str) -> Path:
    """A prefix for ``nginx -p``: a main nginx.conf like Debian's (the http block's settings that
    a site meets) including ``site_text`` localized, a self-signed certificate for 127.0.0.1 where
    the site's certificate is expected, and the folders the guide creates. Returns nginx.conf."""
    openssl = tool("openssl", "openssl")
    for folder in ("log", "cache", "www", "tls", "sites-enabled"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(root / "tls" / "privkey.pem"),
                    "-out", str(root / "tls" / "fullchain.pem")], check=True, capture_output=True)
    site = root / "sites-enabled" / "eig-search.conf"
    site.write_text(localize(site_text, root), "utf-8")
    main = root / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must reach the test's private folders
    main.write_text(f"""{user}pid {root}/nginx.pid;
error_log {root}/log/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    access_log {root}/log/access.log;
    gzip on;
    include {site};
}}
""", "utf-8")
    return main


def nginx_command(nginx: str, main: Path, *extra: str) -> list[str]:
    root = main.parent
    return [nginx, "-p", f"{root}/", "-e", str(root / "log" / "error.log"), "-c", str(main), *extra]


# -- what a fresh installation holds -----------------------------------------------------------------

def declared_distributions(dependencies: list[str] | None = None) -> set[str]:
    """Names (canonical) of the distributions that installing eig-search brings: the requirements
    of pyproject.toml (or ``dependencies``), with their extras, and theirs, as installed here."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    if dependencies is None:
        dependencies = tomllib.loads((PROJECT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    todo, seen = [Requirement(text) for text in dependencies], set()
    while todo:
        requirement = todo.pop()
        key = (canonicalize_name(requirement.name), frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        for text in importlib.metadata.distribution(requirement.name).requires or []:
            needed = Requirement(text)
            if not needed.marker or any(needed.marker.evaluate({"extra": extra})
                                        for extra in requirement.extras or {""}):
                todo.append(needed)
    return {name for name, _ in seen}


def declared_modules(dependencies: list[str] | None = None) -> set[str]:
    """Top-level modules of :func:`declared_distributions`, and the project's own."""
    from packaging.utils import canonicalize_name

    names = declared_distributions(dependencies)
    return {module for module, dists in importlib.metadata.packages_distributions().items()
            if any(canonicalize_name(dist) in names for dist in dists)} | {"indexer", "searchweb"}
