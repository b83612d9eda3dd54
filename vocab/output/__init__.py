"""What the learner gets: cards, the Anki deck, text exports and the HTML preview."""
