import re

from django import forms

# 已被占用的用户名
TAKEN_NAMES = ["admin", "root", "kaowu"]


class RegisterForm(forms.Form):
    username = forms.CharField(min_length=3, max_length=20)
    email = forms.EmailField()
    age = forms.IntegerField(min_value=16, max_value=60)
    password = forms.CharField(min_length=8, widget=forms.PasswordInput)
    confirm = forms.CharField(widget=forms.PasswordInput)

    def clean_username(self):
        name = self.cleaned_data["username"]
        # 错误：re.match 只匹配开头，"ab-c" 之类也能通过；占用检查区分了大小写
        if not re.match(r"[A-Za-z][A-Za-z0-9_]*", name):
            raise forms.ValidationError("用户名只能包含字母、数字和下划线，且以字母开头")
        if name in TAKEN_NAMES:
            raise forms.ValidationError("该用户名已被占用")
        return name

    def clean(self):
        cleaned = super().clean()
        # 错误：抛出的是非字段错误，没有加在 confirm 上
        if cleaned.get("password") != cleaned.get("confirm"):
            raise forms.ValidationError("两次输入的密码不一致")
        return cleaned
