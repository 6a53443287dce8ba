// The ceiling for the create benchmark: a bare Fastify handler that parses and echoes the same JSON body.
import Fastify from 'fastify'

const server = Fastify()
server.post('/echo', async (req) => req.body)
const port = Number(process.env.PORT ?? 0)
await server.listen({ port, host: '127.0.0.1' })
console.log(`listening ${(server.server.address() as { port: number }).port}`)
