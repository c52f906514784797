"""Chinese first: pages are in Chinese unless the user chose English with the switch (cookie).

Django's LocaleMiddleware would follow the browser's Accept-Language, so a headless or English
browser would get English pages by default. Pages here ignore Accept-Language; the JSON API honours
it, so outside tools can ask for English messages.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


class ChineseFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = None
        if language is None and request.path.startswith("/api/"):
            accepted = translation.get_language_from_request(request, check_path=False)
            language = accepted if accepted in self.supported else None
        language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
