"""Adaptive models of Keelerada: pure numpy/scipy/scikit-learn, no web and no DB.

Callers pass arrays, `now` (epoch seconds) and, where randomness is needed, a `numpy.random.Generator`.
"""
