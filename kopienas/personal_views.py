# Work in progress (issue 3): the signed-in person's pages are being written.
from django.http import Http404


def _todo(request, **kwargs):
    raise Http404


my_page = my_profile = my_data = my_account_delete = _todo
