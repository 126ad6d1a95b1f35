"""The logic-model URLs in the programmes permission matrix (see test_permissions.py).

The model page is open to everyone signed in within a VRU (each sees their own VRU's model, so another VRU's
people get a page of theirs, not London's): "front". Changes are the VRU staff's: London's boroughs and MOPAC
are refused, another VRU's people find nothing."""


def _node(w, which="aim"):
    return w["logic_model"][which].pk


URLS = {
    "logic_model": ("get", lambda w: "/programmes/logic-model/", "front"),
    "logic_model__year": ("get", lambda w: "/programmes/logic-model/?year=2020", "front"),
    "logic_node_new": ("get", lambda w: "/programmes/logic-model/VRU-LDN/new/objective/", "vru_edit"),
    "logic_node_new__post": ("post", lambda w: "/programmes/logic-model/VRU-LDN/new/outcome/", "vru_edit"),
    "logic_node_edit": ("get", lambda w: f"/programmes/logic-model/{_node(w, 'outcome')}/edit/", "vru_edit"),
    "logic_node_edit__post": ("post", lambda w: f"/programmes/logic-model/{_node(w, 'outcome')}/edit/", "vru_edit"),
    "logic_node_remove": ("get", lambda w: f"/programmes/logic-model/{_node(w)}/remove/", "vru_edit"),
    "logic_node_remove__post": ("post", lambda w: f"/programmes/logic-model/{_node(w)}/remove/", "vru_edit"),
}
POST_DATA = {
    "logic_node_new__post": lambda w: {"number": "7", "title": "Young people are safer", "horizon": "5 years"},
    "logic_node_edit__post": lambda w: {
        "number": "1",
        "title": "Young people have increased skills and resilience",
        "horizon": "5 years",
        "measures": "Exclusions\nFirst-time entrants",
        "links": [str(w["logic_model"]["aim"].pk)],
    },
}
DESTRUCTIVE = {"logic_node_remove__post"}
