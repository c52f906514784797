"""The world of the residents' library page tests: two branches, one in the resident's community
c11 ("near", LNEAR) and one in c21 ("far", LFAR), a culture station that is no library, three
titles with their copies; the resident and another resident of c11."""

from __future__ import annotations

import pytest

from culture.library.tests.resident_pages.world import (
    make_book,
    make_copy,
    make_resident,
)
from culture.venues.models import VenueKind
from culture.venues.tests.factories import venue as make_venue


@pytest.fixture
def lib(tree):
    """Two branches: one in the resident's community c11 ("near"), one in c21 ("far"); 三体 has
    a copy on the shelf at the far branch only, 三体Ⅱ one at each."""
    near = make_venue(operator=tree["s1"], at=tree["c11"], kind=VenueKind.BRANCH_LIBRARY,
                      code="LNEAR", name_zh="湖墅分馆", address="湖墅南路 8 号")  # fmt: skip
    far = make_venue(operator=tree["s2"], at=tree["c21"], kind=VenueKind.BRANCH_LIBRARY,
                     code="LFAR", name_zh="武林分馆")  # fmt: skip
    make_venue(operator=tree["s1"], at=tree["c11"], kind=VenueKind.CULTURE_STATION,
               code="NOTLIB", name_zh="湖墅文化站")  # fmt: skip
    one = make_book("三体", "T-1", author="刘慈欣", publisher="重庆出版社", pub_year=2008)
    two = make_book("三体Ⅱ：黑暗森林", "T-2", author="刘慈欣")
    other = make_book("红楼梦", "T-3", author="曹雪芹")
    make_copy(one, far, "B-1-FAR")
    make_copy(two, far, "B-2-FAR")
    make_copy(two, near, "B-2-NEAR")
    make_copy(other, near, "B-3-NEAR")
    return {"near": near, "far": far, "one": one, "two": two, "other": other, "tree": tree}


@pytest.fixture
def resident(lib):
    return make_resident(lib["tree"]["c11"], 1)


@pytest.fixture
def other(lib):
    return make_resident(lib["tree"]["c11"], 2)
