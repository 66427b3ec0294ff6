"""Stage 2 — lines: the report's text → labelled lines, each with its tokens.

In: the :class:`~gixml.read.document.Document`'s text. Out: one
:class:`~gixml.lines.labels.LabelledLine` per line: the line (raw and
normalised), the labels and values printed on it (tokens), what the line is
(heading, table label, number, row, prose, noise, blank), how sure, and
whether the rules or the classifier decided.

In data-flow order:

- ``normalise.py`` — full-width forms folded, spaces inside labels removed, cell separators as tabs;
- ``values.py`` — one printed cell read (``＋30`` → 30, ``78104.6元``, ``/``);
- ``tokenise.py`` — the form's labels and the values between them, per line;
- ``labels.py`` — the line labels, and the interface every labeller answers;
- ``rules.py`` — the rules that label a line (the baseline);
- ``features.py``, ``ngrams.py`` — what the classifier sees of a line;
- ``scorer.py`` — the trained classifier, loaded from ``models/line-classifier/``;
- ``cascade.py`` — the rules where they are sure, the classifier elsewhere;
- ``rejoin.py`` — table labels broken over several lines joined again.
"""
