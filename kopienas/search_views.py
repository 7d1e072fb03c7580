"""The site's search page (/meklet/): one box for centres, communities, events and initiatives."""

from django.shortcuts import render
from django.utils import timezone

from core import pagecache

from . import search


@pagecache.public_page()
def search_page(request):
    form = search.SearchForm(request.GET if "q" in request.GET else None)
    results = None
    if form.is_valid():
        results = search.search(query=form.cleaned_data["q"], now=timezone.now())
        # When an upcoming event found ends, it moves to the past ones on this page.
        pagecache.changes_at(request, results.changes_at)
    return render(
        request,
        "kopienas/search.html",
        {"form": form, "results": results},
    )
