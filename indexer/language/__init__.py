"""Turning text into terms: the French (and English) analysis chain, synonyms and acronyms."""
