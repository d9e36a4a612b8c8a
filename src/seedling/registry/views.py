from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render


@login_required
def home(request):
    return render(request, "registry/home.html", {})


@login_required
def child_list(request):  # STUB
    return HttpResponse("")


@login_required
def child_create(request):  # STUB
    return HttpResponse("")


@login_required
def child_detail(request, uuid):  # STUB
    return HttpResponse("")


@login_required
def child_edit(request, uuid):  # STUB
    return HttpResponse("")


@login_required
def proposal_queue(request):  # STUB
    return HttpResponse("")
