"""What the apps above units do when units change data they keep a copy of.

units imports none of them (the layers: README, "What is in it"), so they register here, in
their AppConfig.ready(), a service function of their own; units' services call the hooks in
the same transaction as the change, so the copies change with it or not at all. Not signals:
each hook is one named call that a reader of the service can follow.
"""

_village_renamed = []


def on_village_renamed(function):
    """Call `function(village)` after every rename of a village (once per function)."""
    if function not in _village_renamed:
        _village_renamed.append(function)
    return function


def village_renamed(village):
    """Tell the registered apps that `village` (saved) has its new name."""
    for function in _village_renamed:
        function(village)
