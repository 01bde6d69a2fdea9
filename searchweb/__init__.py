"""The web front end (placeholder until the web issue lands)."""
