"""make bench: training time, model size, start time, memory, latency and accuracy
of this assistant beside stock Rasa and a TF-IDF baseline (see __main__.py)."""
