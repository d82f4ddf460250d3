// A ✎ on each chosen partner, theme and venue of the activity form. Django gives a
// field of several choices a ＋ but no ✎ (it cannot tell which one to change); here
// each chip has its own, which opens that record's form in a pop-up as Django's ✎
// does. On save, Django puts the new name in the field's options; the chip follows.
"use strict";
(function ($) {
  function chosen(select) {
    // The chips are drawn in the order of select2's data.
    return $(select).select2("data");
  }

  // The list select2 draws the chips in, just after the field.
  function chipsOf(select) {
    return select.nextElementSibling?.querySelector(".select2-selection__rendered");
  }

  function decorate(select) {
    const rendered = chipsOf(select);
    if (!rendered) return;
    const items = chosen(select);
    rendered.querySelectorAll(".select2-selection__choice").forEach((chip, index) => {
      const item = items[index];
      if (!item || chip.querySelector(".chosen-edit")) return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "chosen-edit";
      button.title = select.dataset.changeLabel.replace("{name}", item.text);
      button.setAttribute("aria-label", button.title);
      // Not the field's own: a click would open its list, Enter its search.
      button.addEventListener("mousedown", (event) => event.stopPropagation());
      button.addEventListener("keydown", (event) => event.stopPropagation());
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        const href = new URL(
          select.dataset.changeUrl.replace("__fk__", encodeURIComponent(item.id)),
          window.location.href
        ).href;
        window.showRelatedObjectPopup({ id: "change_" + select.id, href: href });
      });
      chip.appendChild(button);
    });
  }

  const dismiss = window.dismissChangeRelatedObjectPopup;
  window.dismissChangeRelatedObjectPopup = function (win, objId, newRepr, newId) {
    // Django's redraw is for a field of one choice: in one of several, it writes the
    // name over the search box. Its contents are put back.
    const searches = [...document.querySelectorAll(".select2-search--inline")].map(
      (search) => [search, [...search.childNodes]]
    );
    dismiss(win, objId, newRepr, newId);
    for (const [search, nodes] of searches) search.replaceChildren(...nodes);
    for (const select of document.querySelectorAll("select[data-change-url][multiple]")) {
      const item = chosen(select).find((each) => String(each.id) === String(objId));
      if (!item) continue;
      // The chips are drawn from select2's data: it takes the new name too.
      item.text = newRepr;
      $(select).trigger("change");
    }
  };

  // select2 draws the chips again on every change: each drawing gets its ✎ at once.
  function watch(select) {
    const rendered = chipsOf(select);
    if (!rendered || rendered.dataset.chosenEdit) return;
    rendered.dataset.chosenEdit = "watched";
    new MutationObserver(() => decorate(select)).observe(rendered, { childList: true });
    decorate(select);
  }

  function watchAll() {
    document.querySelectorAll("select[data-change-url][multiple]").forEach(watch);
  }

  // After autocomplete.js has made the fields (on the same event).
  document.addEventListener("DOMContentLoaded", () => window.setTimeout(watchAll));
  window.addEventListener("load", watchAll);
})(django.jQuery);
