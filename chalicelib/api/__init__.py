"""The public JSON API used by static_site/ (applicants)."""
