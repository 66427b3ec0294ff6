"""The converter zoo: reports whose values we know, rendered into the
documents offices publish (``render.py``), read back by the tools users run
(``convert.py``), extracted and scored (``matrix.py``). Training-only: never
imported by extraction."""
