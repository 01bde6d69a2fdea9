"""Counts kept in nested mappings (``{facet: {key: {form: count}}}``), taken back one at a time.

``update`` takes back what a changed or deleted page had counted, so that the counts equal those
a full build would make: a level left empty is dropped, as a full count never holds it.
"""


def take_back(counts: dict, *keys) -> None:
    """Take one from ``counts[keys[0]][keys[1]]…``, dropping each level left empty; nothing
    when that count is not there."""
    levels = [counts]
    for key in keys[:-1]:
        if key not in levels[-1]:
            return
        levels.append(levels[-1][key])
    if keys[-1] not in levels[-1]:
        return
    levels[-1][keys[-1]] -= 1
    for level, key in reversed(list(zip(levels, keys))):
        if level[key] if isinstance(level[key], int) else len(level[key]):
            return
        del level[key]
