import re

from django import forms

# 已被占用的用户名
TAKEN_NAMES = ["admin", "root", "kaowu"]

USERNAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class RegisterForm(forms.Form):
    username = forms.CharField(label="用户名", min_length=3, max_length=20)
    email = forms.EmailField(label="邮箱")
    age = forms.IntegerField(label="年龄", min_value=16, max_value=60)
    password = forms.CharField(label="密码", min_length=8, widget=forms.PasswordInput)
    confirm = forms.CharField(label="确认密码", widget=forms.PasswordInput)

    def clean_username(self):
        name = self.cleaned_data["username"]
        if not USERNAME_RE.fullmatch(name):
            raise forms.ValidationError("用户名只能包含字母、数字和下划线，且以字母开头")
        if name.lower() in {n.lower() for n in TAKEN_NAMES}:
            raise forms.ValidationError("该用户名已被占用")
        return name

    def clean(self):
        cleaned = super().clean()
        password, confirm = cleaned.get("password"), cleaned.get("confirm")
        if password and confirm and password != confirm:
            self.add_error("confirm", "两次输入的密码不一致")
        return cleaned
