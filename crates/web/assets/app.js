// Kehilla's small script: progressive enhancement only; every page works without it.
"use strict";
document.addEventListener("submit", (ev) => {
  const form = ev.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    ev.preventDefault();
  }
});
document.addEventListener("click", (ev) => {
  const btn = ev.target.closest("[data-copy]");
  if (!btn) return;
  const input = document.getElementById(btn.getAttribute("data-copy"));
  if (!input) return;
  input.select();
  if (navigator.clipboard) {
    navigator.clipboard.writeText(input.value).catch(() => {});
  }
});

// The segment editor: show the inputs each condition needs, and count the segment as it changes.
(() => {
  const form = document.getElementById("segment-form");
  if (!form) return;
  const parts = {
    role: ["value"], tag: ["value"], list: ["value"], lang: ["value"], added_within: ["value"],
    consent: ["channel", "state"], reachable: ["channel"], field: ["key", "value"], event: ["key", "value"],
    has_email: [], has_phone: [], "": [],
  };
  const show = (li) => {
    const kind = li.querySelector("select.kind").value;
    li.querySelectorAll(".part").forEach((p) => {
      const name = [...p.classList].find((c) => c.startsWith("part-")).slice(5);
      p.hidden = !(parts[kind] || []).includes(name);
    });
  };
  form.querySelectorAll("li.condition").forEach(show);
  const out = document.getElementById("segment-count");
  const csrf = document.body.getAttribute("data-csrf");
  let timer = null;
  const count = () => {
    const body = new URLSearchParams(new FormData(form));
    fetch(form.getAttribute("data-count-url"), {
      method: "POST", body, headers: { "x-csrf-token": csrf, "accept": "application/json" },
    }).then((r) => r.json()).then((j) => { out.textContent = j.label || j.message || ""; }).catch(() => {});
  };
  form.addEventListener("change", (ev) => {
    const li = ev.target.closest("li.condition");
    if (li) show(li);
    clearTimeout(timer); timer = setTimeout(count, 250);
  });
  form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(count, 400); });
})();

// Import progress: refresh the bar until the import ends.
(() => {
  const bar = document.getElementById("import-progress");
  if (!bar) return;
  const url = bar.getAttribute("data-status-url");
  const tick = () => fetch(url, { headers: { accept: "application/json" } }).then((r) => r.json()).then((s) => {
    bar.value = s.processed; bar.max = Math.max(s.total, 1);
    const label = document.getElementById("import-progress-label");
    if (label) label.textContent = `${s.processed} / ${s.total}`;
    if (s.status === "done" || s.status === "failed") { window.location.reload(); } else { setTimeout(tick, 1000); }
  }).catch(() => setTimeout(tick, 3000));
  setTimeout(tick, 1000);
})();
