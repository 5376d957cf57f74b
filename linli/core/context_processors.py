#: Session key a view sets after saving a form that keeps a draft in the browser (see linli.js data-draft).
DRAFT_CLEAR_SESSION_KEY = "linli_draft_clear"


def draft_clear(request):
    """A saved form's local draft (linli.js data-draft) is cleared by the first page rendered after the save."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"draft_clear": request.session.pop(DRAFT_CLEAR_SESSION_KEY, "") if hasattr(request, "session") else ""}
