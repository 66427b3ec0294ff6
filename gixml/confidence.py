"""How sure gixml is: every confidence constant, each with what it means.

A cell's ``confidence`` is the confidence of the path that read it (below)
times the confidence with which its line was labelled (the rule's own, below,
or the classifier's probability). Paths under 0.7 also flag the cell
``low_confidence``.
"""
from __future__ import annotations

# -- cells, by the path that read them ----------------------------------------
#: A row label, then exactly as many values as the row has columns.
ROW_EXACT = 0.97
#: The appeals table: exactly its fifteen values after its column headers.
TABLE_EXACT = 0.95
#: A row read by the form's row order whose own line prints its label.
ROW_BY_ORDER_LABELLED = 0.95
#: As many numbers as columns once stray blank marks between them are left out.
BLANKS_DROPPED = 0.9
#: More values than columns, each run of equal values one merged cell printed once per grid column it spans.
MERGED_REPEATS = 0.9
#: A glued digit run with exactly one split that fits the form and its identities.
ONLY_SPLIT = 0.9
#: A cell printed over two lines by a narrow column, joined by the only joining that fits the identities.
JOINED_ACROSS_LINES = 0.85
#: Several splits fit a glued row; the column identities across rows single one out.
SPLIT_BY_COLUMNS = 0.85
#: A line of values given to the row label just above or below it, the only
#: such matching that fills the most rows and breaks fewest identities (``matching.py``).
ROW_BY_MATCHING = 0.85
#: A row of values printed without its label, placed by the form's row order.
ROW_BY_ORDER = 0.85
#: Cells the labels did not place, when the table's other values are exactly as many and all the same
#: number: each cell is that number whatever the printed order (``rows.uniform_values``).
UNIFORM_VALUES = 0.85
#: A row of values gathered from one-value lines (a block printed column by
#: column, or a row printed down the page) and placed by the form's row order
#: without its label (low confidence): in the converter zoo 37% of such cells
#: were a row off (98 of 266 on plain pdftotext and pdfminer text), against none
#: of 12,560 rows printed on one line (``training/ZOO.md``).
ROW_BY_ORDER_FROM_RUNS = 0.6
#: Fewer values than columns, placed by their tab-separated fields (low confidence).
BY_TAB_FIELDS = 0.6
#: Several splits fit equally well; the one with the fewest non-zero cells is taken (low confidence).
SPLIT_BY_FEWEST = 0.5
#: Several splits fit a row that has no identity; the value prior's likeliest is taken (low confidence).
SPLIT_BY_PRIOR = 0.4
#: A factor: two row labels, then one row of values, kept on the second row (low confidence).
AMBIGUOUS_ROW = 0.5
#: A factor: a row beside a row printed but left undetermined (its values may be that row's; low confidence).
BESIDE_UNDETERMINED = 0.6
#: A factor: the appeals table's values printed between its column headers (their order is in doubt; low confidence).
BETWEEN_HEADERS = 0.6
#: A factor: a cell in an identity the printed values break (flagged ``failed_identity``). Without it,
#: 9 of the corpus's 5,830 cells read with confidence ≥ 0.9 were wrong (``python -m gixml.training.unflagged``).
IN_FAILED_IDENTITY = 0.6

# -- lines: how sure each rule of lines/rules.py is ------------------------------
# At RULE_THRESHOLD or above, the rule decides the line; below it, the classifier is asked.
#: A blank line.
RULE_CERTAIN = 1.0
#: A page number; a title or a label line without values; a line of numbers alone; a plain sentence.
RULE_SURE = 0.95
#: A table label with its values (a row, or a table glued into one line); web or print furniture.
RULE_STRONG = 0.9
#: Prose that no other rule recognised.
RULE_DEFAULT = 0.85
#: A line that ends like a report's title; prose that holds a table label.
RULE_LIKELY = 0.8
#: One small number alone (a cell, or a page number); values after a fragment of a wrapped label.
RULE_UNSURE = 0.7
#: Numbers with a little text; a short fragment of a broken label.
RULE_GUESS = 0.6

# -- lines: who decides a line's label ----------------------------------------
# gixml train and gixml evaluate use these two, and train writes them into the
# model's card; extraction takes them from the card of the model it loads.
#: The rules decide a line when they are at least this sure ...
RULE_THRESHOLD = 0.9
#: ... elsewhere the classifier decides when it is at least this sure (else the rules' guess stands).
MODEL_THRESHOLD = 0.8
#: ``gixml annotate`` counts the lines labelled with less confidence than this as worth a look.
REVIEW_BELOW = 0.9
