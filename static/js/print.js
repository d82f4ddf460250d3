// "Print this page": a button only where scripts run; printing works without it.
document.querySelectorAll(".print-link").forEach((link) => {
  link.hidden = false;
  link.addEventListener("click", (event) => {
    event.preventDefault();
    window.print();
  });
});
