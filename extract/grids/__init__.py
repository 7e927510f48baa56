"""Step 2: grids of cells from table pages (Camelot lattice, ruled text), stitched into logical tables."""
