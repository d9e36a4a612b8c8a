// Selects marked data-autosubmit send their form at once (the area picker); without JS a button does.
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
