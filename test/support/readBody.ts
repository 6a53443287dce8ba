/**
 * The text of a response. A Server-Sent Events stream never ends, so of one only what arrived first is read
 * (the retry line and the `ready` event) before hanging up.
 */
export async function readBody(res: Response): Promise<string> {
  if (!res.headers.get('content-type')?.startsWith('text/event-stream') || !res.body) return res.text()
  const reader = res.body.getReader()
  const { value } = await reader.read()
  await reader.cancel()
  return new TextDecoder().decode(value)
}
