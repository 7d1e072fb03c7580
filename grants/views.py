# Work in progress (issue 3): the grant pages are being written.
from django.http import Http404


def _todo(request, **kwargs):
    raise Http404


round_list = round_detail = apply = application_detail = application_edit = _todo
application_withdraw = attachment_download = _todo
