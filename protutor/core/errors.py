class ServiceError(Exception):
    """A write that cannot go ahead, with a message fit to show the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
