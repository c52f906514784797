"""Pages of the standards app: reported figures (统计填报) and their review, attestations (佐证)
and their review, and the named definitions (指标口径). Staff only, scoped; writes through the
services."""
