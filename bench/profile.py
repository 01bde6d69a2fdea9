"""Where the project's time goes: cProfile of its build, update and query paths.

Examples::

    python -m bench.profile build SITE            # in one process (no pool), into a temporary index
    python -m bench.profile update SITE INDEX     # after bench.generate.edit() of --edits pages
    python -m bench.profile query INDEX           # the 40 queries, plain and faceted, after a warm-up
"""

import argparse
import cProfile
import pstats
import sys
import tempfile

from . import generate
from .queries import QUERIES, filters_for


def profile(function, top: int, sort: str) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    function()
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.strip_dirs().sort_stats(sort).print_stats(top)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("what", choices=("build", "update", "query"))
    parser.add_argument("site_or_index")
    parser.add_argument("index", nargs="?")
    parser.add_argument("--edits", type=int, default=1, help="pages modifiées avant `update`")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"))
    args = parser.parse_args(argv)
    from indexer.build.run import build, update
    from indexer.search.engine import SearchEngine
    from indexer.search.request import SearchRequest

    if args.what == "build":
        with tempfile.TemporaryDirectory() as folder:
            profile(lambda: build(args.site_or_index, folder, processes=1), args.top, args.sort)
    elif args.what == "update":
        generate.edit(args.site_or_index, args.edits, 99)
        profile(lambda: update(args.site_or_index, args.index, processes=1), args.top, args.sort)
    else:
        engine = SearchEngine(args.site_or_index)

        def run_all():
            for number, q in enumerate(QUERIES):
                engine.search(SearchRequest(q=q))
                engine.search(SearchRequest(q=q, filters=filters_for(number)))

        run_all()  # warm-up: open the generation, fill caches
        profile(run_all, args.top, args.sort)
    return 0


if __name__ == "__main__":
    sys.exit(main())
