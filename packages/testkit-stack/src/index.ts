// One module per harness: the api alone, the edge alone, api + workers, the whole stack
// the player plays from, and a worker in a process of its own. Helpers that need no role
// live in @kino/testkit.
export * from './api.ts';
export * from './edge.ts';
export * from './worker.ts';
export * from './player.ts';
export * from './processes.ts';
export * from './webhooks.ts';
