"""What a project's card lets staff act on, from the page's data (``_data`` joins): its team, with
the people's profile pages when the site has them, and its links — source code, poster, videos,
the administration's site. Only http(s) addresses become links, and a page's own address is a
path of the site; :func:`public` gives what a visitor may follow."""

import weakref
from collections import OrderedDict

from indexer.urls import HTTP_URL_RE, is_site_path, site_path

#: Team members by the data's field, and the role the API gives them.
TEAM_ROLES = {"eigs": "eig", "mentors": "mentor"}
#: Link fields of the data, by kind, in the order a card shows them.
LINK_FIELDS = (("source_code", "source_code"), ("poster", "poster"), ("administration_website", "website"))
VIDEO_FIELD = "end_of_project_videos"
#: Where a video of each platform is watched, from its id.
VIDEO_PAGES = {
    "dailymotion": "https://www.dailymotion.com/video/{id}",
    "youtube": "https://www.youtube.com/watch?v={id}",
    "vimeo": "https://vimeo.com/{id}",
    "loom": "https://www.loom.com/share/{id}",
}


def team(record: dict) -> list[dict]:
    """``[{name, role}]`` of a page's team, in the data's order, each person once."""
    meta, found = record.get("meta") or {}, OrderedDict()
    for field_name, role in TEAM_ROLES.items():
        for name in _as_list(meta.get(field_name)):
            name = str(name).strip()
            if name and name not in found:
                found[name] = {"name": name, "role": role}
    return list(found.values())


def links(record: dict) -> list[dict]:
    """``[{kind, url}]`` of a page's data: source code, poster, videos, administration's site."""
    meta = record.get("meta") or {}
    found = [{"kind": kind, "url": str(meta[name]).strip()} for name, kind in LINK_FIELDS[:2] if meta.get(name)]
    for video in _as_list(meta.get(VIDEO_FIELD)):
        page = VIDEO_PAGES.get(str(video.get("platform", "")).lower()) if isinstance(video, dict) else None
        if page and str(video.get("id", "")).strip():
            found.append({"kind": "video", "url": page.format(id=str(video["id"]).strip())})
    found += [{"kind": kind, "url": str(meta[name]).strip()} for name, kind in LINK_FIELDS[2:] if meta.get(name)]
    return [link for link in found if HTTP_URL_RE.fullmatch(link["url"]) or is_site_path(link["url"])]


def public(items: list[dict], base: str) -> list[dict]:
    """Items whose ``url`` a visitor may follow: http(s) addresses as they are, paths of the site
    behind ``base`` (a safe http(s) address or nothing); an item without a usable address keeps
    no ``url`` when it is a person, and is left out when it is a link."""
    shown = []
    for item in items:
        url = item.get("url", "")
        if url and not HTTP_URL_RE.fullmatch(url):
            url = base + site_path(url) if is_site_path(url) and (not base or HTTP_URL_RE.fullmatch(base)) else ""
        if url:
            shown.append({**item, "url": url})
        elif "name" in item:
            shown.append({key: value for key, value in item.items() if key != "url"})
    return shown


def year_only(record: dict) -> bool:
    """A page dated by its year alone: its date is the 1st of January of the year its data
    gives (a défi named ``2019-01-01-…`` with ``year: 2019``)."""
    date, year = str(record.get("date") or ""), str((record.get("meta") or {}).get("year") or "")
    return bool(year) and date == f"{year}-01-01"


_profiles: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def with_profiles(generation, hits) -> None:
    """Give each team member of ``hits`` the URL of the site's page titled with their name, when
    there is one (their profile), read once per generation."""
    pages = _profiles.get(generation)
    if pages is None:
        pages = _profiles[generation] = {card[0].strip(): card[1] for card in generation.cards
                                         if card and card[0] and card[2] not in generation.search.projects}
    for hit in hits:
        hit.team = [{**person, "url": pages[person["name"]]} if person["name"] in pages else person
                    for person in hit.team]


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
