"""What every app shares and none owns.

Checked uploads, rendered documents, the four-point rating scale, CSV export, the API's error
handler, policy decisions and the authorization matrix. `core` imports none of the apps: the
apps import it, and the matrix gathers its rows from each app's `access.py` at start-up.
"""
