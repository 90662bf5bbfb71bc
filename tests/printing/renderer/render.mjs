// Render ZPL to PNG with zpl-renderer-js (a wasm build of the Go renderer zebrash):
// an independent check of the labels that printing/ writes.
//
// Usage: node render.mjs < jobs.json
// jobs.json: [{"zpl": "...", "width_mm": 50, "height_mm": 25, "dpmm": 8, "out": "a.png"}, ...]
// Renders every job in one process (loading the wasm takes a moment) and prints the
// paths written, one a line. Exit 1 with a message on stderr if any job fails.
import fs from "node:fs";
import { ready } from "zpl-renderer-js";

const input = fs.readFileSync(0, "utf8");
const jobs = JSON.parse(input);
const { api } = await ready;
let failed = false;
for (const job of jobs) {
  try {
    const png = await api.zplToBase64Async(job.zpl, job.width_mm, job.height_mm, job.dpmm);
    fs.writeFileSync(job.out, Buffer.from(png, "base64"));
    console.log(job.out);
  } catch (err) {
    failed = true;
    console.error(`render failed for ${job.out}: ${err}`);
  }
}
process.exit(failed ? 1 : 0);
