// One inkjs sample for benchmarks/ink_peer.py: compile an ink file, then play N random
// choices (restarting at an ending), printing one JSON line of what it measured.
"use strict";
const fs = require("fs");
const { Compiler } = require("inkjs/full");

const [source, choices, seed] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const text = fs.readFileSync(source, "utf8");

let started = process.hrtime.bigint();
const compiler = new Compiler(text);
const story = compiler.Compile();
const compileSeconds = Number(process.hrtime.bigint() - started) / 1e9;
if (!story || compiler.errors.length) {
  console.error(compiler.errors.slice(0, 20).join("\n"));
  process.exit(1);
}
const maxrssMib = process.resourceUsage().maxRSS / 1024;

let state = seed * 2654435761 % 4294967296 || 1;  // xorshift32: the same run every time
function next(n) {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state % n;
}

let taken = 0, endings = 0, shown = 0;
started = process.hrtime.bigint();
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
console.log(JSON.stringify({ compile_seconds: compileSeconds, maxrss_mib: maxrssMib,
  play_seconds: playSeconds, choices: taken, endings, characters: shown }));
