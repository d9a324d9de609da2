"""A small HTTP client for the topology test: one "browser" (its own cookies, any Secure flag
kept, since the test talks plain HTTP to the app servers behind the TLS proxy it imitates),
forms read from the page and posted back as a browser would."""

import gzip
import ssl
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookies import SimpleCookie


class Page:
    def __init__(self, url, status, headers, body):
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def forms(self):
        parser = _FormParser()
        parser.feed(self.text)
        return parser.forms

    def form(self, action_suffix):
        for form in self.forms():
            action = urllib.parse.urlsplit(form.action or self.url).path
            if action.endswith(action_suffix):
                return form
        raise AssertionError(f"no form posting to …{action_suffix} on {self.url}")


class Form:
    def __init__(self, action, method):
        self.action = action
        self.method = method
        self.fields = []  # (name, value, attrs)
        self.selects = {}  # name -> [(value, label)]

    def values(self):
        return [(name, value) for name, value, _attrs in self.fields if value is not None]


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []
        self.form = None
        self.select = None
        self.option = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = Form(attrs.get("action", ""), attrs.get("method", "get").lower())
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                value = None
            else:
                value = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
            if attrs.get("name"):
                self.form.fields.append((attrs["name"], value, attrs))
        elif tag == "select" and attrs.get("name"):
            self.select = [attrs["name"], None, attrs]
            self.form.selects[attrs["name"]] = []
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value", ""), "", "selected" in attrs]
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = [attrs["name"], "", attrs]

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None:
            value, label, selected = self.option
            self.form.selects[self.select[0]].append((value, label.strip()))
            if selected or self.select[1] is None:
                self.select[1] = value
            self.option = None
        elif tag == "select" and self.select is not None:
            self.form.fields.append(tuple(self.select))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.form.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "form":
            self.form = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_TLS = ssl.create_default_context()
_TLS.check_hostname = False
_TLS.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate


class Browser:
    """`base` is where requests go (nginx, or one app server directly); `headers` are added to
    every request (behind the imitated proxy: X-Forwarded-Proto, X-Forwarded-For)."""

    def __init__(self, base, headers=None):
        self.base = base.rstrip("/")
        self.headers = dict(headers or {})
        self.cookies = {}
        self.opener = urllib.request.build_opener(
            _NoRedirect, urllib.request.HTTPSHandler(context=_TLS)
        )

    def request(self, path, data=None, headers=None, follow=True, timeout=60):
        url = path if path.startswith("http") else self.base + path
        for _hop in range(10):
            request = urllib.request.Request(
                url, data=data, headers={**self.headers, **(headers or {})}
            )
            if self.cookies:
                request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
            try:
                response = self.opener.open(request, timeout=timeout)
            except urllib.error.HTTPError as error:
                response = error
            with response:
                body = response.read()
                status = response.status if hasattr(response, "status") else response.code
                response_headers = response.headers
            for header in response_headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            if follow and status in (301, 302, 303) and response_headers.get("Location"):
                location = urllib.parse.urljoin(url, response_headers["Location"])
                # Stay on this server: a redirect names the public address.
                parts = urllib.parse.urlsplit(location)
                url = self.base + parts.path + (f"?{parts.query}" if parts.query else "")
                data = None
                continue
            if response_headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            return Page(url, status, response_headers, body)
        raise AssertionError(f"too many redirects from {path}")

    def get(self, path, **kwargs):
        return self.request(path, **kwargs)

    def post(self, path, fields, **kwargs):
        data = urllib.parse.urlencode(fields).encode()
        # CSRF over HTTPS wants a Referer of this host in https (the proxy's scheme).
        netloc = urllib.parse.urlsplit(self.base).netloc
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://{netloc}/",
        }
        return self.request(path, data=data, headers=headers, **kwargs)

    def submit(self, page, action_suffix, overrides=None, button=None, **kwargs):
        """Fill the page's form posting to …action_suffix: its own values, then `overrides`."""
        form = page.form(action_suffix)
        values = dict(form.values())
        values.update(overrides or {})
        if button:
            values[button[0]] = button[1]
        action = form.action or page.url
        action = urllib.parse.urljoin(page.url, action)
        parts = urllib.parse.urlsplit(action)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        return self.post(target, values, **kwargs)

    def login(self, username, password):
        page = self.get("/accounts/login/")
        done = self.submit(page, "/accounts/login/", {"username": username, "password": password})
        assert "sessionid" in self.cookies, f"{username} could not log in ({done.status})"
        return done
