from django.conf import settings

from .request_context import RequestInfo, current_request


def _client_ip(request) -> str | None:
    # Behind nginx REMOTE_ADDR is the proxy, which sets X-Real-IP; without a proxy the header is the
    # client's own claim, so it is trusted only where settings say a proxy sets it.
    header = getattr(settings, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", None)
    if header:
        forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"))
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(RequestInfo(ip=_client_ip(request), path=request.path[:300]))
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
