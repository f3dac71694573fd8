"""Measuring the pipeline: clause, position and cluster scores by ``../shared/eval/FORMAT.md``, facts scores,
the classifier's own measurements and the script that trains and measures the model pack.

This package imports the pipeline; the pipeline never imports it (``tests/test_imports.py`` checks).
"""
