"""Reading stored files and file downloads in tests without leaving a file open (warnings are
errors in this suite, ResourceWarning included)."""


def stored(field_file):
    """The bytes of a FileField's file, closed after reading."""
    with field_file.open("rb") as handle:
        return handle.read()


def body(response):
    """The whole body of a (possibly streaming) response, which is then closed."""
    try:
        if response.streaming:
            return b"".join(response.streaming_content)
        return response.content
    finally:
        response.close()
