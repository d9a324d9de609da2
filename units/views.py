from django.shortcuts import render

from .forms import TreeDateForm
from .tree import tree_on


def tree(request):
    form = TreeDateForm(request.GET or None)
    day = form.day()
    roots = tree_on(request.user, day)
    return render(
        request,
        "units/unit_tree.html",
        {"form": form, "day": day, "roots": roots, "periods": TreeDateForm.PERIODS},
    )
