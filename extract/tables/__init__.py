"""Step 3: meaning from grids — table kinds, column roles, typed line items, performance targets."""
