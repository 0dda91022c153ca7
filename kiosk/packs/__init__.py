"""Content packs: the model, sources, validation, building, signing and loading."""
