"""The public statistics page and the open data files (cms/oversight/public.py)."""

from django.urls import path

from cms.oversight import public

# Under the language prefix (storefront/urls.py's i18n_patterns): /thong-ke/ and /en/thong-ke/.
urlpatterns = [
    path("thong-ke/", public.statistics, name="statistics"),
]

# One URL whatever the language: the files hold the register's own (Vietnamese) words.
open_data_urlpatterns = [
    path("du-lieu-mo/san-pham-ocop.csv", public.register_file, {"fmt": "csv"}, name="open-data-csv"),
    path("du-lieu-mo/san-pham-ocop.json", public.register_file, {"fmt": "json"}, name="open-data-json"),
]
