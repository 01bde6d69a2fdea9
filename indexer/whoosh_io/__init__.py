"""The one door into Whoosh's internals: the segment writer, the posting reader, the commit glue."""
