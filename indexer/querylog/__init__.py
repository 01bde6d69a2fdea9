"""The query log: what visitors searched for, kept in SQLite, and the report maintainers read.

The web app records each search (:mod:`~indexer.querylog.recorder`) and ``eig-search report``
reads them (:mod:`~indexer.querylog.report`, :mod:`~indexer.querylog.text`); both go through
:mod:`~indexer.querylog.database`, so neither imports the other. A row holds what was asked
(normalised, :mod:`~indexer.querylog.entries`) and what the engine answered, never who asked:
no address, no user agent, no cookie, and the time only to the minute.
"""
