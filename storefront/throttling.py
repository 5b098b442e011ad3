"""Login throttling's view of who is trying to log in (settings: AXES_*)."""


def username_of(request, credentials):
    """The account name tried, case-folded and trimmed as Oscar and Django compare it.

    Oscar's e-mail login is case-insensitive: without folding, "Lan@x.vn" and "lan@x.vn"
    would count as two accounts and double the guesses allowed.
    """
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username") or request.POST.get("login-username")
    return (name or "").strip().casefold() or None
