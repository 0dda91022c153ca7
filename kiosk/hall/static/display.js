// The display page: /display for the hall TV, /display?counter=3 for the strip above window 3.
// The newest call is shown very large and blinks for a few seconds; read-only.
"use strict";

const params = new URLSearchParams(location.search);
const only = params.get("counter");
const BLINK_MS = 4000;
let lastSeq = null;
let blinkTimer = null;

if (only) document.getElementById("display").classList.add("strip");

function text(id, value) {
  document.getElementById(id).textContent = value;
}

let blinks = 0;

function blink() {
  blinks += 1;
  document.body.dataset.blinks = String(blinks); // how many calls blinked (for checks)
  const number = document.getElementById("number");
  number.classList.remove("blink");
  void number.offsetWidth; // restart the animation
  number.classList.add("blink");
  clearTimeout(blinkTimer);
  blinkTimer = setTimeout(() => number.classList.remove("blink"), BLINK_MS);
}

function counterName(state, id) {
  const counter = state.counters.find((c) => c.counter === id);
  return counter ? counter.name : id + "号窗口";
}

function show(state) {
  text("site", state.site);
  text("clock", state.now.slice(11, 16));
  const latest = document.getElementById("latest");
  let call = null;
  let number = null;
  if (only) {
    const counter = state.counters.find((c) => c.counter === only);
    number = counter ? counter.serving : null;
    call = state.calls.find((c) => c.counter === only) || null;
    text("please", counterName(state, only));
  } else {
    call = state.calls.length ? state.calls[0] : null;
    number = call ? call.ticket : null;
    text("please", call ? "请" : "");
  }
  latest.classList.toggle("idle", !number);
  text("number", number || (only ? "暂停叫号" : "请留意叫号"));
  text("where", number && call && !only ? "到 " + counterName(state, call.counter) + " 办理"
                                        : number && only ? "请到本窗口办理" : "");
  const seq = call ? call.seq : 0;
  if (lastSeq !== null && seq > lastSeq && number) blink();
  lastSeq = seq;

  const board = document.getElementById("board");
  board.replaceChildren(...state.counters.map((c) => {
    const box = document.createElement("div");
    box.className = "counter";
    box.dataset.counter = c.counter;
    const name = document.createElement("div");
    name.className = "name";
    name.textContent = c.name;
    const serving = document.createElement("div");
    serving.className = "serving" + (c.serving ? "" : " none");
    serving.textContent = c.serving || "—";
    box.append(name, serving);
    return box;
  }));
  const waiting = document.getElementById("waiting");
  waiting.replaceChildren(...state.services.map((s) => {
    const item = document.createElement("span");
    item.textContent = s.letter + " " + s.name + " 等候 " + s.waiting + " 人";
    return item;
  }));
  fitBoard(); // after the footer is filled: the board gets what is left
}

// Every counter must fit on the screen, however many there are: choose the number of columns
// that gives the largest boxes, and size the text from the box.
function fitBoard() {
  const board = document.getElementById("board");
  const count = board.children.length;
  if (!count || only) return;
  board.style.gridAutoRows = "";
  const gap = parseFloat(getComputedStyle(board).rowGap) || 0;
  const width = board.clientWidth;
  const height = board.clientHeight;
  const ASPECT = 2.4; // a box is about this much wider than high
  let best = { size: 0, cols: 1, rowHeight: height };
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    const boxW = (width - gap * (cols - 1)) / cols;
    const boxH = (height - gap * (rows - 1)) / rows;
    const size = Math.min(boxW / ASPECT, boxH);
    if (size > best.size) best = { size, cols, rowHeight: Math.min(boxH, boxW / 1.6) };
  }
  board.style.gridTemplateColumns = "repeat(" + best.cols + ", 1fr)";
  board.style.gridAutoRows = Math.floor(best.rowHeight) + "px";
  board.style.fontSize = Math.max(10, Math.floor(best.size * 0.26)) + "px";
}

// The board's box changes when the font arrives or the window is resized: fit again.
if (window.ResizeObserver) new ResizeObserver(fitBoard).observe(document.getElementById("board"));
window.addEventListener("resize", fitBoard);

live(show, (ok) => document.body.classList.toggle("offline", !ok));
