"""What other apps tell about a household on the family title's pages: the learning
citizens among its adults (app citizens) beside the criteria about adults' learning.

models_learning imports none of those apps (the layers: README, "What is in it"): they
register here, in their AppConfig.ready(), a function of a registration that returns a fact
({"text": str, "url": str, "criteria": [criterion numbers it belongs beside]}) or None. A
named call, not a signal, so a reader of the page can follow it.
"""

_providers = []


def on_household_facts(function):
    """Call `function(registration)` for the pages of every family registration (once)."""
    if function not in _providers:
        _providers.append(function)
    return function


def household_facts(registration):
    """The facts the registered apps give about a family registration's household."""
    if registration.household_id is None:
        return []
    facts = (function(registration) for function in _providers)
    return [fact for fact in facts if fact]
