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

// Campaign progress: refresh the bar and the figures while the campaign sends.
(() => {
  const bar = document.getElementById("campaign-progress");
  if (!bar) return;
  const url = bar.getAttribute("data-status-url");
  const start = bar.getAttribute("data-status");
  const tick = () => fetch(url, { headers: { accept: "application/json" } }).then((r) => r.json()).then((s) => {
    bar.value = s.done; bar.max = Math.max(s.figures.total, 1);
    const label = document.getElementById("campaign-progress-label");
    if (label) label.textContent = `${s.done} / ${s.figures.total}`;
    for (const k of ["sent", "delivered", "bounced", "deferred", "failed", "clicked", "unsubscribed", "opened"]) {
      const cell = document.getElementById(`fig-${k}`);
      if (cell) cell.textContent = s.figures[k];
    }
    const c = document.getElementById("fig-complaints");
    if (c) c.textContent = s.figures.complained;
    if (s.status !== start) { window.location.reload(); } else if (s.status === "sending" || s.status === "scheduled") { setTimeout(tick, 1500); }
  }).catch(() => setTimeout(tick, 4000));
  if (start === "sending" || start === "scheduled") setTimeout(tick, 1500);
})();

// SMS campaigns: segments, encoding and cost while typing.
(() => {
  const ta = document.querySelector("textarea[data-sms-count-url]");
  const out = document.getElementById("sms-counter");
  if (!ta || !out) return;
  const csrf = document.body.getAttribute("data-csrf");
  const form = ta.closest("form");
  let timer = null;
  const count = () => {
    const body = new URLSearchParams({
      text: ta.value,
      lang: form.querySelector("[name=lang]").value,
      advertising: form.querySelector("[name=advertising]").checked ? "1" : "",
      recipients: ta.getAttribute("data-recipients") || "0",
    });
    fetch(ta.getAttribute("data-sms-count-url"), {
      method: "POST", body, headers: { "x-csrf-token": csrf, accept: "application/json" },
    }).then((r) => r.json()).then((j) => {
      out.textContent = j.label || "";
      out.classList.toggle("over", !j.ok);
      ta.setAttribute("aria-invalid", j.ok ? "false" : "true");
    }).catch(() => {});
  };
  ta.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(count, 250); });
  form.addEventListener("change", () => { clearTimeout(timer); timer = setTimeout(count, 250); });
  count();
})();

// Studio: live counters and previews for each channel's version, as the user types. The count
// comes from the server, so the page uses the same rules as the publisher.
(() => {
  const csrf = document.body.getAttribute("data-csrf");
  document.querySelectorAll("textarea.counted").forEach((ta) => {
    const box = ta.closest(".variant");
    const out = box.querySelector("output.counter");
    const preview = box.querySelector(".preview-box");
    let timer = null;
    let previewTimer = null;
    const loadPreview = () => {
      if (!preview) return;
      const url = `${preview.getAttribute("data-src")}?text=${encodeURIComponent(ta.value)}`;
      fetch(url, { headers: { accept: "text/html" } }).then((r) => r.ok ? r.text() : "").then((html) => {
        if (html) preview.innerHTML = html;
      }).catch(() => {});
    };
    const count = () => {
      fetch(ta.getAttribute("data-count-url"), {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": csrf, accept: "application/json" },
        body: JSON.stringify({ channel: box.getAttribute("data-channel"), text: ta.value, with_media: box.getAttribute("data-with-media") === "1" }),
      }).then((r) => r.json()).then((j) => {
        if (!out || j.used === undefined) return;
        out.textContent = j.label;
        out.classList.toggle("over", !j.ok);
        ta.setAttribute("aria-invalid", j.ok ? "false" : "true");
      }).catch(() => {});
    };
    ta.addEventListener("input", () => {
      clearTimeout(timer); timer = setTimeout(count, 150);
      clearTimeout(previewTimer); previewTimer = setTimeout(loadPreview, 600);
    });
    loadPreview();
  });
  // "Next free slot" buttons fill the schedule field.
  document.querySelectorAll("button.slot").forEach((b) => b.addEventListener("click", () => {
    const input = document.getElementById("schedule-at");
    if (input) input.value = b.getAttribute("data-slot");
  }));
})();

