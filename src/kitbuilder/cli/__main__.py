"""`python -m kitbuilder.cli …` is the `kitbuilder` command."""

from . import main

if __name__ == "__main__":
    main()
