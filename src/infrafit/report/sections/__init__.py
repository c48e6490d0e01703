"""One view per plan section (``jobs:`` and those to come): how its reports read in every kind and format."""
