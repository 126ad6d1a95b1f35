"""The OpenAPI 3.1 description of the read-only API, served at /api/v1/openapi.json."""

ERROR = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
PUBLIC_ACTION = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "string"},
        "outcome": {"type": "string"},
        "progress": {"type": "string"},
        "links": {
            "type": "array",
            "items": {"type": "object", "properties": {"title": {"type": "string"}, "url": {"type": "string"}}},
        },
    },
}


def schema() -> dict:
    bearer = [{"bearer": []}]
    plan_summary = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "area": {"type": "string"},
            "name": {"type": "string"},
            "year": {"type": "integer"},
            "state": {"type": "string", "enum": ["draft", "submitted", "returned", "resubmitted", "accepted"]},
            "version": {"type": "integer"},
            "late": {"type": "boolean"},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "vrhub API",
            "version": "1",
            "description": "Read-only access to Violence and Vulnerability Reduction Action Plans. Published "
            "plan summaries are public; everything else needs a bearer token.",
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": ERROR, "PublicAction": PUBLIC_ACTION, "PlanSummary": plan_summary},
        },
        "paths": {
            "/public/{vru}/{year}/plans": {
                "get": {
                    "summary": "Published plan summaries of a VRU's boroughs (no personal data)",
                    "parameters": [
                        {"name": "vru", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "year", "in": "path", "required": True, "schema": {"type": "integer"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "Boroughs and their accepted plans",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "vru": {"type": "string"},
                                            "year": {"type": "integer"},
                                            "boroughs": {"type": "array", "items": {"type": "object"}},
                                        },
                                    }
                                }
                            },
                        },
                        "404": {"description": "Not published"},
                    },
                }
            },
            "/plans": {
                "get": {
                    "summary": "Plans the token's user may see",
                    "security": bearer,
                    "parameters": [{"name": "year", "in": "query", "required": False, "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {
                            "description": "Plans",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "plans": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/PlanSummary"},
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        "400": {
                            "description": "Bad year",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
                        "401": {
                            "description": "No or bad token",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
                    },
                }
            },
            "/plans/{id}": {
                "get": {
                    "summary": "One plan with every action",
                    "security": bearer,
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {"description": "The plan"},
                        "401": {"description": "No or bad token"},
                        "404": {"description": "No such plan"},
                    },
                }
            },
            "/london/{year}/summary": {
                "get": {
                    "summary": "Every borough's state, completeness and status counts (VRU staff)",
                    "security": bearer,
                    "parameters": [{"name": "year", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {"description": "Summary"},
                        "401": {"description": "No or bad token"},
                        "403": {"description": "Not VRU staff"},
                    },
                }
            },
        },
    }
