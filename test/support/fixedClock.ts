/** A clock that tests move by hand. */
export class FixedClock {
  constructor(public t: number) {}
  now(): number {
    return this.t
  }
  set(iso: string): void {
    this.t = Date.parse(iso)
  }
  advance(ms: number): void {
    this.t += ms
  }
}
