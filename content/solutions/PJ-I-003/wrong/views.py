from django.shortcuts import render

from forms import RegisterForm


def register(request):
    if request.method == "POST":
        form = RegisterForm(request.POST)
        if form.is_valid():
            return render(request, "register_ok.html", {"username": form.cleaned_data["username"]})
    else:
        form = RegisterForm()
    return render(request, "register.html", {"form": form})
