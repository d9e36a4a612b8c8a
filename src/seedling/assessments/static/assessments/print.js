// Buttons marked data-print open the browser's print dialog (the code sheet, the QR poster).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
