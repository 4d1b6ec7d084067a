"""The renderers of every product Loket prints, one module per family of documents.

Every module of this package is imported the first time the registry is read
(`chalicelib.documents.registry`), and registers its renderers with `@renderers.letter(...)` or
`@renderers.register(...)`. Keep these modules light: import reportlab (and anything that loads
it) inside the functions, because `sop check` and the API Lambda read the registry.

- `letters.py`: the letters of the offices' services (a `Plan` each, in the office's frame);
- `cards.py`: the AK/I card and the ID CPMI card (A4 sheets to cut out and fold).
"""
