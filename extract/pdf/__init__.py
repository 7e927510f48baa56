"""Step 1: opening a PDF — its bytes' identity, metadata, page texts, which pages may hold tables."""
