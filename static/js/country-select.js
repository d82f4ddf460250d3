// The admin's country selects (activities/countries.py, CountrySelect): the admin's
// own select2 turns each into a list that staff narrow by typing the Japanese name in
// katakana or hiragana (イギリス, いぎりす), an alias (英国, スコットランド), the English
// name or the ISO code (GB). Each option carries everything that finds it, folded, in
// data-search; what is typed is folded here the same way as activities.countries.fold
// does: width and case, and katakana as hiragana. Without this script, or without
// select2, the select works as it is.
(() => {
  "use strict";

  const $ = window.django && window.django.jQuery;
  if (!$ || !$.fn.select2) {
    return;
  }

  function fold(text) {
    return text
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));
  }

  function typed(term) {
    const folded = fold((term || "").trim());
    // Typed with or without the spaces and dots of a name: セント ルシア, セントルシア.
    return [folded, folded.replace(/[ ・]/g, "")];
  }

  function terms(data) {
    return data.element && data.element.dataset.search
      ? data.element.dataset.search.split("|")
      : [fold(data.text)];
  }

  // Select2 hands its sorter the results only: the term comes from the matcher.
  let current = ["", ""];

  function matcher(params, data) {
    current = typed(params.term);
    if (!current[0]) {
      return data;
    }
    if (!data.element || !data.element.value) {
      return null;
    }
    const text = terms(data).join("|");
    return current.some((term) => text.includes(term)) ? data : null;
  }

  // Those the term names exactly first (仏: フランス before 仏領ギニア), then in
  // the select's order. Array.prototype.sort is stable.
  function sorter(results) {
    if (!current[0]) {
      return results;
    }
    const exact = (data) => current.some((term) => terms(data).includes(term));
    return results.slice().sort((a, b) => exact(b) - exact(a));
  }

  function enhance(select) {
    $(select).select2({ matcher, sorter });
  }

  $(() => {
    // Not the empty form an inline keeps to copy for "add another".
    $("select.country-select").not("[name*=__prefix__]").each((i, select) => enhance(select));
  });

  document.addEventListener("formset:added", (event) => {
    $(event.target).find("select.country-select").each((i, select) => enhance(select));
  });
})();
