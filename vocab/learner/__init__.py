"""The learner: known words, what they chose to study, and how much of a text they can read."""
