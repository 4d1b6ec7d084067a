"""The letter frame of the offices (reportlab) and the ID CPMI card's drawing.

- `plan.py`: what a letter says (`Plan`: paragraphs, particulars, the other party), plain values;
- `frame.py`: the office's frame around a `Plan` (letterhead, Nomor, signature block, QR code,
  DRAF watermark), drawn with reportlab;
- `id_card.py`: the ID CPMI card (Kota Tangerang), drawn with reportlab.

Which letter a product gets is the registry's business (`chalicelib/documents/registry.py`, the
renderers in `chalicelib/documents/products/`); the rules of drafts, signatures and numbers are
`chalicelib/services/issuing.py`'s. Importing this package loads no reportlab.
"""
