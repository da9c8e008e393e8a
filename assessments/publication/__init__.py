"""Publication: the published rating on the public register, a trust's Use of Resources
page, and the trust's one review request with CQC's decision.

The workflow calls `services.rating_publish` after the `publish` move; the register is public
information and its pages and API need no sign-in.
"""
