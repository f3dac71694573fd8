// Sorting: a click on a header sorts its table (numbers as numbers).
document.querySelectorAll("table.sortable th").forEach(function (th) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0], index = Array.from(th.parentNode.children).indexOf(th);
    var asc = !th.classList.contains("sorted-asc");
    table.querySelectorAll("th").forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
    th.classList.add(asc ? "sorted-asc" : "sorted-desc");
    var key = function (row) {
      var cell = row.children[index], text = cell ? (cell.dataset.sort || cell.textContent.trim()) : "";
      var n = parseFloat(text.replace(",", "."));
      return isNaN(n) || !/^[-\d.,%\s]+$/.test(text) ? text.toLowerCase() : n;
    };
    Array.from(body.rows).sort(function (a, b) {
      var x = key(a), y = key(b), c = (typeof x === typeof y) ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === "number" ? -1 : 1);
      return asc ? c : -c;
    }).forEach(function (row) { body.appendChild(row); });
  });
});

// Search: every word typed must occur in a clause row or a catalogue entry (case and ё ignored); the
// others are hidden. Nothing is fetched: the page searches itself.
(function () {
  var box = document.getElementById("search"), count = document.getElementById("search-count");
  if (!box) { return; }
  var fold = function (text) { return text.toLowerCase().replace(/ё/g, "е"); };
  var items = Array.from(document.querySelectorAll("table.searchable tbody tr, div.canonical"));
  var texts = items.map(function (item) { return fold(item.textContent); });
  var run = function () {
    var words = fold(box.value).split(/\s+/).filter(Boolean), shown = 0;
    items.forEach(function (item, i) {
      var hit = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      item.classList.toggle("hidden-by-search", !hit);
      if (hit) { shown += 1; }
    });
    count.textContent = words.length ? shown + " of " + items.length + " clause rows and catalogue entries" : "";
  };
  box.addEventListener("input", run);
  if (box.value) { run(); }
})();
