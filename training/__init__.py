"""Training: annotated data → the shipped models in ``models/``. Never imported by extraction.

Installed as ``gixml.training``.

- ``annotations.py`` — annotation files (one labelled record per line), read and written;
  ``review.py`` checks them by hand, ``prelabel_corpus.py`` makes the first draft;
- ``synth.py`` — synthetic layouts, every line labelled, from a seeded generator;
- ``estimator.py`` — the line classifier as a scikit-learn estimator, compiled for extraction;
- ``prior.py`` — the value prior fitted on ``annotations/values.tsv`` (``collect_values.py``);
- ``train.py`` — ``gixml train``: both models, each into its folder with its card;
- ``evaluate.py`` — ``gixml evaluate``: leave one report out;
- ``zoo/`` — the converter zoo: reports rendered as offices publish them
  (``render.py``), read back by the converters users run (``convert.py``), each
  printed line labelled from what was rendered (``align.py``), scored
  (``matrix.py``, figures in ``training/ZOO.md``); the training zoo ``gixml
  train --zoo`` reads (``dataset.py``); line labelling scored per converter
  (``lines.py``), leave one converter out (``loco.py``), and against a model
  that sees its neighbours' predicted labels (``sequence.py``).
"""
