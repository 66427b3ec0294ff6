"""Stage 3 — tables: labelled lines → every cell of the three tables, with its provenance.

In: the labelled lines of stage 2. Out: :class:`~gixml.tables.assemble.Tables`
(the format, a :class:`~gixml.records.Cell` per key of the format, units,
warnings), then the form's identities checked (:func:`validate`).

- ``assemble.py`` — each table's region, the format, every key of it (the entry point);
- ``active.py``, ``requests.py``, ``appeals.py`` — each table read from its region;
- ``rows.py`` — row labels claiming the values after them, cells made from tokens;
- ``glued.py`` — digit runs holding several cells, and where they can be cut;
- ``order.py`` — rows of values without their labels, placed by the form's row order;
- ``matching.py`` — lines of values given to the row label just above or below them (values printed above their labels);
- ``prior.py`` — the value prior that ranks the cuts of a glued run without an identity;
- ``identities.py`` — the form's identities, and :func:`validate` (a failed one is a warning, never a change).
"""
