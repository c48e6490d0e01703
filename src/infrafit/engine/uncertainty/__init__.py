"""Cost ranges: a plan's uncertain usage sampled jointly and priced sample by sample, as a distribution of the
month's cost (percentiles, mean, the probability of exceeding the budget) and what drives its spread."""
