"""`kitbuilder new`: a new project folder that checks clean and builds at once."""
