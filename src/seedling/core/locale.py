"""Language: pages are in zh-Hans unless the user switched (cookie); API clients ask by Accept-Language."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class SeedlingLocaleMiddleware(LocaleMiddleware):
    """zh-Hans by default on every page, whatever the browser's language; English by the switch.

    Staff share computers and browsers set up in any language; the system speaks Chinese unless the
    user chose English. API clients state their language in Accept-Language, as HTTP intends.
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
