// The order page's Print button: hidden in the page, shown only where this script runs,
// so a visitor without JavaScript sees just the note to print the page.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
