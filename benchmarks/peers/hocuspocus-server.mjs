// A plain Hocuspocus 4 server on a loopback port (in-memory documents, the package's defaults).
// Usage: node hocuspocus-server.mjs [port]   (port 0 = any free port). Prints "ready <port>" once listening.
// Started by hocuspocus-load.mjs as a separate process so its CPU and memory can be measured on their own.
import { Server } from '@hocuspocus/server'

const port = Number(process.argv[2] ?? 0)
const server = new Server({ port, address: '127.0.0.1', quiet: true, stopOnSignals: true })
await server.listen()
console.log(`ready ${server.address.port}`)
