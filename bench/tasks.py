"""One measured step, run in a fresh process by :func:`bench.measure.run_task`; prints one JSON line.

Example: ``python -m bench.tasks build project SITE INDEX``, ``python -m bench.tasks query whoosh INDEX`` or
``python -m bench.tasks freshness SITE INDEX``.
"""

import argparse
import json
import sys

from . import freshness, plain_whoosh, project_side, tantivy_ref
from .measure import query_benchmark

SIDES = {"project": project_side, "whoosh": plain_whoosh, "tantivy": tantivy_ref}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tasks")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("build", "update"):
        command = commands.add_parser(name)
        command.add_argument("side", choices=SIDES if name == "build" else ["project"])
        command.add_argument("site")
        command.add_argument("index")
    fresh = commands.add_parser("freshness", help="seconds from a saved page to a search finding it")
    fresh.add_argument("site")
    fresh.add_argument("index")
    query = commands.add_parser("query")
    query.add_argument("side", choices=SIDES)
    query.add_argument("index")
    query.add_argument("--repeats", type=int, default=3)
    query.add_argument("--cold-only", action="store_true", help="only open the index and run the first query")
    args = parser.parse_args(argv)
    if args.command == "freshness":
        print(json.dumps(freshness.measure(args.site, args.index)))
        return 0
    side = SIDES[args.side]
    if args.command == "build":
        result = side.build(args.site, args.index)
    elif args.command == "update":
        result = side.update(args.site, args.index)
    else:
        result = query_benchmark(side.opener(args.index), args.repeats, args.cold_only)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
