"""Measuring relevance on judged queries (``eig-search eval``)."""
