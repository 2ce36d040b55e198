"""Text in, text out: the English the core reads and writes.

Descriptions ("my sister", "I"), the statement a question and its answer make, what a
question asks for, the phrases that point at things, names in a message, relation
matching, how a fact is worded to the user, and every prompt the model is given. Nothing
here touches the database or the model.
"""
