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
