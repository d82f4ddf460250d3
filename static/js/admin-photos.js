// The activity form's photos: choose several files at once, each becoming a new
// photo row with its file already chosen, so that photos can be added before the
// activity is first saved. Without this script the picker stays hidden and each
// row is added with Django's "Add another Photo".
"use strict";
(function () {
  function newRow(prefix) {
    const group = document.getElementById(prefix + "-group");
    const add = group && group.querySelector(".add-row a");
    if (!add) return null;
    add.click();
    const rows = group.querySelectorAll(".inline-related.dynamic-" + prefix + ":not(.empty-form)");
    return rows[rows.length - 1] || null;
  }

  function emptyRows(prefix) {
    const group = document.getElementById(prefix + "-group");
    return [...group.querySelectorAll(".inline-related:not(.empty-form)")].filter(
      (row) => !row.querySelector("[id$='-id']")?.value &&
        ![...row.querySelectorAll("input[type=file]")].some((input) => input.files.length) &&
        !row.querySelector("input[type=hidden][name$='-image_retained']")
    );
  }

  // The order after every photo already in the form: photos chosen together keep
  // the order they were chosen in, after those already there.
  function nextOrder(prefix, free) {
    const group = document.getElementById(prefix + "-group");
    const taken = [...group.querySelectorAll(".inline-related:not(.empty-form)")]
      .filter((row) => !free.includes(row))
      .map((row) => parseInt(row.querySelector("input[name$='-order']")?.value, 10))
      .filter((order) => !Number.isNaN(order));
    return taken.length ? Math.max(...taken) + 1 : 0;
  }

  function fill(picker) {
    const prefix = picker.dataset.photoRows;
    const free = emptyRows(prefix);
    let order = nextOrder(prefix, free);
    for (const file of picker.files) {
      const row = free.shift() || newRow(prefix);
      const input = row && row.querySelector("input[type=file][name$='-image']");
      if (!input) break;
      const orderInput = row.querySelector("input[name$='-order']");
      if (orderInput) orderInput.value = order++;
      const chosen = new DataTransfer();
      chosen.items.add(file);
      input.files = chosen.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    picker.value = "";
  }

  window.addEventListener("load", function () {
    if (typeof DataTransfer === "undefined") return;
    for (const picker of document.querySelectorAll("input[data-photo-rows]")) {
      picker.closest("label").hidden = false;
      picker.addEventListener("change", () => fill(picker));
    }
  });
})();
