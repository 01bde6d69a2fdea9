"""Read a Jekyll-style site, analyse its text for French search, write and search a Whoosh index."""
