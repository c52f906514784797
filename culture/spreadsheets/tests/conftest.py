import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and marked files go to a throwaway MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
