"""From the model to kit files: shared HTML fragments, then one writer per format."""
