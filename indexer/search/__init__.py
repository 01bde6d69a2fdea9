"""Searching an index: query language, query plan, scoring, facets, snippets, similar pages."""
