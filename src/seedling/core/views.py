from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def audit_log_page(request):  # STUB: the audit work builds this page
    return HttpResponse("")
