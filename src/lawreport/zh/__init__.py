"""Chinese knowledge, defined once: numerals (digits, units, myriads, fractions, ratios),
punctuation (sentence ends, clause breaks, brackets), dates and years, the script
(traditional -> simplified), frequent characters and the word segmenter. Every stage takes
these definitions from here, and data files use them as ``{ChineseDigit}``, ``{SentenceEnd}``…
(:mod:`lawreport.zh.fragments`). Data: ``data/zh/``."""
