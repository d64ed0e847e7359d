"""Forms of the portal's staff pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hromada.portal.importing import MAX_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Файл CSV або XLSX"))
    replace = forms.BooleanField(
        label=_("Замінити всі наявні об'єкти ресурсу об'єктами з файлу"), required=False
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Файл завеликий: не більше 10 МБ."))
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Підтримуються лише файли CSV і XLSX."))
        return upload
