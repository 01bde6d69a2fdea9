"""Writing an index: parse a site in a pool, write segments, publish a generation; full or incremental."""
