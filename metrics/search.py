"""The search box's trusts: those the person may open (`trusts_visible_to`), by name, ODS
code or region; see core.search."""

from core.search import Found, Hit, Terms, document, found
from metrics.selectors import trusts_visible_to


class TrustSearch:
    kind = "trusts"
    label = "Trusts"

    def find(self, terms: Terms, *, offset: int, limit: int) -> Found:
        def hit(trust, snippet) -> Hit:
            context = f"{trust.ods_code}, {trust.get_trust_type_display()}, {trust.region}"
            return Hit(
                title=trust.name, url=trust.get_absolute_url(), snippet=snippet, context=context
            )

        return found(
            trusts_visible_to(user=terms.user),
            text=document("name", "ods_code", "region"),
            terms=terms,
            offset=offset,
            limit=limit,
            hit=hit,
        )


PROVIDERS = [TrustSearch()]
