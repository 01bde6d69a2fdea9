"""Benchmark suite: a deterministic large-site generator and ``make bench`` (see README, « Performance »)."""
