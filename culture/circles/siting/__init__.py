"""Siting: where new venues and spaces should go so that the homes that fail a coverage rule meet
it (policy 2.2.3: within 1.5 km, >= 1 public culture venue and >= 2 public-welfare spaces).

- ``model``: the instance (pure numpy/scipy): which homes fail and by how much, which candidate
  sites reach them, which homes no candidate can help (unreachable);
- ``solve``: the two questions as integer programs on a sparse matrix (``scipy.optimize.milp``,
  HiGHS) with a time limit, and a labelled greedy heuristic for huge inputs;
- ``grid``: candidate sites generated on a regular grid inside the district (shapely);
- ``plan``: the platform's answer for a viewer (homes, facilities and candidates from the
  database, scoped), used by the page, the API and ``manage.py siting``.
"""
