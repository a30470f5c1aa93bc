"use strict"
/* The npm package itself (gozmq only; not part of the zeromq switch):
   `npm pack` gives a tarball holding the addon and our libzmq.so.5, which
   installs into an empty directory without compiling anything and runs the
   examples through both entry points; the type definitions check. */
const test = require("node:test")
const assert = require("node:assert/strict")
const {execFileSync} = require("node:child_process")
const fs = require("node:fs")
const os = require("node:os")
const path = require("node:path")

const PKG = path.join(__dirname, "..")
const T = {timeout: 120000}

function run(cmd, args, cwd) {
  return execFileSync(cmd, args, {cwd, encoding: "utf8", timeout: 100000, stdio: ["ignore", "pipe", "pipe"]})
}

test("npm pack, npm install ./tarball in an empty directory, run the examples", T, async (t) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "gozmq-pack-"))
  t.after(() => fs.rmSync(work, {recursive: true, force: true}))
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], PKG))
  const files = packed[0].files.map(f => f.path)
  for (const want of ["build/gozmq.node", "build/libzmq.so.5", "lib/index.js", "lib/index.mjs", "lib/index.d.ts", "README.md"]) {
    assert.ok(files.includes(want), `${want} missing from the tarball: ${files}`)
  }
  const tgz = path.join(work, packed[0].filename)
  const app = path.join(work, "app")
  fs.mkdirSync(app)
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({name: "app", version: "1.0.0", private: true}))
  run("npm", ["install", "--offline", "--no-audit", "--no-fund", tgz], app)
  for (const ex of ["push-pull.js", "req-rep.mjs", "typed.ts"]) fs.copyFileSync(path.join(PKG, "examples", ex), path.join(app, ex))

  const out = run(process.execPath, ["push-pull.js"], app)
  assert.match(out, /^hello world \(libzmq API 4\.3\.5\)/)
  assert.equal(run(process.execPath, ["req-rep.mjs"], app), "echo: one\necho: two\n")

  /* The library that got loaded is the one inside the installed package,
     even with LD_LIBRARY_PATH pointing at another libzmq.so.5 (Debian's). */
  const system = run("/sbin/ldconfig", ["-p"], app).split("\n")
    .filter(l => /libzmq\.so\.5 /.test(l)).map(l => l.split(" => ").pop().trim())[0]
  assert.ok(system, "Debian's libzmq5 is not installed (make deps)")
  const decoy = path.join(work, "decoy")
  fs.mkdirSync(decoy)
  fs.symlinkSync(system, path.join(decoy, "libzmq.so.5"))
  const maps = execFileSync(process.execPath, ["-e",
    "require('gozmq'); process.stdout.write(require('fs').readFileSync('/proc/self/maps', 'utf8'))"],
  {cwd: app, encoding: "utf8", timeout: 60000, env: {...process.env, LD_LIBRARY_PATH: decoy}})
  const libs = [...new Set(maps.split("\n").filter(l => l.includes("libzmq")).map(l => l.split(/\s+/).pop()))]
  assert.equal(libs.length, 1, libs.join(", "))
  assert.equal(fs.realpathSync(libs[0]), fs.realpathSync(path.join(app, "node_modules/gozmq/build/libzmq.so.5")))

  /* ESM and CommonJS give the same module objects. */
  const same = run(process.execPath, ["--input-type=module", "-e",
    "import * as esm from 'gozmq'; import {createRequire} from 'node:module';" +
    "const cjs = createRequire(process.cwd() + '/x.js')('gozmq');" +
    "console.log(esm.Push === cjs.Push && esm.default === cjs && esm.context === cjs.context)"], app)
  assert.equal(same.trim(), "true")

  /* The type definitions describe the examples' use of the API. */
  const tsc = path.join(PKG, "node_modules", "typescript", "bin", "tsc")
  run(process.execPath, [tsc, "--noEmit", "--strict", "--target", "es2022", "--module", "node16",
    "--moduleResolution", "node16", "--types", "node", "--typeRoots", path.join(PKG, "node_modules", "@types"),
    "typed.ts"], app)
})

test("type definitions reject misuse", T, async (t) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "gozmq-tsc-"))
  t.after(() => fs.rmSync(work, {recursive: true, force: true}))
  fs.writeFileSync(path.join(work, "bad.ts"),
    `import {Push} from ${JSON.stringify(path.join(PKG, "lib", "index.js"))}\n` +
    "const p = new Push({sendHighWaterMark: 'many'})\n")
  const tsc = path.join(PKG, "node_modules", "typescript", "bin", "tsc")
  assert.throws(() => run(process.execPath, [tsc, "--noEmit", "--strict", "--types", "node",
    "--typeRoots", path.join(PKG, "node_modules", "@types"), "bad.ts"], work),
  (err) => /sendHighWaterMark|not assignable/.test(String(err.stdout)))
})
