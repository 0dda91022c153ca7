// The counter page: log in with the counter number and its key, then call, recall, finish,
// mark missed and transfer, by mouse or by hot keys. Updates live from the hall's events.
"use strict";

const $ = (id) => document.getElementById(id);
let counter = localStorage.getItem("hall.counter");
let key = localStorage.getItem("hall.key");
let view = null;
let seenHelp = new Set();
let beeps = 0;
let liveLink = null;

function headers() {
  return { "Authorization": "Bearer " + key, "Content-Type": "application/json" };
}

function say(text, ok) {
  const message = $("message");
  message.textContent = text || "";
  message.classList.toggle("ok", !!ok);
}

async function loadCounters() {
  try {
    const state = await (await fetch("/api/state", { cache: "no-store" })).json();
    $("login-counter").replaceChildren(...state.counters.map((c) => {
      const option = document.createElement("option");
      option.value = c.counter;
      option.textContent = c.name;
      return option;
    }));
    if (counter) $("login-counter").value = counter;
  } catch (e) {
    $("login-message").textContent = "连不上叫号服务器，请稍后再试";
  }
}

function showLogin(message) {
  $("work").hidden = true;
  $("login").hidden = false;
  $("login-message").textContent = message || "";
  loadCounters();
  $("login-key").focus();
}

async function fetchView() {
  const response = await fetch("/api/counters/" + encodeURIComponent(counter),
                               { headers: headers(), cache: "no-store" });
  if (response.status === 401 || response.status === 403 || response.status === 404) {
    const body = await response.json();
    return { error: body.message || "登录失败" };
  }
  if (!response.ok) throw new Error("HTTP " + response.status);
  return { view: await response.json() };
}

async function login(event) {
  event.preventDefault();
  counter = $("login-counter").value;
  key = $("login-key").value.trim();
  try {
    const result = await fetchView();
    if (result.error) {
      $("login-message").textContent = result.error;
      return;
    }
    localStorage.setItem("hall.counter", counter);
    localStorage.setItem("hall.key", key);
    $("login-key").value = "";
    start(result.view);
  } catch (e) {
    $("login-message").textContent = "连不上叫号服务器，请稍后再试";
  }
}

function logout() {
  localStorage.removeItem("hall.key");
  key = null;
  location.reload();
}

function render(v) {
  view = v;
  $("counter-name").textContent = v.name;
  $("counter-services").textContent = v.services.map((s) => s.name).join("、");
  const current = $("current");
  const serving = v.serving;
  current.textContent = serving ? serving.ticket : "没有正在办理的号";
  current.classList.toggle("none", !serving);
  const left = serving ? Math.max(0, v.recalls_before_no_show - serving.recalls) : 0;
  $("recalls").textContent = serving
    ? "已重呼 " + serving.recalls + " 次" + (left ? "（再重呼 " + left + " 次后可过号）" : "")
    : "";
  for (const id of ["do-recall", "do-done", "do-transfer"]) $(id).disabled = !serving;
  $("do-no-show").disabled = !serving || left > 0;
  $("waiting").replaceChildren(...v.services.map((s) => {
    const row = document.createElement("tr");
    row.dataset.service = s.id;
    row.innerHTML = "<td></td><td></td>";
    row.cells[0].textContent = s.letter + " " + s.name;
    row.cells[1].textContent = "等候 " + s.waiting + " 人";
    return row;
  }));
  $("served").textContent = v.served_today;
  $("transferred").textContent = v.transferred ? "· 转来等候 " + v.transferred + " 人" : "";
  const target = $("transfer-to");
  const chosen = target.value;
  target.replaceChildren(...v.counters.filter((c) => c.counter !== v.counter).map((c) => {
    const option = document.createElement("option");
    option.value = c.counter;
    option.textContent = c.name;
    return option;
  }));
  if (chosen) target.value = chosen;
}

function beep() {
  beeps += 1;
  document.body.dataset.beeps = String(beeps);
  try {
    const audio = new (window.AudioContext || window.webkitAudioContext)();
    [0, 0.35, 0.7].forEach((at) => {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.3;
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + at);
      tone.stop(audio.currentTime + at + 0.2);
    });
  } catch (e) { /* no sound device: the yellow box still shows the call */ }
}

function showHelp(calls) {
  $("help-box").hidden = calls.length === 0;
  let fresh = false;
  const now = new Set();
  $("help").replaceChildren(...calls.map((call) => {
    const id = call.kiosk + "@" + call.at;
    now.add(id);
    if (!seenHelp.has(id)) fresh = true;
    const item = document.createElement("li");
    item.dataset.kiosk = call.kiosk;
    item.textContent = [call.label, call.site, call.place, call.at.slice(11, 16)]
      .filter(Boolean).join(" · ");
    const clear = document.createElement("button");
    clear.type = "button";
    clear.textContent = "已处理";
    clear.addEventListener("click", async () => {
      await fetch("/api/help/" + encodeURIComponent(call.kiosk), { method: "DELETE" });
    });
    item.append(clear);
    return item;
  }));
  if (fresh) beep();
  seenHelp = now;
}

async function act(verb, body) {
  const response = await fetch("/api/counters/" + encodeURIComponent(counter) + "/" + verb, {
    method: "POST", headers: headers(), body: JSON.stringify(body || {}),
  }).catch(() => null);
  if (!response) return say("连不上叫号服务器，请稍后再试");
  const answer = await response.json().catch(() => ({}));
  if (response.status === 401 || response.status === 403) return showLogin(answer.message);
  if (!response.ok) return say(answer.message || "操作没有成功");
  const called = answer.called;
  const words = { call: "已叫号", recall: "已重呼", done: "已完成", "no-show": "已过号",
                  transfer: "已转到 " + (called ? called.counter + "号窗口" : "") };
  say(called ? words[verb] + "：" + called.ticket : answer.message, !!called);
  await refresh();
}

async function refresh() {
  try {
    const result = await fetchView();
    if (result.error) return showLogin(result.error);
    render(result.view);
  } catch (e) { /* offline: the banner says so; the next event refreshes */ }
}

function start(firstView) {
  $("login").hidden = true;
  $("work").hidden = false;
  render(firstView);
  if (liveLink === null) {
    liveLink = live((state) => { showHelp(state.help); refresh(); },
                    (ok) => document.body.classList.toggle("offline", !ok));
  }
}

const verbs = { J: "call", C: "recall", W: "done", G: "no-show" };
for (const [letter, verb] of Object.entries(verbs)) {
  $("do-" + verb).addEventListener("click", () => act(verb));
}
$("do-transfer").addEventListener("click", () => act("transfer", { to: $("transfer-to").value }));
$("login-form").addEventListener("submit", login);
$("logout").addEventListener("click", logout);

document.addEventListener("keydown", (event) => {
  if ($("work").hidden || event.ctrlKey || event.altKey || event.metaKey) return;
  const target = event.target;
  if (target.id === "transfer-to" && event.key === "Enter") {
    event.preventDefault();
    $("do-transfer").click();
    return;
  }
  if (target.tagName === "INPUT") return;
  const letter = event.key.toUpperCase();
  if (letter === "Z") {
    event.preventDefault();
    $("transfer-to").focus();
  } else if (verbs[letter]) {
    event.preventDefault();
    const button = $("do-" + verbs[letter]);
    if (!button.disabled) button.click();
  }
});

if (counter && key) {
  fetchView().then((result) => result.error ? showLogin(result.error) : start(result.view))
    .catch(() => showLogin("连不上叫号服务器，请稍后再试"));
} else {
  showLogin();
}
