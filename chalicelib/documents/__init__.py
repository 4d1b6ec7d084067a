"""Documents: what each product prints, and how.

`registry.py` (which renderer a product id has), `values.py` (the plain values a renderer
prints), `words.py` (Indonesian dates, money and numbers in words), `products/` (the renderers)
and `letters/plan.py` load no reportlab: `sop check` and the API Lambda read the registry. The
drawing (`letters/frame.py`, `letters/id_card.py`, `ak1_card.py`, `poster.py`, `drawing.py`)
uses reportlab and runs in the worker only.
"""
