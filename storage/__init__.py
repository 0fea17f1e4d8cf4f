"""Where conversations are kept: the redacting tracker store and retention."""
