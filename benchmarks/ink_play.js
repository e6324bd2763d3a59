// One inkjs sample for benchmarks/ink_peer.py: compile an ink file, then play N random
// choices (restarting at an ending), printing one JSON line of what it measured.
"use strict";
const fs = require("fs");
const { Compiler } = require("inkjs/full");

const [source, choices, seed] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];

// CPU time is every thread's (node's collector and compiler threads included), to set beside
// our single-threaded process's.
function cpuSeconds(since) {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

let started = process.hrtime.bigint();
let cpu = process.cpuUsage();
const text = fs.readFileSync(source, "utf8");  // timed: our check reads its files too
const compiler = new Compiler(text);
const story = compiler.Compile();
const compileSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const compileCpu = cpuSeconds(cpu);
if (!story || compiler.errors.length) {
  console.error(compiler.errors.slice(0, 20).join("\n"));
  process.exit(1);
}
// The peak of this process alone (VmHWM), as benchmarks/run.py takes ours: maxRSS would start
// at the parent's peak (Linux keeps it across fork and exec).
function peakMib() {
  try {
    const m = /^VmHWM:\s+(\d+)/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]) / 1024;
  } catch (e) { /* no /proc: fall back to getrusage */ }
  return process.resourceUsage().maxRSS / 1024;
}
const maxrssMib = peakMib();

let state = seed * 2654435761 % 4294967296 || 1;  // xorshift32: the same run every time
function next(n) {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state % n;
}

let taken = 0, endings = 0, shown = 0;
started = process.hrtime.bigint();
cpu = process.cpuUsage();
while (taken < choices) {
  shown += story.ContinueMaximally().length;
  const options = story.currentChoices;
  if (options.length === 0) {
    endings += 1;
    story.ResetState();
    continue;
  }
  story.ChooseChoiceIndex(next(options.length));
  taken += 1;
}
const playSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const playCpu = cpuSeconds(cpu);
console.log(JSON.stringify({ compile_seconds: compileSeconds, compile_cpu: compileCpu,
  maxrss_mib: maxrssMib, play_seconds: playSeconds, play_cpu: playCpu, choices: taken, endings,
  characters: shown }));
