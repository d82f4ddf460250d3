// The photo gallery of an activity: each photo links to its large version, and
// this opens that link in a dialog instead, with its caption, a counter, previous
// and next buttons and the arrow keys. Escape, the Close button or a click
// outside the photo closes it, and focus goes back to the photo it came from.
// Without this script (or without <dialog>), the links simply open the image.
(() => {
  "use strict";

  const gallery = document.querySelector("[data-gallery]");
  const dialog = gallery && gallery.querySelector("[data-lightbox]");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  const links = Array.from(gallery.querySelectorAll("[data-gallery-item]"));
  const image = dialog.querySelector("[data-lightbox-image]");
  const title = dialog.querySelector("[data-lightbox-title]");
  const caption = dialog.querySelector("[data-lightbox-caption]");
  const previous = dialog.querySelector("[data-lightbox-previous]");
  const next = dialog.querySelector("[data-lightbox-next]");
  let current = 0;
  let opener = null;

  function show(index) {
    current = (index + links.length) % links.length;
    const link = links[current];
    const thumbnail = link.querySelector("img");
    image.src = link.href;
    image.alt = thumbnail.alt;
    // The language of a fallback alt text goes with it.
    if (thumbnail.lang) {
      image.lang = thumbnail.lang;
    } else {
      image.removeAttribute("lang");
    }
    image.width = Number(link.dataset.width);
    image.height = Number(link.dataset.height);
    title.textContent = title.dataset.template
      .replace("{number}", String(current + 1))
      .replace("{total}", String(links.length));
    // A copy of the server-rendered caption: no HTML is built from strings.
    const figcaption = link.closest("figure").querySelector("figcaption");
    caption.replaceChildren(...(figcaption ? Array.from(figcaption.cloneNode(true).childNodes) : []));
    caption.hidden = !figcaption;
  }

  function open(index, link) {
    opener = link;
    previous.hidden = next.hidden = links.length < 2;
    show(index);
    dialog.showModal();
    dialog.querySelector("[data-lightbox-close]").focus();
  }

  links.forEach((link, index) => {
    link.addEventListener("click", (event) => {
      // A click with a modifier key keeps its usual meaning (a new tab, a download).
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      open(index, link);
    });
  });

  previous.addEventListener("click", () => show(current - 1));
  next.addEventListener("click", () => show(current + 1));
  dialog.querySelector("[data-lightbox-close]").addEventListener("click", () => dialog.close());

  dialog.addEventListener("keydown", (event) => {
    if (links.length < 2) {
      return;
    }
    if (event.key === "ArrowLeft") {
      event.preventDefault();
      show(current - 1);
    } else if (event.key === "ArrowRight") {
      event.preventDefault();
      show(current + 1);
    }
  });

  // A click on the backdrop (the dialog element itself, outside its content) closes it.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) {
      dialog.close();
    }
  });

  // Escape closes a modal dialog natively; either way, focus goes back.
  dialog.addEventListener("close", () => {
    image.removeAttribute("src");
    if (opener) {
      opener.focus();
    }
  });

  // Lazy images not yet scrolled to would be missing from a printout.
  window.addEventListener("beforeprint", () => {
    gallery.querySelectorAll("img[loading='lazy']").forEach((img) => {
      img.loading = "eager";
    });
  });
})();
