// The menu button on narrow screens. Without JavaScript the menu simply
// shows all its links (wrapped); with it, phones get a button that opens
// and closes the list (aria-expanded tells screen readers its state).
(function () {
  var nav = document.querySelector(".site-nav");
  if (!nav) return;
  var button = nav.querySelector(".site-nav__toggle");
  var list = nav.querySelector(".site-nav__list");
  if (!button || !list) return;
  nav.classList.add("site-nav--js");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("site-nav--open", open);
  });
  // Escape closes the open menu and returns focus to the button.
  nav.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && nav.classList.contains("site-nav--open")) {
      button.setAttribute("aria-expanded", "false");
      nav.classList.remove("site-nav--open");
      button.focus();
    }
  });
})();

// The Beheer group in the menu is a details element (it works without
// JavaScript); with it, Escape or a click elsewhere closes it, as menus do.
(function () {
  var groups = document.querySelectorAll(".site-nav__more");
  if (!groups.length) return;
  document.addEventListener("click", function (e) {
    groups.forEach(function (d) {
      if (d.open && !d.contains(e.target)) d.open = false;
    });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    groups.forEach(function (d) {
      if (!d.open) return;
      var inside = d.contains(document.activeElement);
      d.open = false;
      if (inside) d.querySelector("summary").focus();
    });
  });
})();
// Print buttons (the newsletter page): without JS the browser's own print
// command does the same.
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.addEventListener("click", function () { window.print(); });
});
