"""The index on disk, as readers and writers both see it: schema, generations, sidecar data."""
