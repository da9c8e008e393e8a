"""Changing who leads or works on an assessment: the page, the service and the API action."""
