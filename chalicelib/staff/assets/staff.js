/* The staff pages' one script, served by the app (their Content-Security-Policy refuses inline
 * script and onclick="..."): a button marked data-print prints the page (the QR poster). */
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
