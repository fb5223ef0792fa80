"""The one exception type a user can cause: it carries a sentence that says what to do."""


class RehearseError(Exception):
    """A failure the user can fix. The CLI prints the message alone and exits with code 2."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
