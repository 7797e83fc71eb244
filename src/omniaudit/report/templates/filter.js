// Filter and search for the findings. Without this script the report shows everything: the filter bar
// stays hidden and the collapsed groups open by hand. The Content-Security-Policy admits only this script.
(() => {
  "use strict";
  const bar = document.getElementById("filters");
  if (!bar) return;
  const search = document.getElementById("q");
  const rule = document.getElementById("rule");
  const status = document.getElementById("shown");
  const boxes = Array.from(document.querySelectorAll("input[data-sev], input[data-ch]"));
  const groups = Array.from(document.querySelectorAll("#findings .g")).map((g) => ({
    g,
    rule: g.dataset.rule.toLowerCase(),
    count: g.querySelector(".n"),
    more: g.querySelector("details.more"),
    items: Array.from(g.querySelectorAll("ol.fl > li")),
  }));
  const total = groups.reduce((sum, group) => sum + group.items.length, 0);
  let haystacks = null; // lower-cased text of each finding, read on the first search
  // A finding's channels are the start of its last line: "website, instagram · ×3".
  const channelsOf = (f) => {
    const line = f.querySelector("small");
    return line ? line.textContent.split(" · ")[0].split(", ") : [];
  };

  function apply() {
    const text = search.value.trim().toLowerCase();
    const ruleText = rule.value.trim().toLowerCase();
    const sev = new Set(boxes.filter((b) => b.dataset.sev && b.checked).map((b) => b.dataset.sev));
    const chBoxes = boxes.filter((b) => b.dataset.ch);
    const channels = new Set(chBoxes.filter((b) => b.checked).map((b) => b.dataset.ch));
    const allChannels = channels.size === chBoxes.length;
    const filtering = Boolean(text || ruleText || sev.size < 3 || !allChannels);
    if (text && !haystacks) {
      haystacks = new Map();
      for (const group of groups) {
        for (const f of group.items) haystacks.set(f, group.rule + " " + f.id + " " + f.textContent.toLowerCase());
      }
    }
    let shown = 0;
    for (const group of groups) {
      const ruleOk = !ruleText || group.rule.includes(ruleText);
      let n = 0;
      for (const f of group.items) {
        let ok = ruleOk && sev.has(f.className);
        if (ok && !allChannels) ok = channelsOf(f).some((c) => channels.has(c));
        if (ok && text) ok = haystacks.get(f).includes(text);
        if (f.hidden === ok) f.hidden = !ok;
        if (ok) n++;
      }
      group.g.hidden = n === 0;
      group.count.textContent = filtering ? n + " of " + group.items.length : String(group.items.length);
      if (group.more) {
        // Matches folded away would look like no match: unfold while filtering, fold back after.
        if (filtering && n > 0 && !group.more.open) { group.more.open = true; group.more.dataset.opened = "1"; }
        if (!filtering && group.more.dataset.opened) { group.more.open = false; delete group.more.dataset.opened; }
      }
      shown += n;
    }
    status.textContent = filtering ? shown + " of " + total + " findings shown" : "";
  }

  let timer = 0;
  const later = () => { clearTimeout(timer); timer = setTimeout(apply, 120); };
  search.addEventListener("input", later);
  rule.addEventListener("input", later);
  for (const box of boxes) { box.disabled = false; box.addEventListener("change", apply); }
  for (const link of document.querySelectorAll("a[data-rule]")) {
    link.addEventListener("click", () => { rule.value = link.dataset.rule; apply(); });
  }
  document.getElementById("clear").addEventListener("click", () => {
    search.value = ""; rule.value = "";
    for (const box of boxes) box.checked = true;
    apply();
  });
  bar.hidden = false;
})();
