"""The search page: the header's search box sends its words here."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView

from core.pagination import page_of

from . import search
from .forms import SearchForm


class SearchView(LoginRequiredMixin, TemplateView):
    """Every kind's first hits, or one kind's pages (?kind=); each kind shows only what the
    person may open (its provider asks the selectors and policies the pages ask)."""

    template_name = "core/search_results.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET or None)
        context = super().get_context_data(form=form, query="", **kwargs)
        if not form.is_valid() or not form.cleaned_data["q"]:
            return context
        user, query = self.request.user, form.cleaned_data["q"]
        context["query"] = query
        kind = form.cleaned_data["kind"]
        if not kind:
            context["groups"] = groups = search.search_everything(user=user, text=query)
            context["total"] = sum(group.total for group in groups)
            return context
        provider = search.provider_for(kind)
        if provider is None:
            raise Http404("No such kind of result")
        number, group = search.search_kind(
            user=user, text=query, provider=provider, page=form.cleaned_data["page"] or 1
        )
        context["group"] = group
        context["total"] = group.total
        context["page_obj"] = page_of(
            range(group.total), number=number, per_page=search.KIND_PAGE_SIZE
        )
        return context
