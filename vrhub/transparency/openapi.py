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
        "baseline": {"type": "string"},
        "start_date": {"type": ["string", "null"], "format": "date"},
        "end_date": {"type": ["string", "null"], "format": "date"},
        "start": {"type": "string", "description": "The start as people read it, e.g. '1 April 2021 (estimated)'"},
        "end": {"type": "string", "description": "The end as people read it, e.g. 'Ongoing'"},
        "latest_update": {
            "type": ["object", "null"],
            "description": "The latest quarterly progress update, or null when none has been reported",
            "properties": {
                "quarter": {"type": "string"},
                "period": {"type": "string"},
                "status": {"type": "string"},
                "progress": {"type": "string"},
            },
        },
    },
}


STATUS_COUNTS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}
PLAN_ACTION = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "code": {"type": "string"},
        "theme": {"type": "string"},
        "source": {"type": "string", "enum": ["mandatory", "optional", "local"]},
        "title": {"type": "string"},
        "outcome": {"type": "string"},
        "baseline": {"type": "string"},
        "lead": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "role": {"type": "string"}, "agency": {"type": "string"}},
        },
        "start_date": {"type": ["string", "null"], "format": "date"},
        "start_estimated": {"type": "boolean"},
        "end_date": {"type": ["string", "null"], "format": "date"},
        "end_estimated": {"type": "boolean"},
        "start_note": {"type": "string"},
        "end_note": {"type": "string"},
        "progress": {"type": "string"},
        "comments": {"type": "string"},
        "status": {"type": "string"},
    },
    "required": ["id", "code", "theme", "source", "title", "status"],
}
NULLABLE_URL = {"type": ["string", "null"], "format": "uri"}
# The national view's open data (docs/national.md): published plans and strategies of every CSP area.
NATIONAL = {
    "type": "object",
    "properties": {
        "generated_at": {"type": "string", "format": "date-time"},
        "vrus": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "areas": {"type": "integer", "minimum": 0, "description": "CSP areas the VRU works with"},
                    "published_plan_years": {"type": "array", "items": {"type": "integer"}},
                    "url": {"type": "string", "format": "uri", "description": "The national page, this VRU's areas"},
                    "published_plans": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"year": {"type": "integer"}, "url": {"type": "string", "format": "uri"}},
                            "required": ["year", "url"],
                        },
                    },
                    "areas_with_published_strategy": {"type": "integer", "minimum": 0},
                    "strategies_url": NULLABLE_URL,
                },
                "required": ["code", "name", "areas", "published_plan_years", "url"],
            },
        },
        "areas": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {
                        "type": "string",
                        "description": "The area's code in vrhub (E09 for London, else E22/W14)",
                    },
                    "csp_code": {"type": ["string", "null"], "description": "ONS Community Safety Partnership code"},
                    "name": {"type": "string"},
                    "vru": {"type": ["string", "null"], "description": "The VRU's code; null when in no VRU"},
                    "police_force": {"type": ["string", "null"], "description": "ONS police force area code"},
                    "latest_published_plan": {
                        "type": ["object", "null"],
                        "properties": {
                            "year": {
                                "type": "integer",
                                "description": "First year of the financial year: 2021 is 2021/22",
                            },
                            "url": {"type": "string", "format": "uri"},
                            "synthetic": {"type": "boolean"},
                        },
                        "required": ["year", "url"],
                    },
                    "strategy": {
                        "type": ["object", "null"],
                        "properties": {
                            "url": {"type": "string", "format": "uri"},
                            "published_at": {"type": "string", "format": "date"},
                            "title": {"type": "string"},
                            "footprint": {"type": "boolean"},
                            "synthetic": {"type": "boolean"},
                        },
                        "required": ["url", "published_at"],
                    },
                    "published_plan_years": {"type": "array", "items": {"type": "integer"}},
                },
                "required": ["code", "csp_code", "name", "vru", "police_force", "latest_published_plan", "strategy"],
            },
        },
    },
    "required": ["generated_at", "vrus", "areas"],
}
# Path numbers are digits only: the URL does not match "-1" (the resolver's HTML 404 answers it).
PATH_NUMBER = {"type": "integer", "minimum": 0}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict:
    return _json(description, {"$ref": "#/components/schemas/Error"})


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
            "schemas": {
                "Error": ERROR,
                "PublicAction": PUBLIC_ACTION,
                "PlanSummary": plan_summary,
                "PlanAction": PLAN_ACTION,
                "National": NATIONAL,
            },
        },
        "paths": {
            "/public/{vru}/{year}/plans": {
                "get": {
                    "summary": "Published plan summaries of a VRU's boroughs (no personal data)",
                    "parameters": [
                        {"name": "vru", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "year", "in": "path", "required": True, "schema": PATH_NUMBER},
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
                        "404": {"description": "Not published (JSON), or no such path (a page)"},
                    },
                }
            },
            "/public/national": {
                "get": {
                    "summary": "Every VRU and CSP area of England and Wales with its published plans and Serious "
                    "Violence Duty strategy (open data, no token)",
                    "responses": {"200": _json("VRUs and areas", {"$ref": "#/components/schemas/National"})},
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
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": PATH_NUMBER}],
                    "responses": {
                        "200": _json(
                            "The plan",
                            {
                                "type": "object",
                                "properties": {
                                    "id": {"type": "integer"},
                                    "area": {"type": "string"},
                                    "year": {"type": "integer"},
                                    "state": plan_summary["properties"]["state"],
                                    "version": {"type": "integer"},
                                    "complete": {"type": "boolean"},
                                    "completeness": {"type": "integer", "minimum": 0, "maximum": 100},
                                    "actions": {"type": "array", "items": {"$ref": "#/components/schemas/PlanAction"}},
                                },
                                "required": ["id", "area", "year", "state", "version", "actions"],
                            },
                        ),
                        "401": _error("No or bad token"),
                        "404": _error("No such plan, or not one the token's user may see"),
                    },
                }
            },
            "/london/{year}/summary": {
                "get": {
                    "summary": "Every borough's state, completeness and status counts (VRU staff)",
                    "security": bearer,
                    "parameters": [{"name": "year", "in": "path", "required": True, "schema": PATH_NUMBER}],
                    "responses": {
                        "200": _json(
                            "Summary",
                            {
                                "type": "object",
                                "properties": {
                                    "year": {"type": "integer"},
                                    "boroughs": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "properties": {
                                                "area": {"type": "string"},
                                                "name": {"type": "string"},
                                                "state": {"type": "string"},
                                                "completeness": {"type": "integer", "minimum": 0, "maximum": 100},
                                                "status": STATUS_COUNTS,
                                                "late": {"type": "boolean"},
                                            },
                                        },
                                    },
                                    "themes": {"type": "array", "items": {"type": "object"}},
                                    "optional_adoption": {"type": "object", "additionalProperties": {"type": "number"}},
                                },
                                "required": ["year", "boroughs", "themes"],
                            },
                        ),
                        "401": _error("No or bad token"),
                        "403": _error("Not VRU staff"),
                        "404": _error("The VRU has no template for that year"),
                    },
                }
            },
        },
    }
