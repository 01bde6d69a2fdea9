"""Settings shared by the command line and the web app: where the index and the sample site are.

The index folder is ``$EIG_SEARCH_INDEX``, else ``instance/index`` beside the project; the site
read when none is given (and the index records none) is the shipped ``corpus/``.
"""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INDEX = PROJECT_ROOT / "instance" / "index"
DEFAULT_SITE = PROJECT_ROOT / "corpus"


def default_index() -> Path:
    return Path(os.environ.get("EIG_SEARCH_INDEX") or DEFAULT_INDEX)
