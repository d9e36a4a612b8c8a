from django.conf import settings


def seedling(request):
    return {"SEEDLING_ENV": settings.ENV}
