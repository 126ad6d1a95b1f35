"""The programmes report URLs in the permission matrix (see test_permissions.py): everyone signed in within a
VRU gets their own VRU's report of what they may see ("front"); what each sees is tested in test_reports."""

URLS = {
    "reports": ("get", lambda w: "/programmes/reports/", "front"),
    "reports__year": ("get", lambda w: "/programmes/reports/?year=2020", "front"),
    "report_pdf": ("get", lambda w: "/programmes/reports/2020.pdf", "front"),
    "report_docx": ("get", lambda w: "/programmes/reports/2020.docx", "front"),
}
