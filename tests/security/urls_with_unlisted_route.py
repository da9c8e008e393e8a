"""The service's routes plus one nobody gave a row, to prove the matrix test notices."""

from django.http import HttpResponse
from django.urls import path

from uor_site.urls import urlpatterns as service_urlpatterns

urlpatterns = [
    *service_urlpatterns,
    path("forgotten/", lambda request: HttpResponse("oops"), name="forgotten_page"),
]
