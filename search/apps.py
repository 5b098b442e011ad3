"""Oscar's search app, forked so that the label 'search' is ours.

For now it keeps Oscar's behaviour (Haystack's database engine); the search issue replaces
the product search with our own backends.
"""

import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    name = "search"
