// Replays an editing trace with Yjs and prints one JSON line of measurements (median of N runs, after warm-up).
// Usage: node --expose-gc yjs-trace.mjs <trace.json.gz> [runs]
// Used by benchmarks/Sync.Crdt.Benchmarks/Text (TextTraceBenchmarks' Yjs columns) and docs/benchmarks.md.
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'

const [tracePath, runsArg] = process.argv.slice(2)
if (!tracePath) {
  console.error('usage: node --expose-gc yjs-trace.mjs <trace.json.gz> [runs]')
  process.exit(2)
}
const runs = Number(runsArg ?? 5)
const trace = JSON.parse(gunzipSync(readFileSync(tracePath)).toString('utf8'))
const patches = []
for (const txn of trace.txns) for (const p of txn.patches) patches.push(p)

// Same work as TextDocument's local replay: one Yjs transaction per insert or delete (Yjs emits an update per transaction).
function replay (clientID) {
  const doc = new Y.Doc()
  doc.clientID = clientID
  const text = doc.getText('text')
  for (const [pos, del, ins] of patches) {
    if (del > 0) text.delete(pos, del)
    if (ins.length > 0) text.insert(pos, ins)
  }
  return doc
}

function median (values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

function time (fn) {
  const samples = []
  for (let i = 0; i < runs + 1; i++) {
    const start = performance.now()
    fn()
    const elapsed = performance.now() - start
    if (i > 0) samples.push(elapsed) // the first run is warm-up
  }
  return median(samples)
}

const gc = globalThis.gc ?? (() => {})
const full = replay(1)
if (full.getText('text').toString() !== trace.endContent) {
  console.error('Yjs replay does not match endContent')
  process.exit(1)
}
const updateV1 = Y.encodeStateAsUpdate(full)
const updateV2 = Y.encodeStateAsUpdateV2(full)

// Stale replica: loaded the state after the first half of the trace, then catches up with a diff.
const half = new Y.Doc()
half.clientID = 1
{
  const text = half.getText('text')
  for (let i = 0; i < patches.length / 2; i++) {
    const [pos, del, ins] = patches[i]
    if (del > 0) text.delete(pos, del)
    if (ins.length > 0) text.insert(pos, ins)
  }
}
const halfUpdateV2 = Y.encodeStateAsUpdateV2(half)

const result = {
  yjsVersion: JSON.parse(readFileSync(new URL('./node_modules/yjs/package.json', import.meta.url))).version,
  node: process.version,
  patches: patches.length,
  replayMs: time(() => replay(1)),
  replaySingleTransactionMs: time(() => {
    const doc = new Y.Doc()
    doc.clientID = 1
    const text = doc.getText('text')
    doc.transact(() => {
      for (const [pos, del, ins] of patches) {
        if (del > 0) text.delete(pos, del)
        if (ins.length > 0) text.insert(pos, ins)
      }
    })
  }),
  encodeV2Ms: time(() => Y.encodeStateAsUpdateV2(full)),
  loadV1Ms: time(() => { const d = new Y.Doc(); Y.applyUpdate(d, updateV1) }),
  loadV2Ms: time(() => { const d = new Y.Doc(); Y.applyUpdateV2(d, updateV2) }),
  mergeStaleMs: (() => {
    // Stale replicas are loaded before the clock starts, as in the C# benchmark's iteration setup.
    const stales = []
    for (let i = 0; i < runs + 1; i++) {
      const stale = new Y.Doc()
      Y.applyUpdateV2(stale, halfUpdateV2)
      stales.push(stale)
    }
    return time(() => {
      const stale = stales.pop()
      const diff = Y.encodeStateAsUpdateV2(full, Y.encodeStateVector(stale))
      Y.applyUpdateV2(stale, diff)
    })
  })(),
  loadHalfV2Ms: time(() => { const d = new Y.Doc(); Y.applyUpdateV2(d, halfUpdateV2) }),
  sizeV1: updateV1.length,
  sizeV2: updateV2.length,
  memoryAfterReplayBytes: (() => {
    gc(); gc()
    const before = process.memoryUsage().heapUsed
    const kept = replay(1)
    gc(); gc()
    const after = process.memoryUsage().heapUsed
    if (kept.getText('text').length !== trace.endContent.length) throw new Error('unreachable')
    return after - before
  })()
}
console.log(JSON.stringify(result))
