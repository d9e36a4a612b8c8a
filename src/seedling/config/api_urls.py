from rest_framework.routers import DefaultRouter

router = DefaultRouter()
# Each app registers its viewsets here (see registry/api.py, geo/api.py).
urlpatterns = router.urls
