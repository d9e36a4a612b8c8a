from .request_context import RequestInfo, current_request


def _client_ip(request) -> str | None:
    # Behind nginx, REMOTE_ADDR is the proxy; the proxy must set X-Real-IP.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(RequestInfo(ip=_client_ip(request), path=request.path[:300]))
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
