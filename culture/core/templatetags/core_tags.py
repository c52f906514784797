from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for pagination and sorting)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.inclusion_tag("core/audit_values.html")
def audit_values(values, other=None):
    """A before/after dict as short key: value lines; keys that changed are highlighted."""
    if not isinstance(values, dict):
        return {"items": [], "raw": values}
    other = other if isinstance(other, dict) else {}
    items = [
        {"key": k, "value": v, "changed": bool(other) and other.get(k) != v}
        for k, v in values.items()
    ]
    return {"items": items, "raw": None}
