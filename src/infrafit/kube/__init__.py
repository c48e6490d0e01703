"""Kubernetes arithmetic that knows nothing of plans: quantities, node reservations, pod packing, fleet search."""
