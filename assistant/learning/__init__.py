"""Knowledge Graph Tuning: the subject of a correction, the relations the model names,
their scores, the decision of what to add and remove, and statements made in chat."""
