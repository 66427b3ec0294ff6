"""Training the line classifier: annotated data → the model in ``models/``.

Installed as ``gixml.training``. Entry points: :func:`gixml.training.train.train`
(``gixml train``), :func:`gixml.training.evaluate.evaluate` (``gixml evaluate``)
and the synthetic layout generator :mod:`gixml.training.synth`.
"""
