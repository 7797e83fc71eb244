(function () {
  "use strict";
  var table = document.getElementById("clients");
  if (!table || !table.tHead || !table.tBodies.length) { return; }
  var heads = table.tHead.rows[0].cells;

  function sortBy(index, th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    for (var i = 0; i < heads.length; i++) { heads[i].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var numeric = th.getAttribute("data-type") === "number";
    // One tbody per client (its numbers, then its problems): the tbodies move, in one piece.
    var clients = Array.prototype.slice.call(table.tBodies);
    clients.sort(function (a, b) {
      var x = a.rows[0].cells[index].getAttribute("data-sort") || "";
      var y = b.rows[0].cells[index].getAttribute("data-sort") || "";
      if (numeric) {
        // No value (a failed client, a first run) goes last in both directions.
        if (x === "" || y === "") { return (x === "" ? 1 : 0) - (y === "" ? 1 : 0); }
        var difference = parseFloat(x) - parseFloat(y);
        return ascending ? difference : -difference;
      }
      var order = x.localeCompare(y);
      return ascending ? order : -order;
    });
    for (var c = 0; c < clients.length; c++) { table.appendChild(clients[c]); }
  }

  Array.prototype.forEach.call(heads, function (th, index) {
    if (!th.hasAttribute("data-type")) { return; }
    // The buttons exist only when the script runs: without it the headers are plain text.
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.title = "Sort by this column";
    while (th.firstChild) { button.appendChild(th.firstChild); }
    th.appendChild(button);
    button.addEventListener("click", function () { sortBy(index, th); });
  });
  document.documentElement.classList.add("sortable");
})();
