"""The API's OpenAPI schema as the API answers: bare lists where an action returns one, and
every error answer (core.api) documented with its body.

`ApiAutoSchema` is DRF's DEFAULT_SCHEMA_CLASS and `document_errors` a drf-spectacular
postprocessing hook (settings.SPECTACULAR_SETTINGS). tests/security/test_api_schema.py runs
schemathesis over the schema as each role, so an answer the schema does not describe fails.
"""

from drf_spectacular.openapi import AutoSchema

ERROR = {
    "type": "object",
    "description": "Why the request was refused.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# NOTE: DRF nests the errors of a list's or a dict's items under their index or key, and
# core.api puts errors of the whole request under "errors".
VALIDATION_ERRORS = {
    "type": "object",
    "description": "Each field's messages under its name (the whole request's under "
    '"errors"); a field of a list or mapping nests them by index or key.',
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"$ref": "#/components/schemas/ValidationErrors"},
        ]
    },
}
VERSION_ERRORS = {
    "type": "object",
    "description": "Why the edit was refused, under `version` (428) or `errors` (409).",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

DESCRIPTIONS = {
    "400": "The request is not valid: the body says which field and why.",
    "401": "Not signed in: sign in, then send the session cookie.",
    "403": "Signed in, but this role or this step may not do it (the policy's message).",
    "404": "No such object, or one you may not see.",
    "409": "Someone else saved a newer version since you read it; read it again and retry.",
    "428": "The item exists already: send the `version` you last read with your change.",
}
UNSAFE = ("post", "put", "patch", "delete")


class ApiAutoSchema(AutoSchema):
    """Page only a viewset's `list`: its other actions return bare lists (or one object)."""

    def _get_paginator(self):
        if getattr(self.view, "action", None) != "list":
            return None
        return super()._get_paginator()


def _json(ref: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _body_names(operation: dict, schemas: dict) -> set[str]:
    """The property names of an operation's JSON request body."""
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    schema = body.get("schema", {})
    if "$ref" in schema:
        schema = schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return set(schema.get("properties", {}))


def _errors_of(method: str, operation: dict, schemas: dict) -> dict[str, str]:
    """The error answers an operation can give: status code -> response schema name."""
    errors = {}
    parameters = operation.get("parameters", [])
    if method in UNSAFE or any(p["in"] == "query" for p in parameters):
        errors["400"] = "BadRequest"
    security = operation.get("security", [])
    if security and {} not in security:  # an operation anyone may call refuses nobody
        errors["401"] = errors["403"] = "Error"
    if any(p["in"] == "path" for p in parameters):
        errors["404"] = "Error"
    if method in UNSAFE and "version" in _body_names(operation, schemas):
        errors["409"] = errors["428"] = "VersionErrors"
    return errors


def document_errors(result, generator, request, public):
    """Add each operation's error answers, and the shapes of their bodies, to the schema."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    schemas["ValidationErrors"] = VALIDATION_ERRORS
    schemas["VersionErrors"] = VERSION_ERRORS
    schemas["BadRequest"] = {
        "description": "A refusal with its reason, or the fields' validation errors.",
        "anyOf": [
            {"$ref": "#/components/schemas/Error"},
            {"$ref": "#/components/schemas/ValidationErrors"},
        ],
    }
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            responses = operation.setdefault("responses", {})
            for code, name in _errors_of(method, operation, schemas).items():
                responses.setdefault(
                    code, {"description": DESCRIPTIONS[code], "content": _json(name)}
                )
    return result
