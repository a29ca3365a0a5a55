// Load profile for a collaboration server, driven by real Yjs clients (HocuspocusProvider) against Hocuspocus.
// The .NET load benchmark (benchmarks/Sync.Crdt.LoadBenchmarks) runs the same profile against the Sync.Crdt server
// with Sync.Crdt clients and calls this script in the same run, so the two rows are side by side.
//
// Usage: node hocuspocus-load.mjs --connections 500 --documents 50 --rate 2 --seconds 20 --burst 20
// Prints one JSON line: steady-state updates/s, p50/p99 propagation latency (ms), burst throughput (updates/s),
// server RSS per connection/document and server CPU (from /proc of the server process).
//
// Profile (identical on both sides):
//  - `documents` text documents; `connections` typing clients spread evenly over them (one socket each), plus one
//    observer client per document that only listens (latency is measured at the observer: receive time minus the
//    time the writer made the edit, both in this process).
//  - steady: every typing client inserts one character at a random position `rate` times per second (uniform
//    jitter), for `seconds`; the first second is warm-up and not counted.
//  - burst: every typing client then inserts `burst` characters back to back; throughput = all burst updates
//    observed by every observer ÷ the time from the first burst edit to the last observation.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import WebSocket from 'ws'
import * as Y from 'yjs'

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]])
  return acc
}, []))
const connections = Number(args.connections ?? 500)
const documents = Number(args.documents ?? 50)
const rate = Number(args.rate ?? 2)
const seconds = Number(args.seconds ?? 20)
const burst = Number(args.burst ?? 20)
const seed = Number(args.seed ?? 42)

let state = seed >>> 0
const random = () => { state = (state * 1664525 + 1013904223) >>> 0; return state / 4294967296 }
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

function procStat (pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  const ticks = Number(fields[11]) + Number(fields[12]) // utime + stime (fields 14, 15 of stat)
  const rss = Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) * 1024
  return { cpuSeconds: ticks / 100, rss }
}

const server = spawn(process.execPath, [new URL('./hocuspocus-server.mjs', import.meta.url).pathname, '0'], { stdio: ['ignore', 'pipe', 'inherit'] })
const port = await new Promise((resolve, reject) => {
  server.stdout.on('data', chunk => { const m = /ready (\d+)/.exec(chunk.toString()); if (m) resolve(Number(m[1])) })
  server.on('exit', code => reject(new Error(`hocuspocus server exited with ${code}`)))
})
const url = `ws://127.0.0.1:${port}`
const idle = procStat(server.pid)

function connect (name) {
  const doc = new Y.Doc()
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket, messageReconnectTimeout: 600000 })
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, awareness: null })
  const synced = new Promise(resolve => provider.on('synced', resolve))
  provider.attach() // a provider given its own socket provider does not attach by itself
  return { doc, provider, socket, synced }
}

const sent = new Map() // `${client}:${clock}` -> time of the edit
let counting = false
const latencies = []
let observed = 0
let lastObservation = 0
const observers = []
for (let d = 0; d < documents; d++) {
  const o = connect(`doc-${d}`)
  o.doc.on('update', update => {
    const now = performance.now()
    for (const struct of Y.decodeUpdate(update).structs) {
      for (let i = 0; i < struct.length; i++) { // merged updates carry runs of several characters
        const key = `${struct.id.client}:${struct.id.clock + i}`
        const t = sent.get(key)
        if (t === undefined) continue
        sent.delete(key)
        observed++
        lastObservation = now
        if (counting) latencies.push(now - t)
      }
    }
  })
  observers.push(o)
}
const writers = []
for (let c = 0; c < connections; c++) writers.push({ ...connect(`doc-${c % documents}`), text: null })
await Promise.all([...observers, ...writers].map(w => w.synced))
for (const w of writers) w.text = w.doc.getText('text')
const loaded = procStat(server.pid)

function edit (w) {
  const clock = Y.getState(w.doc.store, w.doc.clientID)
  sent.set(`${w.doc.clientID}:${clock}`, performance.now())
  w.text.insert(Math.floor(random() * (w.text.length + 1)), 'x')
}

// Steady state at human typing rates.
const interval = 1000 / rate
const timers = writers.map(w => {
  const tick = () => { edit(w); w.timer = setTimeout(tick, interval * (0.5 + random())) }
  return setTimeout(tick, random() * interval)
})
await sleep(1000)
counting = true
const observedAtStart = observed
const steadyStart = performance.now()
const cpuStart = procStat(server.pid).cpuSeconds
const clientCpuStart = process.cpuUsage()
await sleep(seconds * 1000)
const steadyElapsed = (performance.now() - steadyStart) / 1000
const steadyObserved = observed - observedAtStart
const cpuSteady = procStat(server.pid).cpuSeconds - cpuStart
const clientCpu = process.cpuUsage(clientCpuStart)
counting = false
for (const w of writers) clearTimeout(w.timer)
timers.forEach(clearTimeout)
await sleep(2000) // drain
latencies.sort((a, b) => a - b)
const pct = p => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN

// Burst: everyone types `burst` characters at once.
const burstTotal = writers.length * burst
const burstBase = observed
const burstStart = performance.now()
for (const w of writers) for (let i = 0; i < burst; i++) edit(w)
const deadline = burstStart + 120000
while (observed - burstBase < burstTotal && performance.now() < deadline) await sleep(5)
const burstObserved = observed - burstBase
const burstSeconds = (lastObservation - burstStart) / 1000

const final = procStat(server.pid)
console.log(JSON.stringify({
  server: 'hocuspocus 4.7.0 (in-memory)',
  connections, documents, rate, seconds, burst,
  steadyUpdatesPerSecond: steadyObserved / steadyElapsed,
  p50Ms: pct(0.5), p99Ms: pct(0.99), latencySamples: latencies.length,
  burstUpdatesPerSecond: burstObserved / burstSeconds, burstComplete: burstObserved === burstTotal,
  serverCpuSecondsPerSecondSteady: cpuSteady / steadyElapsed,
  clientCpuSecondsPerSecondSteady: (clientCpu.user + clientCpu.system) / 1e6 / steadyElapsed,
  serverRssIdleBytes: idle.rss, serverRssLoadedBytes: loaded.rss, serverRssFinalBytes: final.rss,
  serverBytesPerConnection: (loaded.rss - idle.rss) / (connections + documents)
}))
for (const w of [...writers, ...observers]) { w.provider.destroy(); w.socket.destroy() }
server.kill('SIGTERM')
process.exit(0)
