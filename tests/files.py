"""Reading stored files and file downloads in tests without leaving a file open (warnings are
errors in this suite, ResourceWarning included)."""


def stored(field_file):
    """The bytes of a FileField's file, closed after reading."""
    with field_file.open("rb") as handle:
        return handle.read()


def body(response):
    """The whole body of a (possibly streaming) response from the test client.

    The client closes a streamed response when its content has been read through (with the
    signal that closes database connections held off). Closing it again by hand would send
    `request_finished` for real, and close the test's own database connection under it."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
