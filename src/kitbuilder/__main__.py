"""`python -m kitbuilder …` is the `kitbuilder` command."""

from .launch import main

if __name__ == "__main__":
    main()
