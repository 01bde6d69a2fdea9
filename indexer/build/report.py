"""What a run did: the counts, drafts and problems the CLI prints and ``--json`` returns."""

from collections import Counter
from dataclasses import dataclass, field

from indexer.site import ministries
from indexer.site.files import Skipped


@dataclass
class Report:
    """What a run did, for the end-of-run summary and ``--json`` output."""

    mode: str = "build"
    site: str = ""
    generation: str | None = None
    indexed: int = 0
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Skipped] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    note: str = ""
    read: list[str] = field(default_factory=list)  # the files read, in the order they were
    notes: list[str] = field(default_factory=list)  # the search settings, collections without pages
    suggestions: list = field(default_factory=list)  # facets ``check`` suggests (facetsuggest.Suggestion)
    search_yaml: str = ""  # the search: section with those facets, ready to paste
    unmapped: Counter = field(default_factory=Counter)  # administrations without a ministry → pages

    @property
    def problems(self) -> list[Skipped]:
        return self.skipped + self.warnings

    def start(self, site) -> None:
        """Open with what reading the site found before any page: refused names and folders,
        ``_data`` files that could not be read (parsing them if not done yet)."""
        self.site = str(site.root)
        self.skipped.extend(site.data_problems)
        self.skipped.extend(site.refused)

    def count(self, parsed) -> None:
        """Add the outcome of one file read (a :class:`~indexer.build.parsing.Parsed`)."""
        self.read.append(parsed.path)
        if parsed.status == "draft":
            self.drafts.append(parsed.path)
        elif parsed.status == "skipped":
            self.skipped.append(Skipped(parsed.path, parsed.reason))
        elif parsed.status == "indexed":
            self.kinds[parsed.kind] += 1
            self.warnings.extend(Skipped(parsed.path, warning) for warning in parsed.warnings)
            self.unmapped.update(ministries.unmapped(parsed.facets))
