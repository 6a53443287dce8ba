// The directory: who and what an agent can pick (departments, agents, teams, customers, help topics).
import type { App } from '../app.ts'
import { listDepartments, listTeams } from '../repositories/directoryRepo.ts'
import { pickableTopics } from '../repositories/topicRepo.ts'
import { searchAgents, searchCustomers } from '../repositories/userRepo.ts'

export const departmentDirectory = (app: App) => listDepartments(app.db.read)
export const teamDirectory = (app: App) => listTeams(app.db.read)
export const agentDirectory = (app: App, q: string | undefined) => searchAgents(app.db.read, q, 100)
/** At most 20, by name. */
export const customerDirectory = (app: App, q: string) => searchCustomers(app.db.read, q, 20)
/** The enabled help topics: the public ones, and for agents the internal ones too. */
export const topicDirectory = (app: App, forAgent: boolean) => pickableTopics(app.db.read, forAgent)