// Calendar: drag a post to another day.
(() => {
  const cal = document.getElementById("calendar");
  if (!cal) return;
  const csrf = document.body.getAttribute("data-csrf");
  const status = document.getElementById("calendar-status");
  cal.addEventListener("dragstart", (ev) => {
    const li = ev.target.closest("li.cal-post");
    if (!li) return;
    ev.dataTransfer.setData("text/plain", li.getAttribute("data-move-url"));
    ev.dataTransfer.effectAllowed = "move";
  });
  cal.addEventListener("dragover", (ev) => {
    if (ev.target.closest("td.day")) { ev.preventDefault(); ev.dataTransfer.dropEffect = "move"; }
  });
  cal.addEventListener("drop", (ev) => {
    const td = ev.target.closest("td.day");
    const url = ev.dataTransfer.getData("text/plain");
    if (!td || !url) return;
    ev.preventDefault();
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-csrf-token": csrf, accept: "application/json" },
      body: new URLSearchParams({ day: td.getAttribute("data-day") }),
    }).then((r) => r.json().then((j) => ({ ok: r.ok, j }))).then(({ ok, j }) => {
      if (status) status.textContent = j.message || "";
      if (ok) { window.location.reload(); } else { window.alert(j.message || "Error"); }
    }).catch(() => {});
  });
})();

// Inbox: the unread count in the navigation stays live; keyboard triage (by key position, so
// that it works on a Hebrew layout too); saved replies and "answer this" fill the answer box.
(() => {
  const badge = document.getElementById("inbox-unread");
  if (badge) {
    const refresh = () => {
      fetch(badge.getAttribute("data-url"), { headers: { accept: "application/json" } })
        .then((r) => r.ok ? r.json() : null).then((j) => {
          if (!j) return;
          badge.textContent = j.new >= 100 ? "99+" : String(j.new);
          badge.hidden = j.new === 0;
        }).catch(() => {});
    };
    setInterval(refresh, 60000);
  }
  const typing = (el) => el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  const list = document.getElementById("conversations");
  const conversation = document.getElementById("conversation");
  let current = -1;
  const items = () => list ? Array.from(list.querySelectorAll("li[data-conversation]")) : [];
  const focusItem = (i) => {
    const all = items();
    if (all.length === 0) return;
    current = Math.max(0, Math.min(all.length - 1, i));
    all.forEach((li, j) => li.classList.toggle("current", j === current));
    const a = all[current].querySelector("a.open");
    if (a) a.focus();
  };
  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) return;
    const click = (id) => { const el = document.getElementById(id); if (el) { ev.preventDefault(); el.click(); } };
    const focus = (id) => { const el = document.getElementById(id); if (el) { ev.preventDefault(); el.focus(); } };
    if (list) {
      if (ev.code === "KeyJ") { ev.preventDefault(); focusItem(current + 1); }
      else if (ev.code === "KeyK") { ev.preventDefault(); focusItem(current - 1); }
      else if (ev.code === "Slash") focus("f-q");
    }
    if (conversation) {
      if (ev.code === "KeyR") focus("answer-body");
      else if (ev.code === "KeyE") click("mark-done");
      else if (ev.code === "KeyA") {
        const me = document.getElementById("t-assignee");
        const form = document.getElementById("triage-form");
        const mine = me && me.getAttribute("data-me");
        if (me && form && mine) { ev.preventDefault(); me.value = mine; form.requestSubmit(); }
      }
      else if (ev.code === "KeyU") click("back-to-inbox");
    }
  });
  const saved = document.getElementById("saved-reply");
  const body = document.getElementById("answer-body");
  if (saved && body) {
    saved.addEventListener("change", () => {
      const opt = saved.selectedOptions[0];
      if (opt && opt.getAttribute("data-body")) {
        body.value = opt.getAttribute("data-body");
        body.dispatchEvent(new Event("input"));
        body.focus();
      }
    });
  }
  document.querySelectorAll("button.answer-to").forEach((b) => b.addEventListener("click", () => {
    const to = document.getElementById("answer-to");
    if (to) to.value = b.getAttribute("data-to");
    if (body) body.focus();
  }));
})();
