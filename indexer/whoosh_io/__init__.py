"""The one door into Whoosh's internals: the segment writer, the posting reader, the commit glue.

Only this package imports ``whoosh.codec``, ``whoosh.filedb``, ``whoosh.writing`` or
``whoosh.matching``, or touches Whoosh's private names (``tests/test_whoosh_door.py`` checks it).
Those internals change between releases without notice: the package refuses to load with any
Whoosh but the one it was written and tested against, rather than write or read an index wrongly.
"""

import whoosh

#: The Whoosh release whose internals this package reads and writes (pinned in pyproject.toml).
WHOOSH_VERSION = (2, 7, 4)

if tuple(whoosh.__version__) != WHOOSH_VERSION:
    _expected = ".".join(map(str, WHOOSH_VERSION))
    raise ImportError(
        f"eig-search lit et écrit les fichiers de Whoosh {_expected} par son API interne, mais "
        f"Whoosh {whoosh.versionstring()} est installé ({whoosh.__file__}) : installez "
        f"whoosh=={_expected}, la version fixée dans pyproject.toml")
