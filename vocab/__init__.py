"""vocab: domain vocabulary from Japanese political news, as an Anki deck.

The package is a pipeline, one module per stage:
articles → sentences → tokens → candidates → dictionary/frequency/jlpt → ranking → deck/export.
Importing ``vocab`` is cheap; heavy dependencies load in the stage that uses them.
"""

__version__ = "0.1.0"
