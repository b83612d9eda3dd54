"""Finding the terms: candidates (words, compounds, names), glosses, ranking and filters."""
