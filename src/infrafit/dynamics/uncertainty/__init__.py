"""Distributions of one uncertain number (a month's requests, a share of uptime), sampled in bulk with NumPy.

They know nothing of plans or units: the plan layer turns a written range into one of these over plain floats.
"""

from infrafit.dynamics.uncertainty.samplers import Choice, Distribution, LogNormal, Triangular, Uniform

__all__ = ["Choice", "Distribution", "LogNormal", "Triangular", "Uniform"]
