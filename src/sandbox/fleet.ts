// The sandbox's account as a fleet: one task model per project that hosts HSS tasks (constants.ts
// SANDBOX_PROJECTS), the main project with the seed of seed.ts, the others with seed-fleet.ts's.
// Requests name their project in the path; the path's project decides which model answers.

import { hostingProjects, SANDBOX_PROJECT_ID, type SandboxProject } from './constants.js';
import type { HssState } from './hss.js';
import { createSeedTasks } from './seed.js';
import { createFleetTasks } from './seed-fleet.js';
import { createIacSeedTasks } from './seed-iac.js';

export interface ProjectState {
  project: SandboxProject;
  state: HssState;
}

/** A fresh model of every hosting project, keyed by project ID, seeded before `now`. */
export function createFleet(now: number, progressMs: number): Map<string, ProjectState> {
  const fleet = new Map<string, ProjectState>();
  for (const project of hostingProjects()) {
    const tasks =
      project.id === SANDBOX_PROJECT_ID ? createSeedTasks(now) : createFleetTasks(project.name, now);
    // The IaC scan tasks are the main project's.
    const iacTasks = project.id === SANDBOX_PROJECT_ID ? createIacSeedTasks(now) : new Map();
    fleet.set(project.id, { project, state: { tasks, iacTasks, progressMs } });
  }
  return fleet;
}
