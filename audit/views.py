from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.permissions import hr_admin_required
from audit.forms import AuditFilterForm
from audit.selectors import entry_rows, log_entries

ENTRIES_PER_PAGE = 50


@hr_admin_required
def audit_log(request):
    """What HR (and the system) changed, newest first, with filters.

    A filter that cannot be read (a bad date, an unknown programme) is shown
    as an error on its field and left out; the page answers 400 so that a
    broken link is visible as such, never a 500.
    """
    form = AuditFilterForm(request.GET)
    valid = form.is_valid()
    entries = log_entries(**form.filters())
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": entry_rows(list(page.object_list)),
        "query": query.urlencode(),
    }
    return render(request, "audit/audit_log.html", context, status=200 if valid else 400)
