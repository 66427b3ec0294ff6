"""The shipped models, one folder each with its card (installed as ``gixml.models``):
``line-classifier/`` (``model.npz``, ``card.json``, ``EVALUATION.md``) and
``value-prior/`` (``prior.json``, ``card.json``). ``gixml train`` makes them."""
