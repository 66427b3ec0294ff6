"""The shipped line-classifier model (installed as ``gixml.models``)."""
