"""Engines that run the batch somewhere other than this machine's process pool (``dask``).

Each engine takes the same inputs as ``jobclauses extract`` and writes the same tables; it imports its
framework only when called, so ``import pipeline`` never needs one installed.
"""
