// The ticket numbers of the queue the agent last looked at, so j and k on a ticket move through that queue.
let numbers: string[] = []

export function rememberQueue(list: string[]): void {
  numbers = list
}

export function neighbour(number: string, step: 1 | -1): string | undefined {
  const at = numbers.indexOf(number)
  if (at === -1) return numbers[0]
  return numbers[at + step]
}
