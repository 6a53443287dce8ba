// Types of bin/build.js (plain JavaScript, so that it runs before anything is compiled).
export const ROOT: string
export const SERVER_DIST: string
export function serverBuildIsStale(): boolean
export function buildServer(): Promise<void>
export function buildWeb(): void
export function ensureServerBuilt(log?: (line: string) => void): Promise<void>
