def inbox_counts(request):
    """Open tasks, urgent tasks and unread notifications, for the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .selectors import task_counts

    return {"inbox_counts": task_counts(user=user)}
