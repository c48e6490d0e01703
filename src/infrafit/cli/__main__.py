"""`python -m infrafit.cli`: the same as the `infrafit` command."""

from infrafit.cli import main

main()
